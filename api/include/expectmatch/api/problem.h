// Errors as RFC 9457 problem details (`application/problem+json`):
//   {"type": "about:blank", "title": "...", "status": 422, "detail": "...",
//    "errors": [{"pointer": "/need/themes/0/theme", "detail": "unknown theme \"x\""}]}
// Body fields are named by JSON pointer, query parameters by `parameter`.
#pragma once

#include <string>
#include <vector>

#include "expectmatch/api/http.h"
#include "expectmatch/datasets/field_error.h"

namespace expectmatch::api {

struct ProblemField {
  std::string pointer;    // JSON pointer into the request body ("" for the whole body)
  std::string parameter;  // or the name of a query/path parameter
  std::string detail;
};

HttpResponse Problem(int status, const std::string& detail, const std::vector<ProblemField>& fields = {});
// One entry per decoding error, named by its JSON pointer.
HttpResponse Problem(int status, const std::string& detail, const datasets::FieldErrors& errors);

}  // namespace expectmatch::api
