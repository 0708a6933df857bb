// The page's assets over HTTP: text sent compressed once per file (brotli, else gzip) to the
// clients that accept it, the same bytes once decoded; fonts and the API's answers as they are.
#include <gtest/gtest.h>

#include <string>

#include "live_server.h"

namespace expectmatch {
namespace {

class WebAssets : public testing::LiveServer<WebAssets> {
 protected:
  // GET `path` sending `accept_encoding` (none when empty), decoding the body unless `raw`.
  static httplib::Result Fetch(const std::string& path, const std::string& accept_encoding,
                               bool raw = false, const std::string& key = "") {
    httplib::Client client = Client(key);
    client.set_decompress(!raw);
    httplib::Headers headers;
    if (!accept_encoding.empty()) headers.emplace("Accept-Encoding", accept_encoding);
    return client.Get(path.c_str(), headers);
  }
};

constexpr const char* kStylesheet = "/assets/vendor/dsfr/dsfr.min.css";

TEST_F(WebAssets, TheStylesheetIsSentBrotliToABrowserAndDecodesToTheSameBytes) {
  auto plain = Fetch(kStylesheet, "");
  ASSERT_TRUE(plain);
  ASSERT_EQ(plain->status, 200);
  EXPECT_FALSE(plain->has_header("Content-Encoding"));
  EXPECT_EQ(plain->get_header_value("Vary"), "Accept-Encoding");
  ASSERT_GT(plain->body.size(), 400'000u);  // DSFR's core and components

  // What Chromium sends.
  auto brotli = Fetch(kStylesheet, "gzip, deflate, br, zstd", /*raw=*/true);
  ASSERT_TRUE(brotli);
  EXPECT_EQ(brotli->get_header_value("Content-Encoding"), "br");
  EXPECT_EQ(brotli->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_LT(brotli->body.size(), plain->body.size() / 5);
  auto decoded = Fetch(kStylesheet, "gzip, deflate, br, zstd");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->body, plain->body);
  // Compressed once: a second request gets the same bytes.
  auto again = Fetch(kStylesheet, "br", /*raw=*/true);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, brotli->body);
}

TEST_F(WebAssets, GzipWhenBrotliIsNotAcceptedAndNothingWhenNeitherIs) {
  auto plain = Fetch("/assets/app.js", "");
  ASSERT_TRUE(plain);
  auto gzip = Fetch("/assets/app.js", "gzip, deflate", /*raw=*/true);
  ASSERT_TRUE(gzip);
  EXPECT_EQ(gzip->get_header_value("Content-Encoding"), "gzip");
  EXPECT_LT(gzip->body.size(), plain->body.size());
  EXPECT_EQ(Fetch("/assets/app.js", "gzip, deflate")->body, plain->body);
  // q=0 refuses a coding.
  auto refused = Fetch("/assets/app.js", "br;q=0, gzip;q=0.0", /*raw=*/true);
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->has_header("Content-Encoding"));
  EXPECT_EQ(refused->body, plain->body);
  auto weighted = Fetch("/assets/app.js", "br;q=0, gzip;q=0.5", /*raw=*/true);
  ASSERT_TRUE(weighted);
  EXPECT_EQ(weighted->get_header_value("Content-Encoding"), "gzip");
}

TEST_F(WebAssets, FontsAndTheApiAnswersAreNotCompressed) {
  auto font = Fetch("/assets/vendor/dsfr/fonts/Marianne-Regular.woff2", "br, gzip", true);
  ASSERT_TRUE(font);
  ASSERT_EQ(font->status, 200);
  EXPECT_EQ(font->get_header_value("Content-Type"), "font/woff2");
  EXPECT_FALSE(font->has_header("Content-Encoding"));
  // A JSON answer would otherwise be compressed by the transport at brotli's slowest setting.
  auto needs = Fetch("/v1/needs", "br, gzip", /*raw=*/true, daect_);
  ASSERT_TRUE(needs);
  ASSERT_EQ(needs->status, 200);
  EXPECT_FALSE(needs->has_header("Content-Encoding"));
  EXPECT_EQ(needs->body.front(), '{');
}

TEST_F(WebAssets, AReloadRevalidatesWithTheETagAndGetsA304WithoutABody) {
  auto first = Fetch("/assets/app.css", "br");
  ASSERT_TRUE(first);
  const std::string etag = first->get_header_value("ETag");
  ASSERT_EQ(etag.size(), 2u + 16u + 3u) << etag;  // "<16 hex digits>-br"
  EXPECT_EQ(etag.substr(etag.size() - 4), "-br\"");
  EXPECT_EQ(first->get_header_value("Cache-Control"), "no-cache");

  httplib::Client client = Client("");
  client.set_decompress(false);
  auto again = client.Get("/assets/app.css", {{"Accept-Encoding", "br"}, {"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  // Another coding is another representation: its own validator, a full answer.
  auto gzip = client.Get("/assets/app.css", {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}});
  ASSERT_TRUE(gzip);
  EXPECT_EQ(gzip->status, 200);
  EXPECT_NE(gzip->get_header_value("ETag"), etag);
  // A stale validator (another build's file) gets the file.
  auto stale = client.Get("/assets/app.css", {{"If-None-Match", "\"0000000000000000\""}});
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 200);
  EXPECT_FALSE(stale->body.empty());
}

}  // namespace
}  // namespace expectmatch
