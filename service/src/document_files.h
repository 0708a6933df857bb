// The part of a document upload that does not depend on what the document belongs to (a
// mission report, a label application), private to service/: the length and type checks, the
// temporary file, and the durable move into `<dir>/<2 hex>/<64 hex>` (fsync, rename, directory
// fsync) before anything is recorded. Implemented in reports.cc beside the upload itself.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "expectmatch/service/reports.h"
#include "expectmatch/service/status.h"

namespace expectmatch::service {

class DocumentFiles {
 public:
  // Refuses an unknown length (411) or one over kReportDocumentMaxBytes (413).
  static Status CheckLength(long long length, UploadRefusal* refusal);
  // The media type of a Content-Type header when it is PDF, ODT or DOCX; "" otherwise.
  static std::string AcceptedType(const std::string& content_type);
  // "one of application/pdf, ..." for a refusal's detail.
  static std::string AcceptedTypes();
  // "pdf", "odt" or "docx".
  static std::string ExtensionOf(const std::string& type);
  // A new upload of `type` for `owner` into `dir`'s tmp/ folder.
  static std::unique_ptr<ReportUpload> Open(const std::filesystem::path& dir,
                                            const std::string& owner, const std::string& type,
                                            const std::string& uploaded_by);
  // After the whole body: checks the type once more, then moves the file into place durably.
  // `*sha256` and `*path`: where it now is.
  static Status Place(const std::filesystem::path& dir, ReportUpload& upload, std::string* sha256,
                      std::filesystem::path* path, UploadRefusal* refusal);
  static std::string Owner(const ReportUpload& upload);
  static std::string Type(const ReportUpload& upload);
  static std::string UploadedBy(const ReportUpload& upload);
  // A CSV cell as the exports write it (RFC 4180 quoting; a formula-like cell neutralised).
  static std::string CsvCellOf(std::string text);
  static std::filesystem::path PathOf(const std::filesystem::path& dir, const std::string& sha256);
};

}  // namespace expectmatch::service
