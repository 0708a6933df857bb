#include "query.h"

#include <charconv>

namespace expectmatch::service {

bool ParseSize(const std::string& text, size_t min, size_t max, size_t* out) {
  size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return false;
  *out = value;
  return true;
}

bool ParsePaging(const std::string& name, const std::string& value, size_t* limit, size_t* offset,
                 std::vector<FieldIssue>* errors) {
  constexpr size_t kMaxPageSize = 200;
  if (name == "limit") {
    if (!ParseSize(value, 1, kMaxPageSize, limit)) {
      errors->push_back(
          {"", name, "must be an integer between 1 and " + std::to_string(kMaxPageSize)});
    }
    return true;
  }
  if (name == "offset") {
    if (!ParseSize(value, 0, 1'000'000'000, offset))
      errors->push_back({"", name, "must be a non-negative integer"});
    return true;
  }
  return false;
}

}  // namespace expectmatch::service
