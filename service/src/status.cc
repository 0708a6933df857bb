#include "expectmatch/service/status.h"

namespace expectmatch::service {

Status Status::InvalidArgument(std::string message, const datasets::FieldErrors& errors) {
  std::vector<FieldIssue> fields;
  for (const datasets::FieldError& error : errors)
    fields.push_back({error.path.Pointer(), "", error.message});
  return InvalidArgument(std::move(message), std::move(fields));
}

}  // namespace expectmatch::service
