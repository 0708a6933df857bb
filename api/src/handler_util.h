// Helpers shared by the handler files (private to api/).
#pragma once

#include <optional>
#include <string>

#include "expectmatch/api/http.h"
#include "expectmatch/api/problem.h"
#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/status.h"

namespace expectmatch::api::internal {

using datasets::Json;

HttpResponse JsonResponse(int status, const Json& body);
// Parses the request body as JSON; on failure returns the problem to answer (415 not JSON,
// 400 malformed, too deep or with a duplicate member, 422 a number beyond a double).
std::optional<HttpResponse> ParseJsonBody(const HttpRequest& request, Json* body);
// `body` with status `ok_status` when `status` is ok, else the problem it maps to.
inline HttpResponse Answer(const service::Status& status, int ok_status, const Json& body) {
  return status.ok() ? JsonResponse(ok_status, body) : ProblemFrom(status);
}

}  // namespace expectmatch::api::internal
