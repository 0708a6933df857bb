// The DAECT web page (web/), built into the binary by api/embed_web.cmake and served by the
// transport (http_server.cc) at "/" and "/assets/...", beside the API's route table.
// Thread-safe: the assets are constant data.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "expectmatch/api/http.h"

namespace expectmatch::api {

namespace internal {
// One file of web/, as embedded (web_files.cc in the build tree, sorted by path).
struct EmbeddedFile {
  const char* path;  // relative to web/, e.g. "assets/app.js"
  const unsigned char* data;
  std::size_t size;
};
}  // namespace internal

// The Content-Security-Policy sent with every asset: the page loads scripts, styles, images and
// API responses from its own origin only, and nothing may frame it.
inline constexpr const char* kWebContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src "
    "'self'; "
    "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors "
    "'none'";

// True for the paths the page owns: "/", "/index.html" and everything under "/assets/".
bool IsWebPath(std::string_view path);

// The answer for a web path: the asset with its content type and security headers (200), a
// problem document for an unknown asset (404) or for a method other than GET and HEAD (405).
// Text assets are sent brotli- or gzip-encoded (Content-Encoding set) when `accept_encoding`,
// the request's Accept-Encoding header, allows it; each is compressed once and kept. Every
// asset has an ETag (its bytes' hash and coding): `if_none_match`, the request's If-None-Match
// header, naming it gets a 304 without a body.
// REQUIRES: IsWebPath(path).
HttpResponse ServeWebAsset(const std::string& method, const std::string& path,
                           std::string_view accept_encoding = {},
                           std::string_view if_none_match = {});

}  // namespace expectmatch::api
