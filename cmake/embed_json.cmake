# Writes a C++ source file holding a JSON document as a byte array, so that the program carries
# the document it was built with and never reads the source tree. Run at build time by custom
# commands (api/CMakeLists.txt: api/openapi.json; synth/CMakeLists.txt: the theme taxonomy),
# again whenever the document changes:
#   cmake -DINPUT=<file.json> -DOUTPUT=<file.cc> -DNAMESPACE=<ns> -DSYMBOL=<name>
#         -DTYPE=<OBJECT|ARRAY> -P cmake/embed_json.cmake
# It defines `const unsigned char SYMBOL[]` (the bytes and a terminating NUL) and
# `const std::size_t SYMBOLSize` in NAMESPACE. Bytes rather than a string literal: no limit on
# literal length, no delimiter or encoding to escape. The document must parse as JSON with
# the TYPE given at its top, or the build fails here.
cmake_minimum_required(VERSION 3.25)

foreach(argument INPUT OUTPUT NAMESPACE SYMBOL TYPE)
  if(NOT ${argument})
    message(FATAL_ERROR "usage: cmake -DINPUT=<file.json> -DOUTPUT=<file.cc> -DNAMESPACE=<ns> "
                        "-DSYMBOL=<name> -DTYPE=<OBJECT|ARRAY> -P embed_json.cmake")
  endif()
endforeach()

file(READ "${INPUT}" text)
string(JSON type ERROR_VARIABLE json_error TYPE "${text}")
if(json_error OR NOT type STREQUAL TYPE)
  message(FATAL_ERROR "${INPUT}: a JSON ${TYPE} is required ${json_error}")
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
"// Generated from ${INPUT} by cmake/embed_json.cmake. Do not edit.
#include <cstddef>

namespace ${NAMESPACE} {

extern const unsigned char ${SYMBOL}[];
extern const std::size_t ${SYMBOL}Size;

const unsigned char ${SYMBOL}[] = {
    ${bytes}0x00};
const std::size_t ${SYMBOL}Size = ${size};

}  // namespace ${NAMESPACE}
")
