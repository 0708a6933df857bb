// Numbers as the tuning reports print them.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>

namespace expectmatch::tuning {

// `value` with `digits` decimals and a dot (for SVG coordinates and JSON-like text).
inline std::string Fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

// The same with a French decimal comma, for what a reader sees.
inline std::string Fr(double value, int digits) {
  std::string s = Fixed(value, digits);
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

}  // namespace expectmatch::tuning
