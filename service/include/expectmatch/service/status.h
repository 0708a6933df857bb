// The outcome of a use case, in the manner of leveldb's Status: ok, or a semantic failure with
// a message and the fields at fault. Nothing here knows HTTP: api/ maps each code to a status
// code in one function (api::ProblemFrom), the command line to its own messages.
//
// A Status is a small value; copy it freely. Thread-compatible.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "expectmatch/datasets/field_error.h"

namespace expectmatch::service {

// One field at fault: named by a JSON pointer into the input document, or by the name of a
// parameter (query or path), with what is wrong with it.
struct FieldIssue {
  std::string pointer;    // "" with `parameter` empty: the whole document
  std::string parameter;  // e.g. "period_from", "id"
  std::string detail;
};

class Status {
 public:
  enum class Code {
    kOk,
    kMalformed,        // the input cannot be read (a query parameter, a name in a path)
    kInvalidArgument,  // the input reads but its fields are invalid
    kForbidden,        // the caller may not do this
    kNotFound,         // no such record (or none the caller may see)
    kConflict,  // not in the record's current state (lifecycle, duplicate, concurrent update)
  };

  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status Malformed(std::string message, std::vector<FieldIssue> fields = {}) {
    return Status(Code::kMalformed, std::move(message), std::move(fields));
  }
  static Status InvalidArgument(std::string message, std::vector<FieldIssue> fields = {}) {
    return Status(Code::kInvalidArgument, std::move(message), std::move(fields));
  }
  // One issue per decoding error, named by its JSON pointer.
  static Status InvalidArgument(std::string message, const datasets::FieldErrors& errors);
  static Status Forbidden(std::string message, std::vector<FieldIssue> fields = {}) {
    return Status(Code::kForbidden, std::move(message), std::move(fields));
  }
  static Status NotFound(std::string message, std::vector<FieldIssue> fields = {}) {
    return Status(Code::kNotFound, std::move(message), std::move(fields));
  }
  static Status Conflict(std::string message, std::vector<FieldIssue> fields = {}) {
    return Status(Code::kConflict, std::move(message), std::move(fields));
  }

  // Adds a member to what the caller is told beyond the message and fields (for HTTP, an
  // extension member of the problem document), e.g. the themes suggested for a need that has
  // none.
  Status& With(const std::string& key, nlohmann::json value) {
    extensions_[key] = std::move(value);
    return *this;
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldIssue>& fields() const { return fields_; }
  // An object (empty unless With was called).
  const nlohmann::json& extensions() const { return extensions_; }

 private:
  Status(Code code, std::string message, std::vector<FieldIssue> fields)
      : code_(code), message_(std::move(message)), fields_(std::move(fields)) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::vector<FieldIssue> fields_;
  nlohmann::json extensions_ = nlohmann::json::object();
};

}  // namespace expectmatch::service
