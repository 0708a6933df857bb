# Writes a C++ source file holding the files of the DAECT web page (web/) as byte arrays, so
# that `expectmatch serve` serves the page it was built with, and nothing beside the binary.
# Run at build time by the custom command in api/CMakeLists.txt, again whenever a file changes:
#   cmake -DROOT=web -DFILES=index.html,assets/app.js -DOUTPUT=<build>/web_files.cc -P api/embed_web.cmake
# FILES are paths relative to ROOT, separated by commas (a CMake list's semicolons do not
# survive the command line). The table is sorted by path; web_assets.cc looks paths up in it.
cmake_minimum_required(VERSION 3.25)

if(NOT ROOT OR NOT FILES OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DROOT=<web dir> -DFILES=<a,b,...> -DOUTPUT=<file.cc> -P embed_web.cmake")
endif()

string(REPLACE "," ";" files "${FILES}")
list(SORT files)
string(REPEAT "[0-9a-f][0-9a-f]" 16 line_pattern)
set(arrays "")
set(table "")
set(index 0)
foreach(file IN LISTS files)
  if(NOT EXISTS "${ROOT}/${file}")
    message(FATAL_ERROR "embed_web: ${ROOT}/${file} does not exist")
  endif()
  if(file MATCHES "[\"\\\\]")
    message(FATAL_ERROR "embed_web: unsupported character in the file name ${file}")
  endif()
  file(READ "${ROOT}/${file}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  # Sixteen bytes per line: "0x7b,0x0a,...".
  string(REGEX REPLACE "(${line_pattern})" "\\1\n" hex "${hex}")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REPLACE "\n" "\n    " bytes "${bytes}")
  string(APPEND arrays "// ${file}\nconst unsigned char kFile${index}[] = {\n    ${bytes}0x00};\n\n")
  string(APPEND table "    {\"${file}\", kFile${index}, ${size}},\n")
  math(EXPR index "${index} + 1")
endforeach()

file(WRITE "${OUTPUT}.tmp"
"// Generated from ${ROOT} by api/embed_web.cmake. Do not edit.
#include <cstddef>

#include \"web_assets.h\"

namespace expectmatch::api::internal {
namespace {

${arrays}}  // namespace

extern const EmbeddedFile kWebFiles[];
extern const std::size_t kWebFileCount;

const EmbeddedFile kWebFiles[] = {
${table}};
const std::size_t kWebFileCount = ${index};

}  // namespace expectmatch::api::internal
")
# Only touch the output when it changed: no needless recompilation.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
