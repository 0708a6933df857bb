// The hostile input catalogue: what an embassy script gone wrong, or someone probing
// the API, may send. Each case goes over a bare socket to a live server and must get its exact
// 4xx as a problem document naming the field (JSON pointer, or parameter/header name); after
// each, the server must still answer. Free text full of SQL and markup is stored verbatim.
#include "live_server.h"
#include "raw_http.h"

namespace expectmatch::api {
namespace {

using datasets::Json;

class Hostile : public testing::LiveServer<Hostile> {
 protected:
  static testing::RawResponse Send(const std::string& method, const std::string& target,
                                   const std::string& body, std::vector<std::string> headers = {},
                                   bool authorize = true) {
    if (authorize) headers.push_back("Authorization: Bearer " + daect_);
    return testing::RawRequest(server_->port(), method, target, headers, body);
  }
};

struct Case {
  const char* name;
  const char* method;
  std::string target;
  std::string body;
  int status;
  std::string where;       // the first error's pointer or parameter
  bool parameter = false;  // `where` names a parameter (query, path, header)
  bool prefix = false;     // `where` is a prefix of the pointer (deep nesting)
  std::vector<std::string> headers = {"Content-Type: application/json"};
};

std::string Repeat(const std::string& text, size_t times) {
  std::string out;
  out.reserve(text.size() * times);
  for (size_t i = 0; i < times; ++i) out += text;
  return out;
}

const char* kNeed =
    R"({"country": "SN", "partner": {"name": "Commune de Louga"}, "themes": [{"theme": "env.eau", "weight": 1}],
    "languages": ["fr"], "period": {"start": "2027-05-03", "end": "2027-05-07"}})";

// kNeed with `field` (a top-level key) replaced by `value` (JSON text).
std::string NeedWith(const std::string& field, const std::string& value) {
  Json need = Json::parse(kNeed);
  need[field] = Json::parse(value);
  return need.dump();
}

std::vector<Case> Catalogue() {
  const std::string sql = R"(x' OR '1'='1'; DROP TABLE needs; --)";
  const std::string sql_json = Json(sql).dump();
  std::vector<Case> cases = {
      // Malformed and truncated JSON: 400, the body as a whole.
      {"truncated", "POST", "/v1/match", R"({"need_id": )", 400, ""},
      {"empty body", "POST", "/v1/match", "", 400, ""},
      {"not json", "POST", "/v1/match", "need_id=n1", 400, ""},
      {"trailing garbage", "POST", "/v1/match", R"({"need_id": "n1"} x)", 400, ""},
      {"single quotes", "POST", "/v1/match", R"({'need_id': 'n1'})", 400, ""},
      {"trailing comma", "POST", "/v1/match", R"({"need_id": "n1",})", 400, ""},
      {"comment", "POST", "/v1/match", R"({"need_id": "n1" /* hi */})", 400, ""},
      {"unclosed string", "POST", "/v1/match", R"({"need_id": "n1)", 400, ""},
      {"NaN", "POST", "/v1/match", R"({"need_id": "n1", "weights": {"thematic": NaN}})", 400, ""},
      {"Infinity", "POST", "/v1/match", R"({"need_id": "n1", "weights": {"thematic": Infinity}})",
       400, ""},
      {"-Infinity", "POST", "/v1/match", R"({"need_id": "n1", "k": -Infinity})", 400, ""},
      {"hex number", "POST", "/v1/match", R"({"need_id": "n1", "k": 0x10})", 400, ""},
      {"leading zeros", "POST", "/v1/match", R"({"need_id": "n1", "k": 007})", 400, ""},
      // Invalid UTF-8 and broken escapes: not JSON.
      {"invalid utf-8", "POST", "/v1/match", "{\"need_id\": \"\xff\xfe\"}", 400, ""},
      {"overlong utf-8", "POST", "/v1/match", "{\"need_id\": \"\xc0\xaf\"}", 400, ""},
      {"truncated utf-8", "POST", "/v1/match", "{\"need_id\": \"\xe2\x82\"}", 400, ""},
      {"lone surrogate", "POST", "/v1/match", R"({"need_id": "\ud800"})", 400, ""},
      {"raw control character", "POST", "/v1/match", "{\"need_id\": \"n\x01\"}", 400, ""},
      {"invalid utf-8 in a key", "POST", "/v1/match", "{\"\xff\": 1}", 400, ""},
      // Duplicate keys: refused, the member named.
      {"duplicate k", "POST", "/v1/match", R"({"need_id": "n1", "k": 0, "k": 5})", 400, "/k"},
      {"duplicate nested", "POST", "/v1/needs", R"({"country": "SN", "country": "MA"})", 400,
       "/country"},
      // Deep nesting: refused before parsing, the place named.
      {"deep arrays", "POST", "/v1/match", R"({"need_id": "n1", "weights": )" + Repeat("[", 100000),
       400, "/weights/0/0/0", false, true},
      {"deep objects", "POST", "/v1/match", Repeat(R"({"a": )", 5000) + "1" + Repeat("}", 5000),
       400, "/a/a/a/a", false, true},
      // The body's shape and the fields' types.
      {"body is an array", "POST", "/v1/match", "[1, 2]", 422, ""},
      {"body is a string", "POST", "/v1/match", R"("n1")", 422, ""},
      {"body is null", "POST", "/v1/match", "null", 422, ""},
      {"need_id a number", "POST", "/v1/match", R"({"need_id": 12})", 422, "/need_id"},
      {"need_id empty", "POST", "/v1/match", R"({"need_id": ""})", 422, "/need_id"},
      {"need_id an array", "POST", "/v1/match", R"({"need_id": ["n1"]})", 422, "/need_id"},
      {"need and need_id", "POST", "/v1/match", R"({"need_id": "n1", "need": {}})", 422, "/need"},
      {"k a string", "POST", "/v1/match", R"({"need_id": "n1", "k": "5"})", 422, "/k"},
      {"k a fraction", "POST", "/v1/match", R"({"need_id": "n1", "k": 2.5})", 422, "/k"},
      {"k zero", "POST", "/v1/match", R"({"need_id": "n1", "k": 0})", 422, "/k"},
      {"k negative", "POST", "/v1/match", R"({"need_id": "n1", "k": -1})", 422, "/k"},
      {"k absurd", "POST", "/v1/match", R"({"need_id": "n1", "k": 1000000})", 422, "/k"},
      {"k beyond 64 bits", "POST", "/v1/match", R"({"need_id": "n1", "k": 18446744073709551616})",
       422, "/k"},
      {"k beyond a double", "POST", "/v1/match", R"({"need_id": "n1", "k": 1e400})", 422, "/k"},
      {"weight beyond a double", "POST", "/v1/match",
       R"({"need_id": "n1", "weights": {"thematic": -1e309}})", 422, "/weights/thematic"},
      {"weight negative", "POST", "/v1/match", R"({"need_id": "n1", "weights": {"thematic": -1}})",
       422, "/weights/thematic"},
      {"weight a string", "POST", "/v1/match", R"({"need_id": "n1", "weights": {"thematic": "1"}})",
       422, "/weights/thematic"},
      {"weight unknown", "POST", "/v1/match", R"({"need_id": "n1", "weights": {"nope": 1}})", 422,
       "/weights/nope"},
      {"explain a string", "POST", "/v1/match", R"({"need_id": "n1", "explain": "yes"})", 422,
       "/explain"},
      {"unknown field", "POST", "/v1/match", R"({"need_id": "n1", "kk": 1})", 422, "/kk"},
      {"max_per_region zero", "POST", "/v1/match", R"({"need_id": "n1", "max_per_region": 0})", 422,
       "/max_per_region"},
      {"profile_version zero", "POST", "/v1/match", R"({"need_id": "n1", "profile_version": 0})",
       422, "/profile_version"},
      {"inline need country a number", "POST", "/v1/match", R"({"need": {"country": 12}})", 422,
       "/need/country"},
      {"inline theme weight beyond a double", "POST", "/v1/match",
       R"({"need": {"country": "SN", "themes": [{"theme": "env.eau", "weight": 1e999}]}})", 422,
       "/need/themes/0/weight"},
      // Unknown things.
      {"unknown profile", "POST", "/v1/match", R"({"need_id": "n1", "profile": "nope"})", 422,
       "/profile"},
      {"unknown profile version", "POST", "/v1/match",
       R"({"need_id": "n1", "profile_version": 999999})", 422, "/profile_version"},
      {"unknown need", "POST", "/v1/match", R"({"need_id": "n-none"})", 404, "/need_id"},
      {"need_id with NUL", "POST", "/v1/match", R"({"need_id": "n1\u0000"})", 404, "/need_id"},
      {"need_id path traversal", "POST", "/v1/match", R"({"need_id": "../../etc/passwd"})", 404,
       "/need_id"},
      // SQL meta-characters in every string field that names something.
      {"sql in need_id", "POST", "/v1/match", R"({"need_id": )" + sql_json + "}", 404, "/need_id"},
      {"sql in profile", "POST", "/v1/match", R"({"need_id": "n1", "profile": )" + sql_json + "}",
       422, "/profile"},
      {"sql in weights key", "POST", "/v1/match",
       R"({"need_id": "n1", "weights": {)" + sql_json + ": 1}}", 422, "/weights/" + sql},
      {"sql in need id", "POST", "/v1/needs", NeedWith("id", sql_json), 422, "/id"},
      {"sql in country", "POST", "/v1/needs", NeedWith("country", sql_json), 422, "/country"},
      {"sql in theme", "POST", "/v1/needs", NeedWith("themes", R"([{"theme": )" + sql_json + "}]"),
       422, "/themes/0/theme"},
      {"sql in language", "POST", "/v1/needs", NeedWith("languages", "[" + sql_json + "]"), 422,
       "/languages/0"},
      {"sql in period", "POST", "/v1/needs",
       NeedWith("period", R"({"start": )" + sql_json + R"(, "end": "2027-05-07"})"), 422,
       "/period/start"},
      {"sql in status", "POST", "/v1/needs", NeedWith("status", sql_json), 422, "/status"},
      {"sql in decision", "POST", "/v1/needs/n1/decision", R"({"collectivite": )" + sql_json + "}",
       422, "/collectivite"},
      {"sql in patched status", "PATCH", "/v1/needs/n1", R"({"status": )" + sql_json + "}", 422,
       "/status"},
      {"sql in query country", "GET", "/v1/needs?country=SN%27%20OR%201%3D1", "", 400, "country",
       true},
      {"sql in query status", "GET", "/v1/needs?status=%27%3B--", "", 400, "status", true},
      {"sql in query theme", "GET", "/v1/needs?theme=%3Cscript%3E", "", 400, "theme", true},
      {"sql in query region", "GET", "/v1/collectivites?region=%27%20OR%20%27%27%3D%27", "", 400,
       "region", true},
      {"sql in need path id", "GET", "/v1/needs/n1%27%20OR%20%271%27%3D%271", "", 404, "id", true},
      {"sql in authority path id", "PUT", "/v1/collectivites/x%27%3B%20DROP", "{}", 422, "/id"},
      {"sql in profile name", "PUT", "/v1/profiles/a%27%3B--", R"({"weights": {}})", 400, "name",
       true},
      // Paths: traversal, encoded or not.
      {"traversal in need id", "GET", "/v1/needs/..%2F..%2Fetc%2Fpasswd", "", 404, "path", true},
      {"dot-dot need id", "GET", "/v1/needs/%2e%2e", "", 404, "id", true},
      {"traversal in authority id", "GET", "/v1/collectivites/..%2f..%2fvar%2fexpectmatch.db", "",
       404, "path", true},
      {"traversal in profile name", "PUT", "/v1/profiles/..%2F..%2Fx", R"({"weights": {}})", 404,
       "path", true},
      {"plain traversal", "GET", "/v1/../../etc/passwd", "", 404, "path", true},
      // Query parameters.
      {"limit beyond a double", "GET", "/v1/needs?limit=1e400", "", 400, "limit", true},
      {"limit negative", "GET", "/v1/needs?limit=-1", "", 400, "limit", true},
      {"offset huge", "GET", "/v1/needs?offset=99999999999999999999999", "", 400, "offset", true},
      {"version huge", "GET", "/v1/profiles/default?version=99999999999999999999", "", 400,
       "version", true},
      {"unknown parameter", "GET", "/v1/needs?drop=table", "", 400, "drop", true},
      // Other bodies.
      {"decision note a number", "POST", "/v1/needs/n1/decision",
       R"({"collectivite": "com-a", "note": 5})", 422, "/note"},
      {"patch a fixed field", "PATCH", "/v1/needs/n1", R"({"id": "other"})", 422, "/id"},
      {"mission rating beyond a double", "PUT", "/v1/needs/n2/mission",
       R"({"start": "2027-01-01", "rating": 1e400})", 422, "/rating"},
      {"profile weight too big", "PUT", "/v1/profiles/hostile", R"({"weights": {"thematic": 11}})",
       422, "/weights/thematic"},
      {"profile description an array", "PUT", "/v1/profiles/hostile",
       R"({"description": [], "weights": {}})", 422, "/description"},
      {"need period impossible date", "POST", "/v1/needs",
       NeedWith("period", R"({"start": "2027-02-30", "end": "2027-05-07"})"), 422, "/period/start"},
      // Content types and sizes.
      {"text/plain",
       "POST",
       "/v1/match",
       R"({"need_id": "n1"})",
       415,
       "Content-Type",
       true,
       false,
       {"Content-Type: text/plain"}},
      {"multipart",
       "POST",
       "/v1/match",
       R"({"need_id": "n1"})",
       415,
       "Content-Type",
       true,
       false,
       {"Content-Type: multipart/form-data; boundary=x"}},
      {"xml",
       "POST",
       "/v1/needs",
       "<need/>",
       415,
       "Content-Type",
       true,
       false,
       {"Content-Type: application/xml"}},
      {"oversized body", "POST", "/v1/match", std::string((1 << 20) + 1, ' '), 413,
       "Content-Length", true},
      // Headers too large.
      {"one huge header",
       "GET",
       "/v1/themes",
       "",
       431,
       "headers",
       true,
       false,
       {"X-Pad: " + std::string(10000, 'a')}},
      {"many headers", "GET", "/v1/themes", "", 431, "headers", true, false,
       std::vector<std::string>(300, "X-Pad: " + std::string(100, 'b'))},
      {"huge authorization",
       "GET",
       "/v1/themes",
       "",
       431,
       "headers",
       true,
       false,
       {"Authorization: Bearer " + std::string(20000, 'k')}},
      {"request target too long", "GET", "/v1/needs?theme=" + std::string(9000, 'x'), "", 414,
       "path", true},
  };
  return cases;
}

TEST_F(Hostile, EveryCaseGetsItsExact4xxNamingTheFieldAndTheServerAnswersOn) {
  const std::vector<Case> cases = Catalogue();
  ASSERT_GE(cases.size(), 50u);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    testing::RawResponse response = Send(c.method, c.target, c.body, c.headers);
    ASSERT_EQ(response.status, c.status) << response.head << "\n" << response.body.substr(0, 500);
    EXPECT_EQ(testing::RawHeader(response, "Content-Type"), "application/problem+json");
    Json problem = Json::parse(response.body, nullptr, false);
    ASSERT_FALSE(problem.is_discarded()) << response.body.substr(0, 500);
    EXPECT_EQ(problem["status"], c.status);
    ASSERT_TRUE(problem.contains("errors")) << response.body.substr(0, 500);
    const Json& first = problem["errors"][0];
    const char* kind = c.parameter ? "parameter" : "pointer";
    ASSERT_TRUE(first.contains(kind)) << first.dump();
    const std::string named = first[kind];
    if (c.prefix) {
      EXPECT_EQ(named.rfind(c.where, 0), 0u) << named.substr(0, 200);
    } else {
      EXPECT_EQ(named, c.where) << response.body.substr(0, 500);
    }
    // Still answering, on a fresh connection.
    testing::RawResponse health = Send("GET", "/healthz", "", {}, false);
    ASSERT_EQ(health.status, 200) << "after " << c.name;
  }
}

TEST_F(Hostile, NoKeyAndForgedKeysAreNamed) {
  for (const std::string& authorization :
       {std::string(), std::string("Authorization: Bearer ' OR 1=1 --"),
        std::string("Authorization: Basic YWRtaW46YWRtaW4="),
        std::string("Authorization: Bearer emk_") + std::string(64, '0'),
        std::string("Authorization: Bearer \xff\xfe")}) {
    std::vector<std::string> headers = {"Content-Type: application/json"};
    if (!authorization.empty()) headers.push_back(authorization);
    testing::RawResponse response =
        testing::RawRequest(server_->port(), "POST", "/v1/match", headers, R"({"need_id": "n1"})");
    ASSERT_EQ(response.status, 401) << authorization;
    EXPECT_EQ(testing::RawHeader(response, "WWW-Authenticate"), "Bearer realm=\"expectmatch\"");
    EXPECT_EQ(Json::parse(response.body)["errors"][0]["parameter"], "Authorization");
  }
}

// A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3): it
// is answered at once, as with an empty body, and the connection goes on with the next request.
// (httplib alone read such a body until the client closed: `curl -X POST .../accept` without
// -d waited for the read timeout, then got a bare 400.)
TEST_F(Hostile, ARequestWithoutContentLengthHasAnEmptyBody) {
  struct Bodiless {
    const char* method;
    const char* target;
    int status;
  };
  for (const Bodiless& c :
       {Bodiless{"POST", "/v1/assignments/a-none/accept", 404}, Bodiless{"POST", "/v1/match", 400},
        Bodiless{"PUT", "/v1/profiles/bodiless", 400}, Bodiless{"PATCH", "/v1/needs/n1", 400}}) {
    SCOPED_TRACE(std::string(c.method) + " " + c.target);
    // Shorter than the server's read timeout (5 s): waiting for a body would answer nothing.
    testing::RawConnection connection(server_->port(), /*receive_timeout_seconds=*/3);
    ASSERT_TRUE(connection.ok());
    ASSERT_TRUE(connection.Send(
        std::string(c.method) + " " + c.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
        "Authorization: Bearer " + daect_ + "\r\nContent-Type: application/json\r\n\r\n" +
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
    const std::string wire = connection.ReceiveAll();
    const size_t second = wire.find("HTTP/1.1 ", 1);
    testing::RawResponse first = testing::ParseRawResponse(wire.substr(0, second));
    ASSERT_EQ(first.status, c.status) << wire.substr(0, 600);
    EXPECT_EQ(testing::RawHeader(first, "Content-Type"), "application/problem+json");
    ASSERT_NE(second, std::string::npos)
        << "no answer to the request after it: " << wire.substr(0, 600);
    EXPECT_EQ(testing::ParseRawResponse(wire.substr(second)).status, 200);
  }
}

TEST_F(Hostile, FreeTextFullOfSqlAndMarkupIsStoredVerbatim) {
  const std::string text =
      "'; DROP TABLE needs; -- \" OR 1=1 <script>alert(1)</script> \\ % _ ` $(rm -rf /) 日本 "
      "🙂";
  Json need = Json::parse(kNeed);
  need["id"] = "n-hostile-text";
  need["partner"]["name"] = text;
  need["description"] = text;
  testing::RawResponse created =
      Send("POST", "/v1/needs", need.dump(), {"Content-Type: application/json"});
  ASSERT_EQ(created.status, 201) << created.body;
  testing::RawResponse decided = Send("POST", "/v1/needs/n-hostile-text/decision",
                                      Json{{"collectivite", "com-a"}, {"note", text}}.dump(),
                                      {"Content-Type: application/json"});
  ASSERT_EQ(decided.status, 200) << decided.body;
  Json read = Json::parse(Send("GET", "/v1/needs/n-hostile-text", "").body);
  EXPECT_EQ(read["partner"]["name"], text);
  EXPECT_EQ(read["description"], text);
  EXPECT_EQ(read["decisions"][0]["note"], text);
  // The other needs are all still there.
  EXPECT_EQ(Send("GET", "/v1/needs/n1", "").status, 200);
  EXPECT_EQ(Send("GET", "/v1/needs/n2", "").status, 200);
}

}  // namespace
}  // namespace expectmatch::api
