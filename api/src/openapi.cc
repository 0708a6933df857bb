#include "expectmatch/api/openapi.h"

#include <cstddef>

namespace expectmatch::api {
namespace internal {
// api/openapi.json, embedded at build time (cmake/embed_json.cmake writes kOpenApiJson.cc
// in the build tree); kOpenApiJson holds kOpenApiJsonSize bytes and a terminating NUL.
extern const unsigned char kOpenApiJson[];
extern const std::size_t kOpenApiJsonSize;
}  // namespace internal

std::string_view OpenApiDocument() {
  return {reinterpret_cast<const char*>(internal::kOpenApiJson), internal::kOpenApiJsonSize};
}

}  // namespace expectmatch::api
