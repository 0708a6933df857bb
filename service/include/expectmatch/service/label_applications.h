// Label applications examined by DAECT, the label history and the labels about to expire.
//
// An application (`app_` + 12 hex) names an existing authority, the themes it asks a label on
// (known, at least one, no duplicates), its French evidence, the stored cooperation links it
// relies on, its territorial actions and the themes whose label it asks to renew. Its status
// moves received → under_review (DAECT's review) → approved | rejected |
// information_requested; an answer takes information_requested back to under_review. Each
// move is an event kept on the application (at, by, status, reason or message); a move from
// another status is a Conflict naming the field with the current status. An approval writes
// the labels onto the authority's record (a renewed theme replaces its label), the
// application and the label history rows in one store transaction, then refreshes the
// snapshot, so the next match ranks the authority on the new theme.
//
// Who may act: DAECT on all; analysts read; a collectivité key its own applications only
// (another's answers the very NotFound of an unknown id); embassies are refused by the route
// table. Documents (PDF, ODT, DOCX, at most 10 per application) are stored as report
// documents are (content-addressed, durable before they are recorded). Thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/service/live_snapshot.h"
#include "expectmatch/service/needs.h"
#include "expectmatch/service/reports.h"
#include "expectmatch/service/status.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

// The most documents one application holds.
inline constexpr size_t kApplicationMaxDocuments = 10;
// Evidence length, in characters.
inline constexpr size_t kEvidenceMinChars = 20;
inline constexpr size_t kEvidenceMaxChars = 20000;
// How far ahead the holders of an expiring label are told (days).
inline constexpr int kLabelExpiryNoticeDays = 90;

// A stored application document as GET …/documents/{sha256} serves it.
struct ApplicationDocumentFile {
  std::filesystem::path path;
  std::string content_type;
  std::string sha256;
  std::string filename;
};

class LabelApplications {
 public:
  // `store` and `snapshots` must outlive this object; `documents_dir` is the report documents'
  // folder (shared: files are named by content); `validity_years` the default length of a
  // label granted by an approval (serve --label-validity-years).
  LabelApplications(store::Store& store, const LiveSnapshot& snapshots,
                    std::filesystem::path documents_dir, int validity_years = 3);

  // POST /v1/label-applications. `*application`: the view (as Get).
  Status Create(const Principal* caller, const datasets::Json& body,
                datasets::Json* application) const;
  // GET /v1/label-applications: status, collectivite, limit, offset.
  Status List(const Principal* caller, const QueryParameters& query, datasets::Json* page) const;
  // GET /v1/label-applications/{id}.
  Status Get(const Principal* caller, const std::string& id, datasets::Json* application) const;
  // POST …/review (DAECT): received → under_review.
  Status Review(const Principal* caller, const std::string& id, datasets::Json* application) const;
  // POST …/decision (DAECT): {decision, reason, labels?}, from under_review only; `today` is the
  // default `since` of the labels an approval grants.
  Status Decide(const Principal* caller, const std::string& id, const datasets::Json& body,
                const std::string& today, datasets::Json* application) const;
  // POST …/answer (the applicant or DAECT): {message}; information_requested → under_review.
  Status Answer(const Principal* caller, const std::string& id, const datasets::Json& body,
                datasets::Json* application) const;

  // POST …/documents?filename=NAME, before the body: checks length, caller, type, the filename
  // and the per-application limit; `*upload` is ready for the body.
  Status BeginUpload(const Principal* caller, const std::string& id,
                     const std::string& content_type, long long length, const std::string& filename,
                     std::unique_ptr<ReportUpload>* upload, std::string* stored_filename,
                     UploadRefusal* refusal) const;
  // After the body: the file durably in place, then recorded. `*document`: {sha256,
  // content_type, bytes, filename, uploaded_at}.
  Status CommitUpload(ReportUpload& upload, const std::string& filename, datasets::Json* document,
                      UploadRefusal* refusal) const;
  // GET …/documents/{sha256}.
  Status Document(const Principal* caller, const std::string& id, const std::string& sha256,
                  ApplicationDocumentFile* file) const;

  // GET /v1/collectivites/{id}/labels/history.
  Status History(const Principal* caller, const std::string& collectivite,
                 datasets::Json* history) const;
  // GET /v1/labels/expiring: days (1..3650, default 90), as_of (default `today`),
  // collectivite; a collectivité key sees its own labels only.
  Status Expiring(const Principal* caller, const QueryParameters& query, const std::string& today,
                  datasets::Json* page) const;
  // GET /v1/labels/export.csv.
  std::string ExportCsv() const;

 private:
  // The application when `caller` may see it; the one NotFound otherwise.
  Status Find(const Principal* caller, const std::string& id,
              store::LabelApplicationRow* row) const;
  datasets::Json View(const store::LabelApplicationRow& row) const;
  // Moves an application from `from` to `to` with `event`, writing `documents` with it.
  Status Move(const Principal* caller, const std::string& id, const std::string& from,
              const std::string& to, datasets::Json event, const char* field,
              datasets::Json* application) const;

  store::Store& store_;
  const LiveSnapshot& snapshots_;
  std::filesystem::path dir_;
  int validity_years_;
};

// The daily chore: an `expired` history row for every label whose `until` is past (once per
// label and date), and a French notice to each holder of a label expiring within 90 days,
// inviting it to apply for renewal (once per authority, theme and end date: dedupe key
// "label-expiry:<collectivite>:<theme>:<until>", recipient "collectivite:<id>"). Returns how
// many e-mails it queued.
size_t RecordLabelExpiries(store::Store& store, const std::string& today);

}  // namespace expectmatch::service
