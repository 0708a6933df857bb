// Mission reports: the document an authority uploads (PDF, ODT or DOCX, streamed to disk and
// named by its SHA-256), its French summary with DAECT's ratings, and the CSV of every mission
// for DAECT's annual review.
//
// Who may act: the authority selected for the need (a collectivité key whose authority is the
// need's `selected`) on its own mission's report, DAECT on all, analysts read. Another
// authority's report, a need without a mission and an unknown need all answer the same
// NotFound, word for word.
//
// Documents live in `documents_dir` (next to the database): `<dir>/<2 hex>/<64 hex>`, written
// to `<dir>/tmp/`, fsynced, renamed, the directory fsynced, and only then recorded
// (Store::PutReportDocument), so a recorded document always has its file, even after a kill -9.
// A replaced document's file stays on disk (content-addressed: another need may share it).
//
// When both the summary and the document are there the report is delivered: the mission's
// `report_delivered` (today) and `rating` (DAECT's rating, when given) are recorded and the need
// moves from in_mission or report_due to closed, as PUT …/mission does. Thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/service/live_snapshot.h"
#include "expectmatch/service/status.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

// The largest report document accepted: 20 MiB.
inline constexpr long long kReportDocumentMaxBytes = 20LL << 20;
// The longest summary field, in bytes of UTF-8: 20 kB.
inline constexpr size_t kReportFieldMaxBytes = 20000;
// The most text kept from a document for search: 1 MB.
inline constexpr size_t kReportTextMaxBytes = 1000000;

// Why an upload was refused before its document was stored, when it is not a plain Status
// (the transport maps each to its own answer: 411, 413, 415).
enum class UploadRefusal {
  kNone,
  kLengthRequired,   // no Content-Length: the size must be known before reading
  kTooLarge,         // over kReportDocumentMaxBytes
  kUnsupportedType,  // a Content-Type other than the three, or content that is not of its type
};

// One document upload in progress: the bytes go to a temporary file while their SHA-256 is
// computed and their first bytes checked against the declared type. Destroying an upload that
// was not committed removes its temporary file. Not thread-safe (one request's).
class ReportUpload {
 public:
  ~ReportUpload();
  ReportUpload(const ReportUpload&) = delete;
  ReportUpload& operator=(const ReportUpload&) = delete;

  // Appends the next bytes of the body; false once the upload is refused (refusal() and
  // status() say why) or the disk failed (an exception).
  bool Write(const char* data, size_t size);
  UploadRefusal refusal() const { return refusal_; }
  const Status& status() const { return status_; }
  long long bytes() const { return bytes_; }

 private:
  friend class Reports;
  friend class DocumentFiles;  // the part shared with label application documents
  ReportUpload() = default;
  // Refuses with `refusal` (415 or 413) and a message naming `field`.
  bool Refuse(UploadRefusal refusal, std::string message, std::string field, std::string detail);
  // Whether the first bytes seen so far fit the declared type: true (yes), false (no: refused),
  // nullopt (not enough bytes yet). `at_end`: there will be no more.
  std::optional<bool> CheckMagic(bool at_end);

  std::string need_;
  std::string content_type_;
  std::string expected_sha256_;  // "" for a first upload
  std::string uploaded_by_;
  std::filesystem::path temp_path_;
  int fd_ = -1;
  void* digest_ = nullptr;  // EVP_MD_CTX*
  long long bytes_ = 0;
  std::string head_;  // the first bytes, for the type check
  bool magic_ok_ = false;
  UploadRefusal refusal_ = UploadRefusal::kNone;
  Status status_;
};

// A stored document as GET …/report/document serves it.
struct ReportDocumentFile {
  std::filesystem::path path;
  std::string content_type;
  std::string sha256;
  long long bytes = 0;
  std::string filename;  // "rapport-<need>.<pdf|odt|docx>"
};

class Reports {
 public:
  // `store` and `snapshots` must outlive this object. Creates `documents_dir` (and its tmp/)
  // when missing and removes the temporary files a killed server left there.
  Reports(store::Store& store, const LiveSnapshot& snapshots, std::filesystem::path documents_dir);

  // PUT /v1/needs/{id}/report/document, before the body is read: checks the caller, the type,
  // the declared length (`length` < 0: unknown) and the precondition (`if_match` as sent, e.g.
  // "\"<sha256>\"", or ""). A replacement needs If-Match with the stored SHA-256: without it
  // Conflict, with another value Conflict too (409 either way; the stored one is in the
  // `stored_sha256` extension). On success `*upload` is ready for the body.
  Status BeginUpload(const Principal* caller, const std::string& need,
                     const std::string& content_type, long long length, const std::string& if_match,
                     std::unique_ptr<ReportUpload>* upload, UploadRefusal* refusal) const;
  // After the whole body: checks the type once more, moves the file into place (fsync, rename,
  // directory fsync), extracts its text, records it (compare-and-set on the SHA-256 seen at
  // BeginUpload), and records the delivery when the summary is there too. `*created`: a first
  // upload. `*document`: {sha256, bytes, content_type, uploaded_at, text_extracted}.
  Status CommitUpload(ReportUpload& upload, datasets::Json* document, bool* created,
                      UploadRefusal* refusal) const;
  // GET /v1/needs/{id}/report/document.
  Status Document(const Principal* caller, const std::string& need, ReportDocumentFile* file) const;

  // PUT /v1/needs/{id}/report: {"resultats", "recommandations", "suites_envisagees"} (each a
  // non-empty string of at most 20 kB) and DAECT's `daect_rating`, `partner_rating` (1..5 or
  // null; a collectivité sending either is Forbidden naming it). Ratings left out keep their
  // stored value. `*report`: as Get; `*created`: the first summary.
  Status PutSummary(const Principal* caller, const std::string& need, const datasets::Json& body,
                    datasets::Json* report, bool* created) const;
  // GET /v1/needs/{id}/report: summary, ratings, document, due, delivered, overdue.
  Status Get(const Principal* caller, const std::string& need, datasets::Json* report) const;

  // GET /v1/reports/export.csv: one row per mission, UTF-8 with a byte order mark.
  std::string ExportCsv() const;

 private:
  struct Mission;  // a need's mission as the reports see it
  // The need and its mission when `caller` may see its report; the one NotFound otherwise.
  Status Find(const Principal* caller, const std::string& need, Mission* mission) const;
  datasets::Json View(const Mission& mission) const;
  // Records the delivery when both parts are there (idempotent).
  void MarkDeliveredIfComplete(const std::string& need) const;

  store::Store& store_;
  const LiveSnapshot& snapshots_;
  std::filesystem::path dir_;
};

// The CSV of Reports::ExportCsv, from a store (also the command line's export --reports-csv).
std::string ReportsCsv(store::Store& store);

}  // namespace expectmatch::service
