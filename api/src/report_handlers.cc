// Mission reports: the document (a streamed upload and download), the summary with DAECT's
// ratings, and the CSV of every mission. Each handler decodes the request, calls the reports
// use cases (service::Reports) and encodes.
#include <cctype>

#include "expectmatch/api/service.h"
#include "handler_util.h"

namespace expectmatch::api {

using internal::Answer;
using internal::Json;
using service::UploadRefusal;

// The streamed upload's helpers, shared with the label application documents (handler_util.h).
namespace internal {

// Content-Length as a number; -1 when absent or not a plain decimal.
long long ContentLength(const HttpRequest& request) {
  const std::string text = request.Header("content-length");
  if (text.empty() || text.size() > 18) return -1;
  long long value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Reads what is left of a streamed body and drops it, so that the connection can carry the
// next request; a body over the limit (or of unknown length) is left unread: the transport
// then closes the connection.
void DiscardBody(const HttpRequest& request, long long length) {
  if (!request.read_body || length < 0 || length > service::kReportDocumentMaxBytes) return;
  char buffer[64 << 10];
  while (request.read_body(buffer, sizeof buffer) > 0) {
  }
}

// Feeds the body to `upload` in 64 KiB chunks as the transport reads it (whole when the
// transport gave it whole); a body the upload stops taking is read to its end and dropped. A 400
// when the body ends before its Content-Length.
std::optional<HttpResponse> StreamBody(const HttpRequest& request, long long length,
                                       service::ReportUpload& upload) {
  if (!request.read_body) {
    upload.Write(request.body.data(), request.body.size());
    return std::nullopt;
  }
  std::vector<char> buffer(64 << 10);
  while (true) {
    const long long n = request.read_body(buffer.data(), buffer.size());
    if (n == 0) return std::nullopt;
    if (n < 0)
      return Problem(400, "the document's body ended before its Content-Length",
                     {{"", "Content-Length", "more bytes announced than sent"}});
    if (!upload.Write(buffer.data(), static_cast<size_t>(n))) {
      DiscardBody(request, length);
      return std::nullopt;
    }
  }
}

// `text` in double quotes (an entity tag).
std::string Quoted(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  out += text;
  out += '"';
  return out;
}

HttpResponse Refused(const service::Status& status, UploadRefusal refusal) {
  switch (refusal) {
    case UploadRefusal::kLengthRequired:
      return Problem(411, status.message(), status.fields());
    case UploadRefusal::kTooLarge:
      return Problem(413, status.message(), status.fields());
    case UploadRefusal::kUnsupportedType:
      return Problem(415, status.message(), status.fields());
    case UploadRefusal::kNone:
      break;
  }
  return ProblemFrom(status);
}

}  // namespace internal

using internal::ContentLength;
using internal::DiscardBody;
using internal::Quoted;
using internal::Refused;
using internal::StreamBody;

HttpResponse Service::PutReportDocument(const Call& call) const {
  const HttpRequest& request = call.request;
  const long long length =
      request.read_body ? ContentLength(request) : static_cast<long long>(request.body.size());
  std::unique_ptr<service::ReportUpload> upload;
  UploadRefusal refusal = UploadRefusal::kNone;
  service::Status status =
      reports_.BeginUpload(call.principal, call.params.at("id"), request.Header("content-type"),
                           length, request.Header("if-match"), &upload, &refusal);
  if (!status.ok()) {
    DiscardBody(request, length);
    return Refused(status, refusal);
  }
  if (auto problem = StreamBody(request, length, *upload)) return *problem;
  Json document;
  bool created = false;
  status = reports_.CommitUpload(*upload, &document, &created, &refusal);
  if (!status.ok()) return Refused(status, refusal);
  HttpResponse response = internal::JsonResponse(created ? 201 : 200, document);
  response.headers["ETag"] = Quoted(document.value("sha256", ""));
  return response;
}

HttpResponse Service::GetReportDocument(const Call& call) const {
  service::ReportDocumentFile file;
  service::Status status = reports_.Document(call.principal, call.params.at("id"), &file);
  if (!status.ok()) return ProblemFrom(status);
  HttpResponse response;
  response.content_type = file.content_type;
  response.body_file = file.path.string();
  response.headers["ETag"] = Quoted(file.sha256);
  response.headers["Content-Disposition"] = "attachment; filename=" + Quoted(file.filename);
  return response;
}

HttpResponse Service::PutReport(const Call& call) const {
  Json body, report;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  bool created = false;
  service::Status status =
      reports_.PutSummary(call.principal, call.params.at("id"), body, &report, &created);
  return Answer(status, created ? 201 : 200, report);
}

HttpResponse Service::GetReport(const Call& call) const {
  Json report;
  return Answer(reports_.Get(call.principal, call.params.at("id"), &report), 200, report);
}

HttpResponse Service::GetReportsExport(const Call&) const {
  HttpResponse response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = reports_.ExportCsv();
  response.headers["Content-Disposition"] = "attachment; filename=\"rapports-missions.csv\"";
  return response;
}

}  // namespace expectmatch::api
