// Helpers shared by the handler files (private to api/).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "expectmatch/api/http.h"
#include "expectmatch/api/problem.h"
#include "expectmatch/datasets/codec.h"
#include "expectmatch/matcher/date.h"
#include "expectmatch/store/store.h"
#include "expectmatch/store_rows/store_rows.h"

namespace expectmatch::api::internal {

using datasets::Json;

HttpResponse JsonResponse(int status, const Json& body);
// Parses the request body as JSON; on failure returns the problem to answer.
std::optional<HttpResponse> ParseJsonBody(const HttpRequest& request, Json* body);
// Parses a non-negative integer within [min, max].
bool ParseSize(const std::string& text, size_t min, size_t max, size_t* out);
// Reads the `limit` (1–200) and `offset` query parameters; false when `name` is neither.
bool ParsePaging(const std::string& name, const std::string& value, size_t* limit, size_t* offset,
                 std::vector<ProblemField>* errors);
// Current UTC time, RFC 3339 ("2026-11-28T10:00:00Z"), and today's date.
std::string NowRfc3339();
std::string Today();
// Ids the API accepts for new records: 1 to 64 of [A-Za-z0-9._-], starting with a letter or
// digit, so that they stay usable in paths.
bool IsValidId(const std::string& id);
// 128 random bits as 32 hex digits.
std::string NewRequestId();

}  // namespace expectmatch::api::internal
