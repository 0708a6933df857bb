// Errors as RFC 9457 problem details (`application/problem+json`):
//   {"type": "about:blank", "title": "...", "status": 422, "detail": "...",
//    "errors": [{"pointer": "/need/themes/0/theme", "detail": "unknown theme \"x\""}]}
// Body fields are named by JSON pointer, query parameters by `parameter`.
#pragma once

#include <string>
#include <vector>

#include "expectmatch/api/http.h"
#include "expectmatch/datasets/field_error.h"
#include "expectmatch/service/status.h"

namespace expectmatch::api {

// A field at fault: a JSON pointer into the request body ("" for the whole body), or the name
// of a query/path parameter, with what is wrong with it.
using ProblemField = service::FieldIssue;

HttpResponse Problem(int status, const std::string& detail,
                     const std::vector<ProblemField>& fields = {});
// One entry per decoding error, named by its JSON pointer.
HttpResponse Problem(int status, const std::string& detail, const datasets::FieldErrors& errors);

// The one mapping of the service's semantic statuses to HTTP: malformed 400, invalid 422,
// forbidden 403, not found 404, conflict 409. REQUIRES: !status.ok().
HttpResponse ProblemFrom(const service::Status& status);

}  // namespace expectmatch::api
