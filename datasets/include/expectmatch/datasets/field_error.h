// Where a decoding error is, and what it is.
//
// A FieldPath names a place inside a JSON document: its file (optional), then object keys and
// array indices. It prints as a dotted path for people (`collectivites.json[12].labels[0].theme`)
// and as an RFC 6901 JSON pointer for API clients (`/need/themes/0/theme`).
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace expectmatch::datasets {

class FieldPath {
 public:
  FieldPath() = default;
  // A path rooted at a file name, shown first in Dotted() and absent from Pointer().
  explicit FieldPath(std::string file) : file_(std::move(file)) {}

  FieldPath Key(std::string key) const;
  FieldPath Index(size_t index) const;

  std::string Dotted() const;   // "needs.json[3].period.start"
  std::string Pointer() const;  // "/3/period/start"; "" for the whole document

 private:
  std::string file_;
  std::vector<std::variant<std::string, size_t>> segments_;
};

// An object key as one JSON pointer token: "~" as "~0", "/" as "~1" (RFC 6901).
std::string EscapePointerToken(const std::string& key);

struct FieldError {
  FieldPath path;
  std::string message;  // e.g. `unknown theme "patrimoine.musee"`

  std::string ToString() const { return path.Dotted() + ": " + message; }
};

using FieldErrors = std::vector<FieldError>;

}  // namespace expectmatch::datasets
