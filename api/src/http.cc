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

HttpResponse ProblemFrom(const service::Status& status) {
  using Code = service::Status::Code;
  switch (status.code()) {
    case Code::kMalformed:
      return Problem(400, status.message(), status.fields());
    case Code::kInvalidArgument:
      return Problem(422, status.message(), status.fields());
    case Code::kForbidden:
      return Problem(403, status.message(), status.fields());
    case Code::kNotFound:
      return Problem(404, status.message(), status.fields());
    case Code::kConflict:
      return Problem(409, status.message(), status.fields());
    case Code::kOk:
      break;
  }
  return Problem(500, "internal error; the request was not applied");
}

}  // namespace expectmatch::api
