# Writes a C++ source file holding api/openapi.json as a byte array, so that the server serves
# the document it was built with (GET /openapi.json). Run at build time by the custom command
# in api/CMakeLists.txt, again whenever the JSON changes:
#   cmake -DINPUT=api/openapi.json -DOUTPUT=<build>/openapi_document.cc -P api/embed_openapi.cmake
# Bytes rather than a string literal: no limit on literal length, no delimiter or encoding to
# escape. The document must parse as JSON, or the build fails here.
cmake_minimum_required(VERSION 3.25)

if(NOT INPUT OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DINPUT=<openapi.json> -DOUTPUT=<file.cc> -P embed_openapi.cmake")
endif()

file(READ "${INPUT}" text)
string(JSON version ERROR_VARIABLE json_error GET "${text}" openapi)
if(json_error)
  message(FATAL_ERROR "${INPUT} is not a valid OpenAPI document: ${json_error}")
endif()

file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# Sixteen bytes per line: "0x7b,0x0a,..." (CMake's regular expressions have no {n}).
string(REPEAT "[0-9a-f][0-9a-f]" 16 line_pattern)
string(REGEX REPLACE "(${line_pattern})" "\\1\n" hex "${hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REPLACE "\n" "\n    " bytes "${bytes}")
file(WRITE "${OUTPUT}"
"// Generated from ${INPUT} by api/embed_openapi.cmake (OpenAPI ${version}). Do not edit.
#include <cstddef>

namespace expectmatch::api::internal {

extern const unsigned char kOpenApiJson[];
extern const std::size_t kOpenApiJsonSize;

const unsigned char kOpenApiJson[] = {
    ${bytes}0x00};
const std::size_t kOpenApiJsonSize = ${size};

}  // namespace expectmatch::api::internal
")
