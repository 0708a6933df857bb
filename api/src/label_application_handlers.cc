// Label applications examined by DAECT, the label history and the labels about to expire. Each
// handler decodes the request, calls one use case of service::LabelApplications and encodes.
#include "expectmatch/api/service.h"
#include "expectmatch/service/clock.h"
#include "handler_util.h"

namespace expectmatch::api {

using internal::Answer;
using internal::Json;
using service::UploadRefusal;

HttpResponse Service::PostLabelApplication(const Call& call) const {
  Json body, application;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  service::Status status = label_applications_.Create(call.principal, body, &application);
  HttpResponse response = Answer(status, 201, application);
  if (status.ok())
    response.headers["Location"] = "/v1/label-applications/" + application.value("id", "");
  return response;
}

HttpResponse Service::GetLabelApplications(const Call& call) const {
  Json page;
  return Answer(label_applications_.List(call.principal, call.request.query, &page), 200, page);
}

HttpResponse Service::GetLabelApplication(const Call& call) const {
  Json application;
  return Answer(label_applications_.Get(call.principal, call.params.at("id"), &application), 200,
                application);
}

HttpResponse Service::PostLabelApplicationReview(const Call& call) const {
  Json application;
  return Answer(label_applications_.Review(call.principal, call.params.at("id"), &application), 200,
                application);
}

HttpResponse Service::PostLabelApplicationDecision(const Call& call) const {
  Json body, application;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  return Answer(label_applications_.Decide(call.principal, call.params.at("id"), body,
                                           service::Today(), &application),
                200, application);
}

HttpResponse Service::PostLabelApplicationAnswer(const Call& call) const {
  Json body, application;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  return Answer(
      label_applications_.Answer(call.principal, call.params.at("id"), body, &application), 200,
      application);
}

HttpResponse Service::PostLabelApplicationDocument(const Call& call) const {
  const HttpRequest& request = call.request;
  const long long length = request.read_body ? internal::ContentLength(request)
                                             : static_cast<long long>(request.body.size());
  std::string filename;
  for (const auto& [name, value] : request.query) {
    if (name == "filename") {
      filename = value;
    } else {
      internal::DiscardBody(request, length);
      return Problem(400, "invalid query parameters", {{"", name, "unknown query parameter"}});
    }
  }
  std::unique_ptr<service::ReportUpload> upload;
  std::string stored_filename;
  UploadRefusal refusal = UploadRefusal::kNone;
  service::Status status = label_applications_.BeginUpload(
      call.principal, call.params.at("id"), request.Header("content-type"), length, filename,
      &upload, &stored_filename, &refusal);
  if (!status.ok()) {
    internal::DiscardBody(request, length);
    return internal::Refused(status, refusal);
  }
  if (auto problem = internal::StreamBody(request, length, *upload)) return *problem;
  Json document;
  status = label_applications_.CommitUpload(*upload, stored_filename, &document, &refusal);
  if (!status.ok()) return internal::Refused(status, refusal);
  HttpResponse response = internal::JsonResponse(201, document);
  response.headers["ETag"] = internal::Quoted(document.value("sha256", ""));
  response.headers["Location"] = "/v1/label-applications/" + call.params.at("id") + "/documents/" +
                                 document.value("sha256", "");
  return response;
}

HttpResponse Service::GetLabelApplicationDocument(const Call& call) const {
  service::ApplicationDocumentFile file;
  service::Status status = label_applications_.Document(call.principal, call.params.at("id"),
                                                        call.params.at("sha256"), &file);
  if (!status.ok()) return ProblemFrom(status);
  HttpResponse response;
  response.content_type = file.content_type;
  response.body_file = file.path.string();
  response.headers["ETag"] = internal::Quoted(file.sha256);
  response.headers["Content-Disposition"] =
      "attachment; filename=" + internal::Quoted(file.filename);
  return response;
}

HttpResponse Service::GetLabelHistory(const Call& call) const {
  Json history;
  return Answer(label_applications_.History(call.principal, call.params.at("id"), &history), 200,
                history);
}

HttpResponse Service::GetExpiringLabels(const Call& call) const {
  Json page;
  return Answer(
      label_applications_.Expiring(call.principal, call.request.query, service::Today(), &page),
      200, page);
}

HttpResponse Service::GetLabelsExport(const Call&) const {
  HttpResponse response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = label_applications_.ExportCsv();
  response.headers["Content-Disposition"] = "attachment; filename=\"labels-historique.csv\"";
  return response;
}

}  // namespace expectmatch::api
