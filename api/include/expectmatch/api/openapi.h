// The OpenAPI 3.1 document of the service (api/openapi.json), built into the binary.
#pragma once

#include <string_view>

namespace expectmatch::api {

std::string_view OpenApiDocument();

}  // namespace expectmatch::api
