#include "expectmatch/datasets/field_error.h"

namespace expectmatch::datasets {

FieldPath FieldPath::Key(std::string key) const {
  FieldPath out = *this;
  out.segments_.emplace_back(std::move(key));
  return out;
}

FieldPath FieldPath::Index(size_t index) const {
  FieldPath out = *this;
  out.segments_.emplace_back(index);
  return out;
}

std::string FieldPath::Dotted() const {
  std::string out = file_;
  for (const auto& segment : segments_) {
    if (const auto* key = std::get_if<std::string>(&segment)) {
      if (!out.empty()) out += '.';
      out += *key;
    } else {
      out += '[' + std::to_string(std::get<size_t>(segment)) + ']';
    }
  }
  return out.empty() ? "(document)" : out;
}

std::string EscapePointerToken(const std::string& key) {
  std::string out;
  for (char ch : key) {
    if (ch == '~') {
      out += "~0";
    } else if (ch == '/') {
      out += "~1";
    } else {
      out += ch;
    }
  }
  return out;
}

std::string FieldPath::Pointer() const {
  std::string out;
  for (const auto& segment : segments_) {
    out += '/';
    if (const auto* key = std::get_if<std::string>(&segment)) {
      out += EscapePointerToken(*key);
    } else {
      out += std::to_string(std::get<size_t>(segment));
    }
  }
  return out;
}

}  // namespace expectmatch::datasets
