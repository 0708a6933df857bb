#include "expectmatch/api/http.h"

#include <nlohmann/json.hpp>

#include "expectmatch/api/problem.h"

namespace expectmatch::api {
namespace {

const char* StatusTitle(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

}  // namespace

std::string HttpRequest::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

HttpResponse Problem(int status, const std::string& detail,
                     const std::vector<ProblemField>& fields) {
  nlohmann::json body{{"type", "about:blank"},
                      {"title", StatusTitle(status)},
                      {"status", status},
                      {"detail", detail}};
  if (!fields.empty()) {
    nlohmann::json errors = nlohmann::json::array();
    for (const ProblemField& field : fields) {
      nlohmann::json entry{{"detail", field.detail}};
      if (!field.parameter.empty()) {
        entry["parameter"] = field.parameter;
      } else {
        entry["pointer"] = field.pointer;
      }
      errors.push_back(std::move(entry));
    }
    body["errors"] = std::move(errors);
  }
  HttpResponse response;
  response.status = status;
  response.content_type = "application/problem+json";
  // Replace invalid UTF-8 (echoed client input) rather than throwing while reporting an error.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

HttpResponse Problem(int status, const std::string& detail, const datasets::FieldErrors& errors) {
  std::vector<ProblemField> fields;
  for (const datasets::FieldError& error : errors)
    fields.push_back({error.path.Pointer(), "", error.message});
  return Problem(status, detail, fields);
}

namespace {

int HttpStatusOf(service::Status::Code code) {
  using Code = service::Status::Code;
  switch (code) {
    case Code::kMalformed:
      return 400;
    case Code::kInvalidArgument:
      return 422;
    case Code::kForbidden:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kConflict:
      return 409;
    case Code::kOk:
      break;
  }
  return 500;
}

}  // namespace

HttpResponse ProblemFrom(const service::Status& status) {
  const int http_status = HttpStatusOf(status.code());
  if (http_status == 500) return Problem(500, "internal error; the request was not applied");
  HttpResponse response = Problem(http_status, status.message(), status.fields());
  if (!status.extensions().empty()) {
    // Extension members (RFC 9457 §3.2) next to the standard ones, which they never replace.
    nlohmann::json body = nlohmann::json::parse(response.body);
    for (const auto& [key, value] : status.extensions().items()) {
      if (!body.contains(key)) body[key] = value;
    }
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return response;
}

}  // namespace expectmatch::api
