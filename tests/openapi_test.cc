// The API contract (api/openapi.json) against the live server.
//
// These tests call every operation of the route table on a live server (success and the
// typical errors: 400, 401, 403, 404, 409, 413, 414, 415, 422, 431) and record each response
// (method, route pattern, status, content type, headers, body) in
// EXPECTMATCH_OPENAPI_RESPONSES, one JSON object per line. tests/openapi/validate.mjs then validates every recorded body against
// the schema the document gives for that (route, method, status, content type): the ctest
// `openapi_record` runs this suite, `openapi_responses` runs the validator after it.
//
// The file is written (to a temporary name, then renamed) only when the whole suite ran in
// one process, so that the per-test runs of gtest_discover_tests, possibly in parallel, never
// leave a partial file behind. Each test is self-contained: it creates the needs, authorities
// and profiles it uses, with ids no other test uses.
//
// Here in C++: the document parses, lists exactly the routes of the route table (kOperations,
// plus the transport's /metrics), is the one built into the binary, and its `security` and
// `x-roles` are what the server enforces.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "expectmatch/api/openapi.h"
#include "expectmatch/service/clock.h"
#include "live_server.h"
#include "report_files.h"

namespace expectmatch::api {
namespace {

using datasets::Json;

// The route table of api/src/service.cc, plus GET /metrics, which the transport serves.
const std::set<std::pair<std::string, std::string>> kOperations = {
    {"GET", "/healthz"},
    {"GET", "/openapi.json"},
    {"GET", "/metrics"},
    {"GET", "/v1/whoami"},
    {"GET", "/v1/themes"},
    {"POST", "/v1/themes/suggest"},
    {"GET", "/v1/partners"},
    {"GET", "/v1/partners/{id}"},
    {"POST", "/v1/partners/{id}/aliases"},
    {"POST", "/v1/partners/{id}/merge"},
    {"POST", "/v1/match"},
    {"GET", "/v1/needs"},
    {"POST", "/v1/needs"},
    {"GET", "/v1/needs/{id}"},
    {"PATCH", "/v1/needs/{id}"},
    {"POST", "/v1/needs/{id}/decision"},
    {"PUT", "/v1/needs/{id}/mission"},
    {"GET", "/v1/reports/overdue"},
    {"GET", "/v1/reports"},
    {"GET", "/v1/needs/{id}/related-reports"},
    {"GET", "/v1/collectivites"},
    {"GET", "/v1/collectivites/{id}"},
    {"PUT", "/v1/collectivites/{id}"},
    {"GET", "/v1/profiles"},
    {"GET", "/v1/profiles/{name}"},
    {"PUT", "/v1/profiles/{name}"},
    {"POST", "/v1/assignments"},
    {"GET", "/v1/assignments/{id}"},
    {"POST", "/v1/assignments/{id}/accept"},
    {"POST", "/v1/needs/{id}/proposals"},
    {"GET", "/v1/needs/{id}/proposals"},
    {"GET", "/v1/proposals"},
    {"GET", "/v1/proposals/{id}"},
    {"POST", "/v1/proposals/{id}/accept"},
    {"POST", "/v1/proposals/{id}/decline"},
    {"POST", "/v1/proposals/{id}/withdraw"},
    {"GET", "/v1/missions"},
    {"PUT", "/v1/needs/{id}/report/document"},
    {"GET", "/v1/needs/{id}/report/document"},
    {"PUT", "/v1/needs/{id}/report"},
    {"GET", "/v1/needs/{id}/report"},
    {"GET", "/v1/reports/export.csv"},
    {"GET", "/v1/outbox"},
    {"POST", "/v1/label-applications"},
    {"GET", "/v1/label-applications"},
    {"GET", "/v1/label-applications/{id}"},
    {"POST", "/v1/label-applications/{id}/review"},
    {"POST", "/v1/label-applications/{id}/decision"},
    {"POST", "/v1/label-applications/{id}/answer"},
    {"POST", "/v1/label-applications/{id}/documents"},
    {"GET", "/v1/label-applications/{id}/documents/{sha256}"},
    {"GET", "/v1/collectivites/{id}/labels/history"},
    {"GET", "/v1/labels/expiring"},
    {"GET", "/v1/labels/export.csv"},
};

const std::vector<std::string> kMethods = {"get",     "put",  "post",  "delete",
                                           "options", "head", "patch", "trace"};

std::string Upper(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return text;
}

std::string Lower(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class OpenApi : public testing::LiveServer<OpenApi> {
 protected:
  static void TearDownTestSuite() {
    WriteRecordsIfComplete();
    testing::LiveServer<OpenApi>::TearDownTestSuite();
  }

  // Sends a request and records its response under (method, route). `key` "" sends none;
  // `content_type` "" sends no Content-Type.
  static httplib::Result Send(const std::string& method, const std::string& route,
                              const std::string& path, const std::string& body = "",
                              const std::string& key = daect_,
                              const std::string& content_type = "application/json") {
    httplib::Client client = Client(key);
    const httplib::Headers headers;
    httplib::Result result = [&] {
      if (method == "POST") return client.Post(path.c_str(), headers, body, content_type.c_str());
      if (method == "PUT") return client.Put(path.c_str(), headers, body, content_type.c_str());
      if (method == "PATCH") return client.Patch(path.c_str(), headers, body, content_type.c_str());
      EXPECT_EQ(method, "GET") << "unsupported method";
      return client.Get(path.c_str(), headers);
    }();
    if (!result) {
      ADD_FAILURE() << method << " " << path << ": no response";
      return result;
    }
    Json headers_seen = Json::object();
    for (const auto& [name, value] : result->headers) headers_seen[Lower(name)] = value;
    Json record{{"method", method},
                {"route", route},
                {"path", path},
                {"status", result->status},
                {"content_type", result->get_header_value("Content-Type")},
                {"headers", headers_seen},
                {"body", result->body}};
    std::lock_guard lock(records_mutex_);
    records_.push_back(record.dump(-1, ' ', false, Json::error_handler_t::replace));
    return result;
  }

  // Sends and expects `status`; returns the parsed body (null when it is not JSON).
  static Json Expect(int status, const std::string& method, const std::string& route,
                     const std::string& path, const std::string& body = "",
                     const std::string& key = daect_,
                     const std::string& content_type = "application/json") {
    httplib::Result result = Send(method, route, path, body, key, content_type);
    if (!result) return Json();
    EXPECT_EQ(result->status, status) << method << " " << path << " " << body.substr(0, 200) << "\n"
                                      << result->body;
    return Json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  }

  // Like Expect for an error: a problem document whose first error names `where` in its
  // member `field` ("pointer" or "parameter"); an empty `field` checks no errors.
  static void ExpectError(int status, const std::string& where, const std::string& field,
                          const std::string& method, const std::string& route,
                          const std::string& path, const std::string& body = "",
                          const std::string& key = daect_,
                          const std::string& content_type = "application/json") {
    SCOPED_TRACE(method + " " + path + " " + body.substr(0, 200));
    httplib::Result result = Send(method, route, path, body, key, content_type);
    if (!result) return;
    ExpectProblem(result, status, where, field);
  }

  static void ExpectProblem(const httplib::Result& result, int status, const std::string& where,
                            const std::string& field) {
    EXPECT_EQ(result->status, status) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/problem+json");
    Json body = Json::parse(result->body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << result->body;
    EXPECT_EQ(body["status"], status);
    if (field.empty()) return;
    ASSERT_TRUE(body.contains("errors")) << result->body;
    EXPECT_EQ(body["errors"][0].value(field, "(none)"), where) << result->body;
  }

  static Json Document() { return Json::parse(OpenApiDocument()); }

 private:
  static void WriteRecordsIfComplete() {
    const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
    for (int i = 0; i < unit.total_test_suite_count(); ++i) {
      const ::testing::TestSuite& suite = *unit.GetTestSuite(i);
      if (std::string(suite.name()) != "OpenApi") continue;
      if (suite.test_to_run_count() != suite.total_test_count()) return;  // a filtered run
    }
    const std::string path = EXPECTMATCH_OPENAPI_RESPONSES;
    const std::string temporary = path + ".tmp" + std::to_string(::getpid());
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      for (const std::string& line : records_) out << line << '\n';
      if (!out) {
        ADD_FAILURE() << "cannot write " << temporary;
        return;
      }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0)
      ADD_FAILURE() << "cannot rename " << temporary << " to " << path;
  }

  static inline std::mutex records_mutex_;
  static inline std::vector<std::string> records_;
};

constexpr const char* kNeed = R"({"country": "SN", "partner": {"name": "Commune de Louga"},
    "themes": [{"theme": "env.eau", "weight": 1}], "languages": ["fr"],
    "period": {"start": "2027-05-03", "end": "2027-05-07"}, "description": "Réseau d'eau de Louga."})";

std::string NeedWithId(const std::string& id, const std::string& country = "SN") {
  Json need = Json::parse(kNeed);
  if (!id.empty()) need["id"] = id;
  need["country"] = country;
  return need.dump();
}

// A concrete path for a pattern, with ids that exist in the tiny data set.
std::string Concrete(const std::string& pattern, const std::string& need = "n1") {
  std::string path = pattern;
  auto replace = [&](const std::string& from, const std::string& to) {
    if (auto at = path.find(from); at != std::string::npos) path.replace(at, from.size(), to);
  };
  replace("/v1/needs/{id}", "/v1/needs/" + need);
  replace("/v1/collectivites/{id}", "/v1/collectivites/com-a");
  replace("{name}", "default");
  replace("/v1/assignments/{id}", "/v1/assignments/as_unknown");
  replace("/v1/partners/{id}", "/v1/partners/SN-podor");
  return path;
}

TEST_F(OpenApi, TheDocumentListsEveryRouteAndIsTheOneBuiltIn) {
  Json served = Expect(200, "GET", "/openapi.json", "/openapi.json", "", "");
  ASSERT_TRUE(served.is_object()) << "GET /openapi.json is not JSON";
  EXPECT_EQ(served, Document());
  // The binary serves api/openapi.json as it is in the source tree.
  EXPECT_EQ(std::string(OpenApiDocument()), ReadFile(EXPECTMATCH_OPENAPI_JSON))
      << "rebuild: the embedded document is stale";

  EXPECT_EQ(served["openapi"], "3.1.0");
  std::set<std::pair<std::string, std::string>> documented;
  std::set<std::string> operation_ids;
  for (const auto& [pattern, item] : served["paths"].items()) {
    for (const std::string& method : kMethods) {
      if (!item.contains(method)) continue;
      documented.insert({Upper(method), pattern});
      const Json& operation = item[method];
      EXPECT_TRUE(operation.contains("operationId")) << method << " " << pattern;
      EXPECT_TRUE(operation_ids.insert(operation.value("operationId", "")).second)
          << "duplicate operationId";
      EXPECT_TRUE(operation.contains("responses")) << method << " " << pattern;
    }
  }
  for (const auto& op : kOperations)
    EXPECT_TRUE(documented.count(op)) << "not documented: " << op.first << " " << op.second;
  for (const auto& op : documented) {
    EXPECT_TRUE(kOperations.count(op))
        << "documented, not served: " << op.first << " " << op.second;
  }

  // kOperations is the route table: no route takes DELETE, so the service answers 405 with
  // every method it serves on the path (not recorded: 405 belongs to no operation).
  std::map<std::string, std::set<std::string>> methods_by_route;
  for (const auto& [method, route] : kOperations) {
    if (route != "/metrics") methods_by_route[route].insert(method);  // /metrics: the transport's
  }
  for (const auto& [route, methods] : methods_by_route) {
    httplib::Result result = Client(daect_).Delete(Concrete(route).c_str());
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 405) << route;
    std::set<std::string> allowed;
    std::stringstream header(result->get_header_value("Allow"));
    for (std::string method; std::getline(header >> std::ws, method, ',');) allowed.insert(method);
    EXPECT_EQ(allowed, methods) << "the route table serves other methods on " << route;
  }
}

TEST_F(OpenApi, OpenRoutesNeedNoKey) {
  Json health = Expect(200, "GET", "/healthz", "/healthz", "", "");
  EXPECT_EQ(health["status"], "ok");
  httplib::Result metrics = Send("GET", "/metrics", "/metrics", "", "");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metrics->get_header_value("Content-Type").rfind("text/plain", 0), 0u)
      << metrics->get_header_value("Content-Type");
  // A key is ignored on open routes.
  Expect(200, "GET", "/healthz", "/healthz", "", embassy_sn_);
}

// Every operation the document secures answers 401 without a key or with an unknown one, and
// every operation it leaves open answers without one.
TEST_F(OpenApi, SecurityIsWhatTheDocumentSays) {
  Json document = Document();
  ASSERT_TRUE(document["security"].is_array());
  for (const auto& [pattern, item] : document["paths"].items()) {
    for (const std::string& lower : kMethods) {
      if (!item.contains(lower)) continue;
      const Json& operation = item[lower];
      const std::string method = Upper(lower);
      const bool open = operation.contains("security") && operation["security"].empty();
      const std::string path = Concrete(pattern);
      const std::string body = method == "GET" ? "" : "{}";
      if (open) {
        EXPECT_FALSE(operation.contains("x-roles")) << method << " " << pattern;
        EXPECT_EQ(Send(method, pattern, path, body, "")->status, 200) << method << " " << pattern;
        continue;
      }
      for (const std::string& key : {std::string(), std::string("emk_not_a_key")}) {
        httplib::Result result = Send(method, pattern, path, body, key);
        ASSERT_TRUE(result);
        ExpectProblem(result, 401, "", "");
        EXPECT_EQ(result->get_header_value("WWW-Authenticate"), "Bearer realm=\"expectmatch\"");
      }
    }
  }
}

// Every role the document's `x-roles` names passes the role check, every other role gets 403.
// The requests are harmless: unknown needs (404) and invalid bodies (422) change nothing.
TEST_F(OpenApi, RolesAreWhatTheDocumentSays) {
  Json document = Document();
  const std::map<std::string, std::string> keys = {
      {"daect", daect_}, {"analyst", analyst_}, {"embassy", embassy_sn_}};
  size_t checked = 0;
  for (const auto& [pattern, item] : document["paths"].items()) {
    for (const std::string& lower : kMethods) {
      if (!item.contains(lower) || !item[lower].contains("x-roles")) continue;
      const std::string method = Upper(lower);
      std::set<std::string> allowed;
      for (const Json& role : item[lower]["x-roles"]) allowed.insert(role.get<std::string>());
      const std::string path = Concrete(pattern, "n-unknown");
      const std::string body = method == "GET" ? "" : "{}";
      for (const auto& [role, key] : keys) {
        httplib::Result result = Send(method, pattern, path, body, key);
        ASSERT_TRUE(result);
        if (allowed.count(role)) {
          EXPECT_NE(result->status, 403)
              << role << " " << method << " " << pattern << ": " << result->body;
          EXPECT_NE(result->status, 401) << role << " " << method << " " << pattern;
        } else {
          EXPECT_EQ(result->status, 403)
              << role << " " << method << " " << pattern << ": " << result->body;
          EXPECT_EQ(result->get_header_value("Content-Type"), "application/problem+json");
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 3 * (kOperations.size() - 3));
}

TEST_F(OpenApi, Themes) {
  Json themes = Expect(200, "GET", "/v1/themes", "/v1/themes");
  EXPECT_EQ(themes["total"], 7);
  Expect(200, "GET", "/v1/themes", "/v1/themes", "", embassy_ma_);
}

TEST_F(OpenApi, Match) {
  const std::string route = "/v1/match";
  Json ranked = Expect(200, "POST", route, route, R"({"need_id": "n1"})");
  EXPECT_EQ(ranked["candidates"].size(), 3u);
  Expect(200, "POST", route, route,
         R"({"need_id": "n1", "k": 1, "explain": false, "include_excluded": true})");
  Expect(200, "POST", route, route,
         R"({"need_id": "n1", "profile": "ouverture", "weights": {"language": 0.5},
      "max_per_region": 1, "profile_version": 1})",
         analyst_);
  Expect(200, "POST", route, route, R"({"need_id": "n2", "include_excluded": true})", embassy_ma_);
  Expect(200, "POST", route, route,
         R"({"need": {"country": "SN", "partner": {"name": "Commune de Podor"},
      "themes": [{"theme": "env.eau"}], "period": {"start": "2027-03-01", "end": "2027-03-05"}}})",
         embassy_sn_);
  // A need with no eligible authority: an empty ranking.
  Expect(200, "POST", route, route, R"({"need": {"country": "SN", "partner": {"name": "P"},
      "themes": [{"theme": "culture"}], "languages": ["de"], "period": {"start": "2027-03-01", "end": "2027-03-05"}}})");
  // curl's default content type and none at all are read as JSON.
  Expect(200, "POST", route, route, R"({"need_id": "n1", "k": 2})", daect_,
         "application/x-www-form-urlencoded");

  ExpectError(400, "", "pointer", "POST", route, route, R"({"need_id": )");
  ExpectError(415, "Content-Type", "parameter", "POST", route, route, R"({"need_id": "n1"})",
              daect_, "text/plain");
  ExpectError(422, "/k", "pointer", "POST", route, route, R"({"need_id": "n1", "k": 0})");
  ExpectError(422, "/need_id", "pointer", "POST", route, route, R"({})");
  ExpectError(422, "", "pointer", "POST", route, route, R"([1, 2])");
  ExpectError(422, "/weights/thematik", "pointer", "POST", route, route,
              R"({"need_id": "n1", "weights": {"thematik": 1}})");
  ExpectError(422, "/need/themes/0/theme", "pointer", "POST", route, route,
              R"({"need": {"country": "SN",
      "partner": {"name": "P"}, "themes": [{"theme": "patrimoine.musee"}], "period": {"start": "2027-03-01", "end": "2027-03-05"}}})");
  ExpectError(404, "/need_id", "pointer", "POST", route, route, R"({"need_id": "nope"})");
  ExpectError(422, "/profile", "pointer", "POST", route, route,
              R"({"need_id": "n1", "profile": "rare"})");
  ExpectError(422, "/profile_version", "pointer", "POST", route, route,
              R"({"need_id": "n1", "profile_version": 9})");
  ExpectError(404, "/need_id", "pointer", "POST", route, route, R"({"need_id": "n1"})",
              embassy_ma_);
}

TEST_F(OpenApi, ThemeSuggestions) {
  const std::string route = "/v1/themes/suggest";
  Json suggested = Expect(200, "POST", route, route,
                          R"({"text": "Réhabiliter le réseau d'eau potable du quartier", "k": 3})",
                          embassy_sn_);
  EXPECT_FALSE(suggested["suggestions"].empty());
  Expect(200, "POST", route, route, R"({"text": "zzz qqq"})", analyst_);
  ExpectError(422, "/text", "pointer", "POST", route, route, R"({"text": "  "})");
  ExpectError(422, "/k", "pointer", "POST", route, route, R"({"text": "eau", "k": 21})");
  ExpectError(422, "/extra", "pointer", "POST", route, route, R"({"text": "eau", "extra": 1})");
  ExpectError(400, "", "pointer", "POST", route, route, "{");
}

TEST_F(OpenApi, Partners) {
  const std::string search = "/v1/partners";
  Json found = Expect(200, "GET", search, search + "?country=SN&q=Mairie%20de%20Podor&limit=3");
  EXPECT_EQ(found["resolved"]["id"], "SN-podor");
  Expect(200, "GET", search, search + "?country=SN&q=Tambacounda", embassy_sn_);
  ExpectError(422, "q", "parameter", "GET", search, search + "?country=SN");
  ExpectError(422, "country", "parameter", "GET", search, search + "?country=ZZ&q=Podor");
  ExpectError(422, "other", "parameter", "GET", search, search + "?country=SN&q=P&other=1");
  ExpectError(403, "country", "parameter", "GET", search, search + "?country=SN&q=Podor", "",
              embassy_ma_);

  const std::string one = "/v1/partners/{id}";
  Json podor = Expect(200, "GET", one, "/v1/partners/sn-podor", "", analyst_);
  EXPECT_EQ(podor["cooperations"].size(), 1u);
  ExpectError(404, "id", "parameter", "GET", one, "/v1/partners/SN-podor", "", embassy_ma_);
  ExpectError(404, "id", "parameter", "GET", one, "/v1/partners/SN-nowhere");

  const std::string aliases = "/v1/partners/{id}/aliases";
  Json with_alias = Expect(200, "POST", aliases, "/v1/partners/SN-dakar/aliases",
                           R"({"alias": "Mairie de Dakar-Plateau"})");
  EXPECT_EQ(with_alias["aliases"], Json::array({"Mairie de Dakar-Plateau"}));
  ExpectError(409, "/alias", "pointer", "POST", aliases, "/v1/partners/SN-dakar/aliases",
              R"({"alias": "Ville de Thiès"})");
  ExpectError(422, "/alias", "pointer", "POST", aliases, "/v1/partners/SN-dakar/aliases", "{}");
  ExpectError(404, "id", "parameter", "POST", aliases, "/v1/partners/SN-none/aliases",
              R"({"alias": "x"})");
  ExpectError(403, "", "", "POST", aliases, "/v1/partners/SN-dakar/aliases", R"({"alias": "x"})",
              embassy_sn_);

  const std::string merge = "/v1/partners/{id}/merge";
  ExpectError(422, "/into", "pointer", "POST", merge, "/v1/partners/SN-dakar/merge",
              R"({"into": "ML-kayes"})");
  ExpectError(404, "id", "parameter", "POST", merge, "/v1/partners/SN-none/merge",
              R"({"into": "SN-dakar"})");
  ExpectError(403, "", "", "POST", merge, "/v1/partners/SN-dakar/merge", R"({"into": "SN-thies"})",
              analyst_);
  // Last: the merge changes the directory the other requests of this suite read.
  Json merged = Expect(200, "POST", merge, "/v1/partners/SN-louga/merge", R"({"into": "SN-thies"})");
  EXPECT_EQ(merged["merged_ids"], Json::array({"SN-louga"}));
}

TEST_F(OpenApi, NeedsWithoutThemes) {
  const std::string route = "/v1/needs";
  Json need = Expect(201, "POST", route, route, R"({"country": "SN",
      "partner": {"name": "MAIRIE DE PODOR"}, "period": {"start": "2027-11-02", "end": "2027-11-04"},
      "description": "Réhabilitation du réseau d'eau potable et des bornes-fontaines."})",
                     embassy_sn_);
  EXPECT_EQ(need["partner_resolved"]["id"], "SN-podor");
  EXPECT_FALSE(need["suggested_themes"].empty());
  Expect(200, "GET", "/v1/needs/{id}", "/v1/needs/" + need["id"].get<std::string>());
  ExpectError(422, "/themes", "pointer", "POST", "/v1/match", "/v1/match",
              Json{{"need_id", need["id"]}}.dump());
  ExpectError(422, "/themes", "pointer", "POST", route, route, R"({"country": "SN",
      "partner": {"name": "P"}, "period": {"start": "2027-11-02", "end": "2027-11-04"}})");
}

// Bodies over 1 MiB are refused before any handler runs, on every operation that takes one.
TEST_F(OpenApi, OversizedBodies) {
  const std::string huge = R"({"pad": ")" + std::string(2 << 20, 'x') + "\"}";
  for (const auto& [method, route] : kOperations) {
    if (method == "GET") continue;
    if (route == "/v1/needs/{id}/report/document") continue;  // 20 MiB: MissionReports below
    // 20 MiB: LabelApplications below.
    if (route == "/v1/label-applications/{id}/documents") continue;
    httplib::Result result = Send(method, route, Concrete(route), huge);
    ASSERT_TRUE(result) << method << " " << route;
    ExpectProblem(result, 413, "", "");
  }
}

// Headers over 16 KiB and request targets over 8 KiB are refused by the transport, before any
// route, on every operation (408 is documented too; the hostile and slow-client tests reach it).
TEST_F(OpenApi, TransportLimits) {
  const std::string huge_key(20000, 'k');
  const std::string long_query = "?pad=" + std::string(9000, 'x');
  for (const auto& [method, route] : kOperations) {
    SCOPED_TRACE(method + " " + route);
    httplib::Result headers =
        Send(method, route, Concrete(route), method == "GET" ? "" : "{}", huge_key);
    ASSERT_TRUE(headers);
    ExpectProblem(headers, 431, "headers", "parameter");
    httplib::Result target =
        Send(method, route, Concrete(route) + long_query, method == "GET" ? "" : "{}");
    ASSERT_TRUE(target);
    ExpectProblem(target, 414, "path", "parameter");
  }
}

TEST_F(OpenApi, ListAndReadNeeds) {
  const std::string list = "/v1/needs";
  Json page = Expect(200, "GET", list, list);
  EXPECT_GE(page["total"].get<int>(), 2);
  Expect(
      200, "GET", list,
      "/v1/"
      "needs?status=assigned&country=MA&theme=env.eau&period_from=2027-01-01&period_to=2027-12-31");
  Expect(200, "GET", list, "/v1/needs?limit=1&offset=5", analyst_);
  Json own = Expect(200, "GET", list, list, "", embassy_sn_);
  EXPECT_GE(own["total"].get<int>(), 1);
  for (const Json& need : own["items"]) EXPECT_EQ(need["country"], "SN");
  ExpectError(403, "country", "parameter", "GET", list, "/v1/needs?country=MA", "", embassy_sn_);
  ExpectError(400, "limit", "parameter", "GET", list, "/v1/needs?limit=0");
  ExpectError(400, "sort", "parameter", "GET", list, "/v1/needs?sort=id");
  ExpectError(400, "period_from", "parameter", "GET", list, "/v1/needs?period_from=2027-13-01");

  const std::string one = "/v1/needs/{id}";
  Json n1 = Expect(200, "GET", one, "/v1/needs/n1", "", embassy_sn_);
  EXPECT_TRUE(n1["decisions"].is_array());
  Json n2 = Expect(200, "GET", one, "/v1/needs/n2", "", analyst_);
  EXPECT_EQ(n2["selected"], "com-a");
  ExpectError(404, "id", "parameter", "GET", one, "/v1/needs/zz");
  ExpectError(404, "id", "parameter", "GET", one, "/v1/needs/n1", "", embassy_ma_);
}

TEST_F(OpenApi, SubmitNeeds) {
  const std::string route = "/v1/needs";
  httplib::Result created = Send("POST", route, route, NeedWithId("n-oa-submit"));
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(created->get_header_value("Location"), "/v1/needs/n-oa-submit");
  Json by_embassy = Expect(201, "POST", route, route, NeedWithId(""), embassy_sn_);
  EXPECT_EQ(by_embassy["status"], "submitted");

  ExpectError(409, "/id", "pointer", "POST", route, route, NeedWithId("n-oa-submit"));
  ExpectError(403, "/country", "pointer", "POST", route, route, NeedWithId("n-oa-ma", "MA"),
              embassy_sn_);
  Json invalid = Json::parse(NeedWithId("n-oa-bad"));
  invalid["themes"][0]["theme"] = "env.air";
  ExpectError(422, "/themes/0/theme", "pointer", "POST", route, route, invalid.dump());
  ExpectError(422, "", "pointer", "POST", route, route, "[]");
  ExpectError(422, "/selected", "pointer", "POST", route, route, R"({"selected": "com-a"})");
  ExpectError(400, "", "pointer", "POST", route, route, "{");
  ExpectError(415, "Content-Type", "parameter", "POST", route, route, NeedWithId("n-oa-xml"),
              daect_, "application/xml");
}

TEST_F(OpenApi, TheLifecycleOfANeed) {
  ASSERT_EQ(Send("POST", "/v1/needs", "/v1/needs", NeedWithId("n-oa-life"))->status, 201);
  const std::string need = "/v1/needs/{id}", decision = "/v1/needs/{id}/decision",
                    mission = "/v1/needs/{id}/mission";
  const std::string path = "/v1/needs/n-oa-life";

  Expect(200, "PATCH", need, path, R"({"status": "shortlisted", "experts_needed": 2})");
  ExpectError(409, "/status", "pointer", "PATCH", need, path, R"({"status": "assigned"})");
  ExpectError(409, "/status", "pointer", "PATCH", need, path, R"({"status": "closed"})");
  ExpectError(422, "/country", "pointer", "PATCH", need, path, R"({"country": "MA"})");
  ExpectError(422, "/colour", "pointer", "PATCH", need, path, R"({"colour": "blue"})");
  ExpectError(422, "/period/end", "pointer", "PATCH", need, path,
              R"({"period": {"start": "2027-05-03", "end": "2027-05-01"}})");
  ExpectError(400, "", "pointer", "PATCH", need, path, "{,}");
  ExpectError(415, "Content-Type", "parameter", "PATCH", need, path, "{}", daect_, "text/csv");
  ExpectError(404, "id", "parameter", "PATCH", need, "/v1/needs/zz", R"({"status": "cancelled"})");

  ExpectError(409, "id", "parameter", "PUT", mission, path + "/mission",
              R"({"start": "2027-05-03", "end": "2027-05-07"})");

  ExpectError(422, "/collectivite", "pointer", "POST", decision, path + "/decision",
              R"({"collectivite": "com-zz"})");
  ExpectError(422, "/collectivite", "pointer", "POST", decision, path + "/decision",
              R"({"note": "?"})");
  ExpectError(422, "/reason", "pointer", "POST", decision, path + "/decision",
              R"({"collectivite": "com-b", "reason": "?"})");
  ExpectError(400, "", "pointer", "POST", decision, path + "/decision", "nope");
  ExpectError(415, "Content-Type", "parameter", "POST", decision, path + "/decision", "{}", daect_,
              "text/plain");
  ExpectError(404, "id", "parameter", "POST", decision, "/v1/needs/zz/decision",
              R"({"collectivite": "com-b"})");
  Json decided = Expect(200, "POST", decision, path + "/decision",
                        R"({"collectivite": "com-b", "note": "proche de Louga"})");
  EXPECT_EQ(decided["status"], "assigned");
  EXPECT_EQ(decided["decisions"].size(), 1u);
  ExpectError(409, "/status", "pointer", "PATCH", need, path, R"({"description": "autre"})");

  ExpectError(422, "/end", "pointer", "PUT", mission, path + "/mission",
              R"({"start": "2027-05-03", "end": "2027-05-01"})");
  ExpectError(422, "/rating", "pointer", "PUT", mission, path + "/mission",
              R"({"start": "2027-05-03", "end": "2027-05-07", "rating": 6})");
  ExpectError(422, "/budget", "pointer", "PUT", mission, path + "/mission",
              R"({"start": "2027-05-03", "end": "2027-05-07", "budget": 1})");
  ExpectError(400, "", "pointer", "PUT", mission, path + "/mission", "");
  ExpectError(415, "Content-Type", "parameter", "PUT", mission, path + "/mission", "{}", daect_,
              "text/xml");
  ExpectError(404, "id", "parameter", "PUT", mission, "/v1/needs/zz/mission",
              R"({"start": "2027-05-03", "end": "2027-05-07"})");
  Json started = Expect(200, "PUT", mission, path + "/mission",
                        R"({"start": "2027-05-03", "end": "2027-05-07"})");
  EXPECT_EQ(started["need"]["status"], "in_mission");
  EXPECT_EQ(started["mission"]["report_delivered"], nullptr);
  Expect(200, "PATCH", need, path, R"({"status": "report_due"})");
  Json closed = Expect(
      200, "PUT", mission, path + "/mission",
      R"({"start": "2027-05-03", "end": "2027-05-07", "report_delivered": "2027-06-20", "rating": 4})");
  EXPECT_EQ(closed["need"]["status"], "closed");
  ExpectError(409, "/collectivite", "pointer", "POST", decision, path + "/decision",
              R"({"collectivite": "com-a"})");
  ExpectError(409, "/status", "pointer", "PATCH", need, path, R"({"status": "cancelled"})");
  Json read = Expect(200, "GET", need, path);
  EXPECT_EQ(read["selected"], "com-b");
  // The need shows its mission as last recorded.
  EXPECT_EQ(read["mission"]["id"], "m-n-oa-life");
  EXPECT_EQ(read["mission"]["report_delivered"], "2027-06-20");
  EXPECT_EQ(read["mission"]["rating"], 4);

  // A conflict of interest declared on the need.
  Json conflicted = Json::parse(NeedWithId("n-oa-conflict"));
  conflicted["excluded"] = {"com-f"};
  ASSERT_EQ(Send("POST", "/v1/needs", "/v1/needs", conflicted.dump())->status, 201);
  ExpectError(422, "/collectivite", "pointer", "POST", decision, "/v1/needs/n-oa-conflict/decision",
              R"({"collectivite": "com-f"})");
  Expect(200, "PATCH", need, "/v1/needs/n-oa-conflict", R"({"status": "cancelled"})");
}

TEST_F(OpenApi, OverdueReports) {
  const std::string route = "/v1/reports/overdue";
  Json overdue = Expect(200, "GET", route, route);
  EXPECT_GE(overdue["total"].get<int>(), 1);
  Expect(200, "GET", route, route, "", analyst_);
}

TEST_F(OpenApi, ReportSearch) {
  // n2's mission report (Morocco): water, as n1 (Senegal) asks.
  store_->PutReport({"n2", "com-b",
                     R"({"resultats": "Régie de l'eau : <b>fuites</b> réduites.",
                         "recommandations": "Former les fontainiers.", "suites_envisagees": ""})",
                     "2026-11-01T10:00:00Z", "k_test"});
  const std::string search = "/v1/reports";
  Json page = Expect(200, "GET", search, "/v1/reports?q=fuites&limit=5");
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["snippet"],
            "Régie de l&#39;eau : &lt;b&gt;<mark>fuites</mark>&lt;/b&gt; réduites.");
  Expect(200, "GET", search, "/v1/reports?theme=env&country=MA&from=2020-01-01", "", analyst_);
  ExpectError(422, "q", "parameter", "GET", search, "/v1/reports");
  ExpectError(422, "limit", "parameter", "GET", search, "/v1/reports?q=eau&limit=51");
  ExpectError(422, "from", "parameter", "GET", search, "/v1/reports?q=eau&from=2026-13-01");
  ExpectError(403, "", "", "GET", search, "/v1/reports?q=eau", "", embassy_sn_);

  const std::string related = "/v1/needs/{id}/related-reports";
  Json n1 = Expect(200, "GET", related, "/v1/needs/n1/related-reports");
  ASSERT_EQ(n1["items"].size(), 1u);
  EXPECT_EQ(n1["items"][0]["need"], "n2");
  Expect(200, "GET", related, "/v1/needs/n1/related-reports?limit=10", "", embassy_sn_);
  ExpectError(404, "id", "parameter", "GET", related, "/v1/needs/n1/related-reports", "",
              embassy_ma_);
  ExpectError(422, "limit", "parameter", "GET", related, "/v1/needs/n1/related-reports?limit=0");
}

TEST_F(OpenApi, Collectivites) {
  const std::string list = "/v1/collectivites";
  Json page = Expect(200, "GET", list, list);
  EXPECT_GE(page["total"].get<int>(), 7);
  Expect(
      200, "GET", list,
      "/v1/collectivites?region=Bretagne&kind=commune&theme=env.eau&language=fr&limit=1&offset=1",
      analyst_);
  ExpectError(400, "kind", "parameter", "GET", list, "/v1/collectivites?kind=city");
  ExpectError(400, "language", "parameter", "GET", list, "/v1/collectivites?language=fra");
  ExpectError(400, "page", "parameter", "GET", list, "/v1/collectivites?page=2");

  const std::string one = "/v1/collectivites/{id}";
  Json a = Expect(200, "GET", one, "/v1/collectivites/com-a");
  EXPECT_EQ(a["population"], 20000);
  Json b = Expect(200, "GET", one, "/v1/collectivites/com-b", "", analyst_);
  EXPECT_FALSE(b.contains("population"));
  ExpectError(404, "id", "parameter", "GET", one, "/v1/collectivites/com-zz");

  Json created = b;
  created.erase("id");
  created["name"] = "Commune OA";
  created["labels"][0]["until"] = "2030-12-31";
  Expect(201, "PUT", one, "/v1/collectivites/com-oa", created.dump());
  created["capacity_per_year"] = 4;
  created["population"] = 1234;
  Json replaced = Expect(200, "PUT", one, "/v1/collectivites/com-oa", created.dump());
  EXPECT_EQ(replaced["capacity_per_year"], 4);
  created["kind"] = "city";
  ExpectError(422, "/kind", "pointer", "PUT", one, "/v1/collectivites/com-oa", created.dump());
  ExpectError(422, "/id", "pointer", "PUT", one, "/v1/collectivites/com-oa",
              R"({"id": "com-other"})");
  ExpectError(400, "", "pointer", "PUT", one, "/v1/collectivites/com-oa", "{");
  ExpectError(415, "Content-Type", "parameter", "PUT", one, "/v1/collectivites/com-oa", "{}",
              daect_, "text/plain");
}

TEST_F(OpenApi, ContactEmailOfACollectivite) {
  const std::string one = "/v1/collectivites/{id}";
  Json record = Expect(200, "GET", one, "/v1/collectivites/com-e");
  record["contact_email"] = "international@ville-e.example.fr";
  Json stored = Expect(200, "PUT", one, "/v1/collectivites/com-e", record.dump());
  EXPECT_EQ(stored["contact_email"], "international@ville-e.example.fr");
  record["contact_email"] = "pas une adresse";
  ExpectError(422, "/contact_email", "pointer", "PUT", one, "/v1/collectivites/com-e",
              record.dump());
  // Nothing stored on a refusal.
  Json read = Expect(200, "GET", one, "/v1/collectivites/com-e");
  EXPECT_EQ(read["contact_email"], "international@ville-e.example.fr");
}

TEST_F(OpenApi, Outbox) {
  store::OutboxRow pending;
  pending.id = "oa-mail-1";
  pending.dedupe = "test:oa:1";
  pending.event = "report_reminder";
  pending.recipient = "relations@ville-a.example.fr";
  pending.subject = "EXPE-CT : rapport attendu";
  pending.body = "Bonjour,\nLe rapport est attendu.\n";
  pending.created_at = "2026-11-30T10:00:00Z";
  store::OutboxRow to_daect = pending;
  to_daect.id = "oa-mail-2";
  to_daect.dedupe = "test:oa:2";
  to_daect.recipient = "daect";
  store_->EnqueueMail({pending, to_daect});
  store_->MarkMailSent("oa-mail-2", "2026-11-30T10:00:05Z");

  const std::string route = "/v1/outbox";
  Json page = Expect(200, "GET", route, route);
  EXPECT_GE(page["total"].get<int>(), 2);
  Json sent = Expect(200, "GET", route, "/v1/outbox?status=sent&limit=5&offset=0");
  ASSERT_GE(sent["items"].size(), 1u);
  EXPECT_EQ(sent["items"][0]["id"], "oa-mail-2");
  EXPECT_EQ(sent["items"][0]["sent_at"], "2026-11-30T10:00:05Z");
  EXPECT_EQ(sent["items"][0]["recipient"], "daect");
  EXPECT_TRUE(sent["items"][0]["address"].is_null());  // no --daect-email on this server
  EXPECT_TRUE(sent["items"][0]["next_attempt_at"].is_null());
  Json waiting = Expect(200, "GET", route, "/v1/outbox?status=pending");
  ASSERT_GE(waiting["items"].size(), 1u);
  EXPECT_EQ(waiting["items"][0]["next_attempt_at"], "2026-11-30T10:00:00Z");
  EXPECT_EQ(waiting["items"][0]["address"], "relations@ville-a.example.fr");
  EXPECT_EQ(waiting["items"][0]["attempts"], 0);
  EXPECT_EQ(waiting["items"][0]["body"], "Bonjour,\nLe rapport est attendu.\n");
  ExpectError(400, "status", "parameter", "GET", route, "/v1/outbox?status=lost");
  ExpectError(400, "limit", "parameter", "GET", route, "/v1/outbox?limit=0");
  ExpectError(403, "", "", "GET", route, route, "", analyst_);
}

TEST_F(OpenApi, Profiles) {
  Json all = Expect(200, "GET", "/v1/profiles", "/v1/profiles", "", analyst_);
  EXPECT_GE(all["total"].get<int>(), 2);

  const std::string one = "/v1/profiles/{name}";
  Expect(200, "GET", one, "/v1/profiles/default");
  Expect(200, "GET", one, "/v1/profiles/ouverture?version=1", "", analyst_);
  ExpectError(404, "name", "parameter", "GET", one, "/v1/profiles/nope");
  ExpectError(404, "version", "parameter", "GET", one, "/v1/profiles/default?version=7");
  ExpectError(400, "version", "parameter", "GET", one, "/v1/profiles/default?version=x");
  ExpectError(400, "v", "parameter", "GET", one, "/v1/profiles/default?v=1");

  const std::string weights = R"({"thematic": 0.3, "country_presence": 0.1, "partner_history": 0.05,
      "track_record": 0.15, "language": 0.2, "availability": 0.2})";
  httplib::Result created =
      Send("PUT", one, "/v1/profiles/oa-test",
           R"({"description": "essai", "weights": )" + weights + "}", analyst_);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(created->get_header_value("Location"), "/v1/profiles/oa-test?version=1");
  Json second = Expect(200, "PUT", one, "/v1/profiles/oa-test",
                       R"({"name": "oa-test", "weights": )" + weights + "}");
  EXPECT_EQ(second["version"], 2);
  Expect(200, "GET", one, "/v1/profiles/oa-test");
  ExpectError(422, "/weights", "pointer", "PUT", one, "/v1/profiles/oa-test",
              R"({"description": "sans poids"})");
  ExpectError(
      422, "/weights/language", "pointer", "PUT", one, "/v1/profiles/oa-test",
      R"({"weights": {"thematic": 1, "country_presence": 0, "partner_history": 0, "track_record": 0,
                  "availability": 0}})");
  ExpectError(
      422, "/weights", "pointer", "PUT", one, "/v1/profiles/oa-test",
      R"({"weights": {"thematic": 0, "country_presence": 0, "partner_history": 0, "track_record": 0,
                  "language": 0, "availability": 0}})");
  ExpectError(400, "name", "parameter", "PUT", one, "/v1/profiles/NotValid",
              R"({"weights": )" + weights + "}");
  ExpectError(400, "", "pointer", "PUT", one, "/v1/profiles/oa-test", "{");
  ExpectError(415, "Content-Type", "parameter", "PUT", one, "/v1/profiles/oa-test", "{}", daect_,
              "text/plain");
}

TEST_F(OpenApi, WhoamiNamesTheKeysRole) {
  Json daect = Expect(200, "GET", "/v1/whoami", "/v1/whoami");
  EXPECT_EQ(daect["role"], "daect");
  EXPECT_EQ(daect["key_id"].get<std::string>().rfind("k_", 0), 0u);
  EXPECT_FALSE(daect.contains("country"));
  EXPECT_EQ(Expect(200, "GET", "/v1/whoami", "/v1/whoami", "", analyst_)["role"], "analyst");
  Json embassy = Expect(200, "GET", "/v1/whoami", "/v1/whoami", "", embassy_sn_);
  EXPECT_EQ(embassy["role"], "embassy");
  EXPECT_EQ(embassy["country"], "SN");
  ExpectError(401, "", "", "GET", "/v1/whoami", "/v1/whoami", "", "");
}

TEST_F(OpenApi, ProposalsAreMadeAnsweredAndListed) {
  const std::string dep_c =
      service::CreateApiKey(*store_, service::Role::kCollectivite, "dep-c", "Département C").secret;
  const std::string com_a =
      service::CreateApiKey(*store_, service::Role::kCollectivite, "com-a", "Commune A").secret;
  ASSERT_EQ(Send("POST", "/v1/needs", "/v1/needs", NeedWithId("n-oa-prop"))->status, 201);
  const std::string make = "/v1/needs/{id}/proposals", list = "/v1/proposals",
                    one = "/v1/proposals/{id}", accept = "/v1/proposals/{id}/accept",
                    decline = "/v1/proposals/{id}/decline", withdraw = "/v1/proposals/{id}/withdraw";
  const std::string path = "/v1/needs/n-oa-prop/proposals";
  ExpectError(422, "/collectivite", "pointer", "POST", make, path,
              R"({"collectivite": "com-e", "respond_by": "2099-01-01"})");
  ExpectError(422, "/respond_by", "pointer", "POST", make, path,
              R"({"collectivite": "dep-c", "respond_by": "2001-01-01"})");
  ExpectError(404, "id", "parameter", "POST", make, "/v1/needs/n-oa-none/proposals",
              R"({"collectivite": "dep-c", "respond_by": "2099-01-01"})");
  Json first = Expect(201, "POST", make, path,
                      R"({"collectivite": "dep-c", "message": "Merci", "respond_by": "2099-01-01"})");
  const std::string first_path = "/v1/proposals/" + first["id"].get<std::string>();
  ExpectError(409, "id", "parameter", "POST", make, path,
              R"({"collectivite": "com-a", "respond_by": "2099-01-01"})");
  Expect(200, "GET", one, first_path, "", dep_c);
  ExpectError(404, "id", "parameter", "GET", one, first_path, "", com_a);
  EXPECT_GE(Expect(200, "GET", list, "/v1/proposals?status=waiting", "", dep_c)["total"], 1);
  ExpectError(400, "status", "parameter", "GET", list, "/v1/proposals?status=maybe");
  ExpectError(403, "collectivite", "parameter", "GET", list, "/v1/proposals?collectivite=com-a",
              "", dep_c);
  ExpectError(422, "/reason", "pointer", "POST", decline, first_path + "/decline", "{}", dep_c);
  Expect(200, "POST", decline, first_path + "/decline", R"({"reason": "Pas d'expert en mai"})",
         dep_c);
  ExpectError(409, "id", "parameter", "POST", accept, first_path + "/accept", "", dep_c);
  ExpectError(409, "id", "parameter", "POST", withdraw, first_path + "/withdraw", "");
  service_->Refresh();
  ExpectError(422, "/collectivite", "pointer", "POST", make, path,
              R"({"collectivite": "dep-c", "respond_by": "2099-01-01"})");
  Json second = Expect(201, "POST", make, path,
                       R"({"collectivite": "com-f", "respond_by": "2099-01-01"})");
  const std::string second_path = "/v1/proposals/" + second["id"].get<std::string>();
  Expect(200, "POST", withdraw, second_path + "/withdraw", R"({"reason": "Reformulé"})");
  Json third = Expect(201, "POST", make, path,
                      R"({"collectivite": "com-a", "respond_by": "2099-01-01"})");
  const std::string third_path = "/v1/proposals/" + third["id"].get<std::string>();
  ExpectError(422, "/colour", "pointer", "POST", accept, third_path + "/accept",
              R"({"colour": 1})", com_a);
  ExpectError(404, "id", "parameter", "POST", accept, "/v1/proposals/p-none/accept", "", com_a);
  Json accepted = Expect(200, "POST", accept, third_path + "/accept",
                         R"({"note": "Avec plaisir"})", com_a);
  EXPECT_EQ(accepted["status"], "accepted");
  Json history = Expect(200, "GET", make, path);
  EXPECT_EQ(history["total"], 3);
  ExpectError(404, "id", "parameter", "GET", make, "/v1/needs/n-oa-none/proposals");

  // The authority's missions: it records its experts and dates, not DAECT's rating.
  Json missions = Expect(200, "GET", "/v1/missions", "/v1/missions", "", com_a);
  bool found = false;
  for (const Json& item : missions["items"]) found |= item["need"]["id"] == "n-oa-prop";
  EXPECT_TRUE(found);
  ExpectError(400, "collectivite", "parameter", "GET", "/v1/missions", "/v1/missions");
  Expect(200, "GET", "/v1/missions", "/v1/missions?collectivite=com-a");
  ExpectError(403, "collectivite", "parameter", "GET", "/v1/missions",
              "/v1/missions?collectivite=dep-c", "", com_a);
  Json recorded = Expect(
      200, "PUT", "/v1/needs/{id}/mission", "/v1/needs/n-oa-prop/mission",
      R"({"start": "2027-03-01", "end": "2027-03-05", "experts": [{"name": "Claire Martin", "function": "Ingénieure hydraulicienne"}]})",
      com_a);
  EXPECT_EQ(recorded["mission"]["experts"][0]["name"], "Claire Martin");
  ExpectError(403, "/rating", "pointer", "PUT", "/v1/needs/{id}/mission",
              "/v1/needs/n-oa-prop/mission", R"({"rating": 5})", com_a);
  ExpectError(404, "id", "parameter", "PUT", "/v1/needs/{id}/mission",
              "/v1/needs/n-oa-prop/mission", R"({"start": "2027-03-01"})", dep_c);
  ExpectError(422, "/experts/0/function", "pointer", "PUT", "/v1/needs/{id}/mission",
              "/v1/needs/n-oa-prop/mission", R"({"experts": [{"name": "X"}]})", com_a);
  // DAECT's rating keeps the authority's experts.
  Json rated = Expect(200, "PUT", "/v1/needs/{id}/mission", "/v1/needs/n-oa-prop/mission",
                      R"({"rating": 4})");
  EXPECT_EQ(rated["mission"]["experts"][0]["function"], "Ingénieure hydraulicienne");
  EXPECT_EQ(rated["mission"]["rating"], 4);
  // The suite's later tests rank against the capacity com-a holds now.
  service_->Refresh();
}

TEST_F(OpenApi, AssignmentsArePlannedReadAndAccepted) {
  for (const char* id : {"n-oa-as1", "n-oa-as2", "n-oa-as3"}) {
    ASSERT_EQ(Send("POST", "/v1/needs", "/v1/needs", NeedWithId(id))->status, 201) << id;
  }
  const std::string create = "/v1/assignments", one = "/v1/assignments/{id}",
                    accept = "/v1/assignments/{id}/accept";

  // One need alone: the plan gives it /v1/match's best candidate, and the next ones as alternates.
  Json ranking =
      Expect(200, "POST", "/v1/match", "/v1/match", R"({"need_id": "n-oa-as3", "k": 4})");
  ASSERT_GE(ranking["candidates"].size(), 2u);
  httplib::Result created =
      Send("POST", create, create, R"({"needs": ["n-oa-as3"], "alternates": 3})");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  Json alone = Json::parse(created->body);
  EXPECT_EQ(created->get_header_value("Location"),
            "/v1/assignments/" + alone["id"].get<std::string>());
  ASSERT_EQ(alone["needs"].size(), 1u);
  const Json& entry = alone["needs"][0];
  EXPECT_EQ(entry["need"]["id"], "n-oa-as3");
  EXPECT_EQ(entry["assigned"][0]["collectivite"]["id"],
            ranking["candidates"][0]["collectivite"]["id"]);
  EXPECT_NEAR(entry["assigned"][0]["score"].get<double>(),
              ranking["candidates"][0]["score"].get<double>(), 1e-12);
  for (size_t r = 0; r < entry["alternates"].size() && r + 1 < ranking["candidates"].size(); ++r) {
    EXPECT_NEAR(entry["alternates"][r]["score"].get<double>(),
                ranking["candidates"][r + 1]["score"].get<double>(), 1e-12);
  }
  EXPECT_TRUE(alone["feasible"].get<bool>());
  EXPECT_EQ(alone["status"], "proposed");
  EXPECT_EQ(alone["profile"]["name"], "default");
  EXPECT_EQ(alone["year"], 2027);

  // The need changes after the plan: accepting it records nothing.
  Expect(200, "PATCH", "/v1/needs/{id}", "/v1/needs/n-oa-as3",
         R"({"description": "Réseau d'eau, deuxième tranche."})");
  const std::string alone_path = "/v1/assignments/" + alone["id"].get<std::string>();
  ExpectError(409, "id", "parameter", "POST", accept, alone_path + "/accept", "");
  Json untouched = Expect(200, "GET", "/v1/needs/{id}", "/v1/needs/n-oa-as3");
  EXPECT_EQ(untouched["status"], "submitted");
  EXPECT_TRUE(untouched["decisions"].empty());
  EXPECT_EQ(Expect(200, "GET", one, alone_path)["status"], "proposed");

  // Two needs with a fairness floor, read back, accepted once.
  Json plan = Expect(201, "POST", create, create,
                     R"({"needs": ["n-oa-as1", "n-oa-as2"], "fairness_floor": 0.1, "top_k": 20})");
  ASSERT_EQ(plan["needs"].size(), 2u);
  EXPECT_EQ(plan["fairness"]["requested_floor"], 0.1);
  EXPECT_TRUE(plan["fairness"]["met"].get<bool>());
  const std::string path = "/v1/assignments/" + plan["id"].get<std::string>();
  Json read = Expect(200, "GET", one, path);
  EXPECT_EQ(read, plan);
  ExpectError(422, "/colour", "pointer", "POST", accept, path + "/accept", R"({"colour": "bleu"})");
  ExpectError(400, "", "pointer", "POST", accept, path + "/accept", "{");
  Json accepted =
      Expect(200, "POST", accept, path + "/accept", R"({"note": "Comité du 28 novembre"})");
  EXPECT_EQ(accepted["status"], "accepted");
  EXPECT_TRUE(accepted.contains("accepted_at"));
  // Each assigned need is proposed to its authority, whose answer decides.
  ASSERT_EQ(accepted["proposals"].size(), 2u);
  for (const Json& made : accepted["proposals"]) {
    Json need =
        Expect(200, "GET", "/v1/needs/{id}", "/v1/needs/" + made["need"].get<std::string>());
    EXPECT_EQ(need["status"], "proposed");
    EXPECT_TRUE(need["decisions"].empty());
    ASSERT_EQ(need["proposals"].size(), 1u);
    EXPECT_EQ(need["proposals"][0]["collectivite"], made["collectivite"]);
    Json proposal = Expect(200, "GET", "/v1/proposals/{id}",
                           "/v1/proposals/" + made["proposal"].get<std::string>());
    EXPECT_EQ(proposal["message"],
              "Comité du 28 novembre (plan " + plan["id"].get<std::string>() + ")");
  }
  EXPECT_EQ(Expect(200, "GET", one, path)["status"], "accepted");
  ExpectError(409, "id", "parameter", "POST", accept, path + "/accept", "");
  // Needs already assigned are no longer open.
  ExpectError(422, "/needs/0", "pointer", "POST", create, create, R"({"needs": ["n-oa-as1"]})");

  ExpectError(404, "id", "parameter", "GET", one, "/v1/assignments/as_nope");
  ExpectError(404, "id", "parameter", "POST", accept, "/v1/assignments/as_nope/accept", "");
  ExpectError(422, "/period_from", "pointer", "POST", create, create, "{}");
  ExpectError(422, "/period_from", "pointer", "POST", create, create,
              R"({"period_from": "2027-02-30"})");
  ExpectError(422, "/period_to", "pointer", "POST", create, create,
              R"({"period_from": "2027-03-01", "period_to": "2027-01-01"})");
  ExpectError(422, "/period_from", "pointer", "POST", create, create,
              R"({"period_from": "2031-01-01", "period_to": "2031-12-31"})");
  ExpectError(422, "/needs/0", "pointer", "POST", create, create, R"({"needs": ["n-zz"]})");
  ExpectError(422, "/needs/1", "pointer", "POST", create, create,
              R"({"needs": ["n-oa-as2", "n-oa-as2"]})");
  ExpectError(422, "/profile", "pointer", "POST", create, create,
              R"({"needs": ["n-oa-as3"], "profile": "nope"})");
  ExpectError(422, "/weights/thematic", "pointer", "POST", create, create,
              R"({"needs": ["n-oa-as3"], "weights": {"thematic": -1}})");
  ExpectError(422, "/top_k", "pointer", "POST", create, create,
              R"({"needs": ["n-oa-as3"], "top_k": 100000})");
  ExpectError(422, "/alternates", "pointer", "POST", create, create,
              R"({"needs": ["n-oa-as3"], "alternates": "3"})");
  ExpectError(422, "/fairness_floor", "pointer", "POST", create, create,
              R"({"needs": ["n-oa-as3"], "fairness_floor": -1})");
  ExpectError(422, "/colour", "pointer", "POST", create, create,
              R"({"needs": ["n-oa-as3"], "colour": "bleu"})");
  ExpectError(400, "", "pointer", "POST", create, create, "[");
  ExpectError(415, "Content-Type", "parameter", "POST", create, create, "{}", daect_, "text/plain");
  ExpectError(403, "", "", "POST", create, create, R"({"needs": ["n-oa-as3"]})", analyst_);
}

// A mission's report: the document (streamed upload and download), the summary, the export.
TEST_F(OpenApi, MissionReports) {
  const std::string collectivite =
      service::CreateApiKey(*store_, service::Role::kCollectivite, "com-b", "Commune B").secret;
  ASSERT_EQ(Send("POST", "/v1/needs", "/v1/needs", NeedWithId("n-oa-report"))->status, 201);
  Expect(200, "POST", "/v1/needs/{id}/decision", "/v1/needs/n-oa-report/decision",
         R"({"collectivite": "com-b"})");
  Expect(200, "PUT", "/v1/needs/{id}/mission", "/v1/needs/n-oa-report/mission",
         R"({"start": "2026-09-01", "end": "2026-09-05"})");
  const std::string document = "/v1/needs/{id}/report/document", report = "/v1/needs/{id}/report";
  const std::string path = "/v1/needs/n-oa-report";
  const std::string pdf = testing::PdfWithText("Rapport");

  ExpectError(404, "id", "parameter", "GET", document, path + "/report/document", "",
              collectivite);
  ExpectError(404, "id", "parameter", "GET", document, "/v1/needs/zz/report/document");
  ExpectError(415, "Content-Type", "parameter", "PUT", document, path + "/report/document", pdf,
              collectivite, "text/plain");
  ExpectError(415, "Content-Type", "parameter", "PUT", document, path + "/report/document",
              "PK\x03\x04", collectivite, "application/pdf");
  ExpectError(404, "id", "parameter", "PUT", document, "/v1/needs/zz/report/document", pdf,
              collectivite, "application/pdf");
  ExpectError(403, "", "", "PUT", document, path + "/report/document", pdf, analyst_,
              "application/pdf");
  Json stored = Expect(201, "PUT", document, path + "/report/document", pdf, collectivite,
                       "application/pdf");
  EXPECT_EQ(stored["sha256"], testing::Sha256Hex(pdf));
  ExpectError(409, "If-Match", "parameter", "PUT", document, path + "/report/document", pdf,
              collectivite, "application/pdf");
  httplib::Result read = Send("GET", document, path + "/report/document", "", collectivite, "");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  EXPECT_EQ(read->body, pdf);

  Json empty = Expect(200, "GET", report, path + "/report", "", analyst_);
  EXPECT_EQ(empty["summary"], nullptr);
  ExpectError(422, "/resultats", "pointer", "PUT", report, path + "/report", "{}", collectivite);
  ExpectError(403, "/daect_rating", "pointer", "PUT", report, path + "/report",
              R"({"resultats": "r", "recommandations": "r", "suites_envisagees": "s",
                  "daect_rating": 4})",
              collectivite);
  ExpectError(400, "", "pointer", "PUT", report, path + "/report", "{");
  ExpectError(415, "Content-Type", "parameter", "PUT", report, path + "/report", "{}", daect_,
              "text/plain");
  ExpectError(404, "id", "parameter", "PUT", report, "/v1/needs/zz/report", "{}");
  ExpectError(404, "id", "parameter", "GET", report, "/v1/needs/zz/report");
  Json written = Expect(201, "PUT", report, path + "/report",
                        R"({"resultats": "Réseau diagnostiqué.", "recommandations": "Vannes.",
                            "suites_envisagees": "Seconde mission."})",
                        collectivite);
  EXPECT_EQ(written["delivered"], service::Today());
  Json rated = Expect(200, "PUT", report, path + "/report",
                      R"({"resultats": "Réseau diagnostiqué.", "recommandations": "Vannes.",
                          "suites_envisagees": "Seconde mission.", "daect_rating": 4,
                          "partner_rating": 5})");
  EXPECT_EQ(rated["daect_rating"], 4);
  Expect(200, "GET", report, path + "/report", "", collectivite);

  httplib::Result csv = Send("GET", "/v1/reports/export.csv", "/v1/reports/export.csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_NE(csv->body.find("n-oa-report,SN,env.eau,com-b,"), std::string::npos) << csv->body;
  ExpectError(403, "", "", "GET", "/v1/reports/export.csv", "/v1/reports/export.csv", "",
              collectivite);
}

// Label applications: the whole flow, the documents, the history, the expiring labels, the CSV.
TEST_F(OpenApi, LabelApplications) {
  const std::string com_b =
      service::CreateApiKey(*store_, service::Role::kCollectivite, "com-b", "Commune B").secret;
  const std::string create = "/v1/label-applications", one = "/v1/label-applications/{id}";
  const char* body = R"({"themes": ["culture.musees"],
      "evidence": "Quinze ans de jumelage culturel avec Thiès, deux expositions par an.",
      "cooperations": [{"country": "SN", "partner": "SN-thies"}],
      "territorial_actions": [{"title": "Exposition", "year": 2024, "description": "Musée"}]})";
  ExpectError(
      422, "/themes/0", "pointer", "POST", create, create,
      R"({"collectivite": "com-b", "themes": ["zz"], "evidence": "Une preuve assez longue."})");
  ExpectError(403, "/collectivite", "pointer", "POST", create, create,
              R"({"collectivite": "com-a", "themes": ["env.eau"],
                  "evidence": "Une preuve assez longue."})",
              com_b);
  ExpectError(400, "", "pointer", "POST", create, create, "{");
  ExpectError(415, "Content-Type", "parameter", "POST", create, create, "{}", daect_, "text/plain");
  ExpectError(403, "", "", "POST", create, create, body, analyst_);
  Json application = Expect(201, "POST", create, create, body, com_b);
  const std::string id = application["id"];
  const std::string path = "/v1/label-applications/" + id;
  EXPECT_EQ(application["status"], "received");

  Expect(200, "GET", create, create + "?status=received&limit=5&offset=0", "", analyst_);
  ExpectError(400, "status", "parameter", "GET", create, create + "?status=lost");
  ExpectError(403, "", "", "GET", create, create, "", embassy_sn_);
  Expect(200, "GET", one, path, "", com_b);
  ExpectError(404, "id", "parameter", "GET", one, "/v1/label-applications/app_000000000000");

  const std::string document = "/v1/label-applications/{id}/documents";
  const std::string pdf = testing::PdfWithText("Candidature");
  ExpectError(415, "Content-Type", "parameter", "POST", document, path + "/documents", pdf, com_b,
              "text/plain");
  ExpectError(400, "filename", "parameter", "POST", document,
              path + "/documents?filename=a%2Fb.pdf", pdf, com_b, "application/pdf");
  ExpectError(404, "id", "parameter", "POST", document, create + "/app_000000000000/documents", pdf,
              com_b, "application/pdf");
  Json stored = Expect(201, "POST", document, path + "/documents?filename=convention.pdf", pdf,
                       com_b, "application/pdf");
  EXPECT_EQ(stored["sha256"], testing::Sha256Hex(pdf));
  EXPECT_EQ(stored["filename"], "convention.pdf");
  const std::string download = "/v1/label-applications/{id}/documents/{sha256}";
  httplib::Result read =
      Send("GET", download, path + "/documents/" + testing::Sha256Hex(pdf), "", analyst_, "");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  EXPECT_EQ(read->body, pdf);
  ExpectError(404, "sha256", "parameter", "GET", download, path + "/documents/00", "", com_b);

  const std::string review = "/v1/label-applications/{id}/review";
  const std::string decision = "/v1/label-applications/{id}/decision";
  const std::string answer = "/v1/label-applications/{id}/answer";
  ExpectError(409, "/decision", "pointer", "POST", decision, path + "/decision",
              R"({"decision": "approved", "reason": "Dossier complet."})");
  ExpectError(409, "/message", "pointer", "POST", answer, path + "/answer",
              R"({"message": "Voici."})", com_b);
  ExpectError(403, "", "", "POST", review, path + "/review", "", com_b);
  Expect(200, "POST", review, path + "/review", "");
  ExpectError(409, "id", "parameter", "POST", review, path + "/review", "");
  ExpectError(422, "/labels/0/until", "pointer", "POST", decision, path + "/decision",
              R"({"decision": "approved", "reason": "Dossier complet.",
                  "labels": [{"theme": "culture.musees", "since": "2027-01-01",
                              "until": "2026-01-01"}]})");
  Expect(200, "POST", decision, path + "/decision",
         R"({"decision": "information_requested", "reason": "Joindre la convention."})");
  ExpectError(422, "/message", "pointer", "POST", answer, path + "/answer", "{}", com_b);
  Expect(200, "POST", answer, path + "/answer", R"({"message": "Convention jointe."})", com_b);
  Json approved = Expect(200, "POST", decision, path + "/decision",
                         R"({"decision": "approved", "reason": "Dossier complet.",
                             "labels": [{"theme": "culture.musees", "since": "2026-01-01",
                                         "until": "2029-12-31"}]})");
  EXPECT_EQ(approved["status"], "approved");

  const std::string history = "/v1/collectivites/{id}/labels/history";
  Json h = Expect(200, "GET", history, "/v1/collectivites/com-b/labels/history", "", com_b);
  ASSERT_FALSE(h["items"].empty());
  EXPECT_EQ(h["items"].back()["application"], id);
  ExpectError(404, "id", "parameter", "GET", history, "/v1/collectivites/com-a/labels/history", "",
              com_b);
  ExpectError(403, "", "", "GET", history, "/v1/collectivites/com-b/labels/history", "",
              embassy_sn_);

  const std::string expiring = "/v1/labels/expiring";
  Json soon = Expect(200, "GET", expiring, expiring + "?days=60&as_of=2027-01-01", "", analyst_);
  EXPECT_EQ(soon["as_of"], "2027-01-01");
  Expect(200, "GET", expiring, expiring, "", com_b);
  ExpectError(400, "days", "parameter", "GET", expiring, expiring + "?days=0");
  ExpectError(400, "as_of", "parameter", "GET", expiring, expiring + "?as_of=demain");
  ExpectError(403, "collectivite", "parameter", "GET", expiring, expiring + "?collectivite=com-a",
              "", com_b);

  const std::string csv_route = "/v1/labels/export.csv";
  httplib::Result csv = Send("GET", csv_route, csv_route);
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_NE(csv->body.find("com-b,Commune B,culture.musees,Musées,granted,2026-01-01,2029-12-31,"),
            std::string::npos)
      << csv->body;
  ExpectError(403, "", "", "GET", csv_route, csv_route, "", com_b);
}

}  // namespace
}  // namespace expectmatch::api
