// Reading query parameters (private to service/).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "expectmatch/service/status.h"

namespace expectmatch::service {

// Parses a non-negative integer within [min, max].
bool ParseSize(const std::string& text, size_t min, size_t max, size_t* out);
// Reads the `limit` (1–200) and `offset` query parameters; false when `name` is neither.
bool ParsePaging(const std::string& name, const std::string& value, size_t* limit, size_t* offset,
                 std::vector<FieldIssue>* errors);

}  // namespace expectmatch::service
