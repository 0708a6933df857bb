// Mission reports over HTTP: the document upload (streamed, typed by its first bytes,
// content-addressed on disk, replaced only with If-Match), the summary and ratings, the
// delivery that closes the need, the CSV export; and uploads that survive a kill -9.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "expectmatch/service/clock.h"
#include "live_server.h"
#include "raw_http.h"
#include "report_files.h"
#include "server_process.h"

namespace expectmatch::api {
namespace {

using datasets::Json;
using testing::DocxWithText;
using testing::OdtWithText;
using testing::PdfWithText;
using testing::Sha256Hex;

// `text` in double quotes: an entity tag.
std::string Tag(const std::string& text) {
  std::string out = "\"";
  out += text;
  out += '"';
  return out;
}

constexpr const char* kPdfType = "application/pdf";
constexpr const char* kOdtType = "application/vnd.oasis.opendocument.text";
constexpr const char* kDocxType =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

constexpr const char* kNeed = R"({"country": "SN", "partner": {"name": "Commune de Louga"},
    "themes": [{"theme": "env.eau", "weight": 1}], "languages": ["fr"],
    "period": {"start": "2026-09-01", "end": "2026-09-05"}, "description": "Réseau d'eau de Louga."})";

constexpr const char* kSummary = R"({"resultats": "Diagnostic du réseau livré.",
    "recommandations": "Remplacer les vannes.", "suites_envisagees": "Seconde mission en 2027."})";

class Reports : public testing::LiveServer<Reports> {
 protected:
  static void SetUpTestSuite() {
    testing::LiveServer<Reports>::SetUpTestSuite();
    com_a_ =
        service::CreateApiKey(*store_, service::Role::kCollectivite, "com-a", "Commune A").secret;
    com_b_ =
        service::CreateApiKey(*store_, service::Role::kCollectivite, "com-b", "Commune B").secret;
  }

  // A need `id` of Senegal decided for `collectivite`, with its mission (ended 2026-09-05).
  static void MakeMission(const std::string& id, const std::string& collectivite = "com-a") {
    Json need = Json::parse(kNeed);
    need["id"] = id;
    auto created = Post("/v1/needs", need.dump());
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;
    auto decided =
        Post("/v1/needs/" + id + "/decision", Json{{"collectivite", collectivite}}.dump());
    ASSERT_EQ(decided->status, 200) << decided->body;
    auto mission =
        Put("/v1/needs/" + id + "/mission", R"({"start": "2026-09-01", "end": "2026-09-05"})");
    ASSERT_EQ(mission->status, 200) << mission->body;
  }

  static httplib::Result Upload(const std::string& need, const std::string& body,
                                const std::string& type, const std::string& key,
                                const std::string& if_match = "") {
    httplib::Headers headers;
    if (!if_match.empty()) headers.emplace("If-Match", if_match);
    return Client(key).Put(("/v1/needs/" + need + "/report/document").c_str(), headers, body,
                           type.c_str());
  }

  static httplib::Result Download(const std::string& need, const std::string& key) {
    return Client(key).Get(("/v1/needs/" + need + "/report/document").c_str());
  }

  static size_t TempFiles() {
    size_t n = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator(scratch_->path() / "documents" / "tmp"))
      ++n;
    return n;
  }

  static inline std::string com_a_, com_b_;
};

TEST_F(Reports, APdfUploadedByItsAuthorityComesBackByteForByte) {
  MakeMission("n-rp-pdf");
  const std::string pdf = PdfWithText("Rapport de mission eau Louga");
  auto uploaded = Upload("n-rp-pdf", pdf, kPdfType, com_a_);
  ASSERT_TRUE(uploaded);
  ASSERT_EQ(uploaded->status, 201) << uploaded->body;
  Json body = Json::parse(uploaded->body);
  EXPECT_EQ(body["sha256"], Sha256Hex(pdf));
  EXPECT_EQ(body["bytes"], pdf.size());
  EXPECT_EQ(body["content_type"], kPdfType);
  EXPECT_EQ(body["text_extracted"], true);
  EXPECT_EQ(body["uploaded_at"].get<std::string>().substr(0, 10), service::Today());
  EXPECT_EQ(uploaded->get_header_value("ETag"), Tag(Sha256Hex(pdf)));

  // On disk under its SHA-256, recorded with its text.
  const std::string sha = Sha256Hex(pdf);
  EXPECT_EQ(testing::ReadFile(scratch_->path() / "documents" / sha.substr(0, 2) / sha), pdf);
  auto row = store_->GetReportDocument("n-rp-pdf");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->extraction, "pdftotext");
  EXPECT_NE(row->text.find("Rapport de mission eau Louga"), std::string::npos) << row->text;
  EXPECT_EQ(TempFiles(), 0u);

  for (const std::string& key : {com_a_, daect_, analyst_}) {
    auto read = Download("n-rp-pdf", key);
    ASSERT_TRUE(read);
    ASSERT_EQ(read->status, 200) << read->body;
    EXPECT_EQ(read->body, pdf);
    EXPECT_EQ(read->get_header_value("Content-Type"), kPdfType);
    EXPECT_EQ(read->get_header_value("ETag"), Tag(sha));
    EXPECT_EQ(read->get_header_value("Content-Disposition"),
              "attachment; filename=\"rapport-n-rp-pdf.pdf\"");
  }
  EXPECT_EQ(Download("n-rp-pdf", embassy_sn_)->status, 403);
}

TEST_F(Reports, OdtAndDocxAreStoredWithTheirText) {
  MakeMission("n-rp-odt");
  MakeMission("n-rp-docx", "com-b");
  const std::string odt = OdtWithText("Compte rendu &amp; bilan de la mission");
  const std::string docx = DocxWithText("Bilan des travaux de voirie");
  auto a = Upload("n-rp-odt", odt, kOdtType, com_a_);
  ASSERT_EQ(a->status, 201) << a->body;
  auto b = Upload("n-rp-docx", docx, std::string(kDocxType) + "; charset=binary", daect_);
  ASSERT_EQ(b->status, 201) << b->body;
  EXPECT_EQ(Json::parse(b->body)["content_type"], kDocxType);

  auto odt_row = store_->GetReportDocument("n-rp-odt");
  ASSERT_TRUE(odt_row);
  EXPECT_EQ(odt_row->extraction, "unzip");
  EXPECT_EQ(odt_row->text, "Compte rendu & bilan de la mission\n");
  auto docx_row = store_->GetReportDocument("n-rp-docx");
  ASSERT_TRUE(docx_row);
  EXPECT_EQ(docx_row->text, "Bilan des travaux de voirie\n");

  auto read_odt = Download("n-rp-odt", com_a_);
  EXPECT_EQ(read_odt->body, odt);
  EXPECT_EQ(read_odt->get_header_value("Content-Disposition"),
            "attachment; filename=\"rapport-n-rp-odt.odt\"");
  auto read_docx = Download("n-rp-docx", com_b_);
  EXPECT_EQ(read_docx->body, docx);
  EXPECT_EQ(read_docx->get_header_value("Content-Type"), kDocxType);
  EXPECT_EQ(read_docx->get_header_value("Content-Disposition"),
            "attachment; filename=\"rapport-n-rp-docx.docx\"");
}

TEST_F(Reports, AnotherTypeOrContentNotOfItsTypeIs415AndStoresNothing) {
  MakeMission("n-rp-415");
  const std::string pdf = PdfWithText("x");
  const std::string odt = OdtWithText("x");
  const std::string docx = DocxWithText("x");
  ExpectProblem(Upload("n-rp-415", pdf, "text/plain", com_a_), 415, "Content-Type", "parameter");
  ExpectProblem(Upload("n-rp-415", pdf, "application/json", com_a_), 415, "Content-Type",
                "parameter");
  ExpectProblem(Upload("n-rp-415", docx, kPdfType, com_a_), 415, "Content-Type", "parameter");
  ExpectProblem(Upload("n-rp-415", pdf, kOdtType, com_a_), 415, "Content-Type", "parameter");
  // A ZIP whose first entry is not mimetype is no ODT; an ODT is no DOCX.
  ExpectProblem(Upload("n-rp-415", docx, kOdtType, com_a_), 415, "Content-Type", "parameter");
  ExpectProblem(Upload("n-rp-415", odt, kDocxType, com_a_), 415, "Content-Type", "parameter");
  ExpectProblem(Upload("n-rp-415", "", kPdfType, com_a_), 415, "Content-Type", "parameter");
  EXPECT_FALSE(store_->GetReportDocument("n-rp-415"));
  EXPECT_EQ(Download("n-rp-415", com_a_)->status, 404);
  EXPECT_EQ(TempFiles(), 0u);
  // The connection carried on: a valid upload afterwards is accepted.
  EXPECT_EQ(Upload("n-rp-415", pdf, kPdfType, com_a_)->status, 201);
}

// 21 MB announced, a few bytes sent: the answer comes at once, without waiting for the rest
// (the connection's receive timeout, 20 s, is below the server's request deadline, 30 s).
TEST_F(Reports, ADocumentOver20MiBIsRefusedBeforeItsBodyIsRead) {
  MakeMission("n-rp-413");
  testing::RawConnection connection(server_->port());
  ASSERT_TRUE(connection.ok());
  ASSERT_TRUE(
      connection.Send("PUT /v1/needs/n-rp-413/report/document HTTP/1.1\r\nHost: localhost\r\n"
                      "Authorization: Bearer " +
                      com_a_ +
                      "\r\nContent-Type: application/pdf\r\n"
                      "Content-Length: 21000000\r\n\r\n%PDF-1.4\n"));
  const std::string answer = connection.ReceiveAll();
  ASSERT_EQ(answer.rfind("HTTP/1.1 413 ", 0), 0u) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  Json problem = Json::parse(answer.substr(answer.find("\r\n\r\n") + 4));
  EXPECT_EQ(problem["status"], 413);
  EXPECT_EQ(problem["errors"][0]["parameter"], "Content-Length");
  EXPECT_FALSE(store_->GetReportDocument("n-rp-413"));

  // Without a length (chunked): 411, the body unread.
  testing::RawConnection chunked(server_->port());
  ASSERT_TRUE(
      chunked.Send("PUT /v1/needs/n-rp-413/report/document HTTP/1.1\r\nHost: localhost\r\n"
                   "Authorization: Bearer " +
                   com_a_ +
                   "\r\nContent-Type: application/pdf\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n5\r\n%PDF-\r\n"));
  const std::string refused = chunked.ReceiveAll();
  EXPECT_EQ(refused.rfind("HTTP/1.1 411 ", 0), 0u) << refused;
}

TEST_F(Reports, ASecondUploadReplacesTheFirstOnlyWithItsETag) {
  MakeMission("n-rp-etag");
  const std::string first = PdfWithText("premier"), second = PdfWithText("second");
  const std::string first_tag = Tag(Sha256Hex(first));
  ExpectProblem(Upload("n-rp-etag", first, kPdfType, com_a_, first_tag), 409, "If-Match",
                "parameter");
  ASSERT_EQ(Upload("n-rp-etag", first, kPdfType, com_a_)->status, 201);

  auto without = Upload("n-rp-etag", second, kPdfType, com_a_);
  ExpectProblem(without, 409, "If-Match", "parameter");
  EXPECT_EQ(Json::parse(without->body)["stored_sha256"], Sha256Hex(first));
  auto wrong = Upload("n-rp-etag", second, kPdfType, com_a_, Tag(Sha256Hex(second)));
  ExpectProblem(wrong, 409, "If-Match", "parameter");
  EXPECT_EQ(Download("n-rp-etag", com_a_)->body, first);
  EXPECT_EQ(TempFiles(), 0u);

  auto replaced = Upload("n-rp-etag", second, kPdfType, com_a_, first_tag);
  ASSERT_EQ(replaced->status, 200) << replaced->body;
  EXPECT_EQ(Json::parse(replaced->body)["sha256"], Sha256Hex(second));
  EXPECT_EQ(replaced->get_header_value("ETag"), Tag(Sha256Hex(second)));
  EXPECT_EQ(Download("n-rp-etag", daect_)->body, second);
  // The old tag no longer replaces anything.
  ExpectProblem(Upload("n-rp-etag", first, kPdfType, com_a_, first_tag), 409, "If-Match",
                "parameter");
}

TEST_F(Reports, AnotherAuthorityANeedWithoutMissionAndAnUnknownNeedAnswerAlike) {
  MakeMission("n-rp-own");
  ASSERT_EQ(Upload("n-rp-own", PdfWithText("a"), kPdfType, com_a_)->status, 201);
  ASSERT_EQ(Put("/v1/needs/n-rp-own/report", kSummary, com_a_)->status, 201);
  // The same answer, but for the id it names.
  auto alike = [](const httplib::Result& result, const httplib::Result& unknown,
                  const std::string& id) {
    ASSERT_TRUE(result);
    ASSERT_TRUE(unknown);
    EXPECT_EQ(result->status, 404);
    EXPECT_EQ(unknown->status, 404);
    std::string expected = unknown->body;
    expected.replace(expected.find("n-rp-none"), 9, id);
    EXPECT_EQ(result->body, expected);
  };
  for (const std::string& suffix : {std::string("/report/document"), std::string("/report")}) {
    SCOPED_TRACE(suffix);
    auto unknown = Get("/v1/needs/n-rp-none" + suffix, com_b_);
    alike(Get("/v1/needs/n-rp-own" + suffix, com_b_), unknown, "n-rp-own");
    // n1 of the tiny data set has no mission.
    alike(Get("/v1/needs/n1" + suffix, daect_), Get("/v1/needs/n-rp-none" + suffix, daect_), "n1");
  }
  alike(Upload("n-rp-own", PdfWithText("b"), kPdfType, com_b_),
        Upload("n-rp-none", PdfWithText("b"), kPdfType, com_b_), "n-rp-own");
  alike(Put("/v1/needs/n-rp-own/report", kSummary, com_b_),
        Put("/v1/needs/n-rp-none/report", kSummary, com_b_), "n-rp-own");
  EXPECT_EQ(Download("n-rp-own", com_a_)->body, PdfWithText("a"));
  // Analysts read, embassies see nothing of reports.
  EXPECT_EQ(Get("/v1/needs/n-rp-own/report", analyst_)->status, 200);
  EXPECT_EQ(Get("/v1/needs/n-rp-own/report", embassy_sn_)->status, 403);
  EXPECT_EQ(Put("/v1/needs/n-rp-own/report", kSummary, analyst_)->status, 403);
}

TEST_F(Reports, TheSummaryIsValidatedFieldByField) {
  MakeMission("n-rp-422");
  const std::string path = "/v1/needs/n-rp-422/report";
  auto empty = Put(path, "{}", com_a_);
  ExpectProblem(empty, 422, "/resultats");
  Json errors = Json::parse(empty->body)["errors"];
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[1]["pointer"], "/recommandations");
  EXPECT_EQ(errors[2]["pointer"], "/suites_envisagees");
  Json summary = Json::parse(kSummary);
  Json blank = summary;
  blank["recommandations"] = "  ";
  ExpectProblem(Put(path, blank.dump(), com_a_), 422, "/recommandations");
  Json long_text = summary;
  long_text["suites_envisagees"] = std::string(20001, 'a');
  ExpectProblem(Put(path, long_text.dump(), com_a_), 422, "/suites_envisagees");
  Json number = summary;
  number["resultats"] = 3;
  ExpectProblem(Put(path, number.dump(), com_a_), 422, "/resultats");
  Json unknown = summary;
  unknown["budget"] = 1;
  ExpectProblem(Put(path, unknown.dump(), com_a_), 422, "/budget");
  Json rated = summary;
  rated["partner_rating"] = 4;
  ExpectProblem(Put(path, rated.dump(), com_a_), 403, "/partner_rating");
  rated["partner_rating"] = 6;
  ExpectProblem(Put(path, rated.dump(), daect_), 422, "/partner_rating");
  rated["partner_rating"] = 2.5;
  ExpectProblem(Put(path, rated.dump(), daect_), 422, "/partner_rating");
  ExpectProblem(Put(path, "[", com_a_), 400, "");
  EXPECT_FALSE(store_->GetReport("n-rp-422"));
}

TEST_F(Reports, ASummaryAndADocumentDeliverTheReportAndCloseTheNeed) {
  MakeMission("n-rp-close");
  const std::string path = "/v1/needs/n-rp-close/report";
  Json before = Json::parse(Get(path, com_a_)->body);
  EXPECT_EQ(before, Json::parse(R"({"need": "n-rp-close", "collectivite": "com-a",
      "summary": null, "daect_rating": null, "partner_rating": null, "updated_at": null,
      "document": null, "end": "2026-09-05", "due": "2026-11-05", "delivered": null,
      "overdue": true})"));

  auto written = Put(path, kSummary, com_a_);
  ASSERT_EQ(written->status, 201) << written->body;
  Json report = Json::parse(written->body);
  EXPECT_EQ(report["summary"], Json::parse(kSummary));
  EXPECT_EQ(report["delivered"], nullptr);
  EXPECT_EQ(Json::parse(Get("/v1/needs/n-rp-close")->body)["status"], "in_mission");

  const std::string pdf = PdfWithText("rapport final");
  ASSERT_EQ(Upload("n-rp-close", pdf, kPdfType, com_a_)->status, 201);
  report = Json::parse(Get(path, com_a_)->body);
  EXPECT_EQ(report["delivered"], service::Today());
  EXPECT_EQ(report["overdue"], false);
  EXPECT_EQ(report["document"]["sha256"], Sha256Hex(pdf));
  EXPECT_EQ(report["document"]["bytes"], pdf.size());
  Json need = Json::parse(Get("/v1/needs/n-rp-close")->body);
  EXPECT_EQ(need["status"], "closed");
  EXPECT_EQ(need["mission"]["report_delivered"], service::Today());
  EXPECT_EQ(need["mission"]["rating"], nullptr);

  // DAECT's ratings: the mission's rating is DAECT's; the authority's rewrite keeps them.
  Json rated = Json::parse(kSummary);
  rated["daect_rating"] = 4;
  rated["partner_rating"] = 5;
  auto by_daect = Put(path, rated.dump());
  ASSERT_EQ(by_daect->status, 200) << by_daect->body;
  EXPECT_EQ(Json::parse(by_daect->body)["daect_rating"], 4);
  ASSERT_EQ(Put(path, kSummary, com_a_)->status, 200);
  report = Json::parse(Get(path, analyst_)->body);
  EXPECT_EQ(report["daect_rating"], 4);
  EXPECT_EQ(report["partner_rating"], 5);
  need = Json::parse(Get("/v1/needs/n-rp-close")->body);
  EXPECT_EQ(need["mission"]["rating"], 4);
  EXPECT_EQ(need["mission"]["report_delivered"], service::Today());
  // No longer overdue.
  Json overdue = Json::parse(Get("/v1/reports/overdue")->body);
  for (const Json& item : overdue["items"]) EXPECT_NE(item["need"], "n-rp-close");
}

// A server of its own: the export lists every mission of its store, exactly.
TEST(ReportsExport, OneRowPerMissionQuotedForSpreadsheets) {
  testing::InProcessServer live(api::ServerOptions{});
  ASSERT_TRUE(live.bound);
  httplib::Client client = live.Client(live.daect.secret);
  Json need = Json::parse(kNeed);
  need["id"] = "n-csv";
  ASSERT_EQ(client.Post("/v1/needs", need.dump(), "application/json")->status, 201);
  ASSERT_EQ(
      client.Post("/v1/needs/n-csv/decision", R"({"collectivite": "com-a"})", "application/json")
          ->status,
      200);
  ASSERT_EQ(client
                .Put("/v1/needs/n-csv/mission", R"({"start": "2026-09-01", "end": "2026-09-05"})",
                     "application/json")
                ->status,
            200);
  const std::string pdf = PdfWithText("csv");
  ASSERT_EQ(client.Put("/v1/needs/n-csv/report/document", pdf, kPdfType)->status, 201);
  Json summary{{"resultats", "Eau, assainissement: \"priorité\""},
               {"recommandations", "Deux lignes\nde texte"},
               {"suites_envisagees", "=HYPERLINK(\"x\")"},
               {"daect_rating", 5},
               {"partner_rating", 3}};
  ASSERT_EQ(client.Put("/v1/needs/n-csv/report", summary.dump(), "application/json")->status, 201);

  auto csv = client.Get("/v1/reports/export.csv");
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  const std::string today = service::Today();
  EXPECT_EQ(
      csv->body,
      "\xEF\xBB\xBF"
      "need,country,themes,collectivite,collectivite_name,start,end,due,delivered,"
      "daect_rating,partner_rating,sha256,resultats,recommandations,suites_envisagees\r\n"
      "n-2024-001,BF,env.dechets,com-b,Commune B,2024-06-03,2024-06-07,2024-08-07,,4,,,,,\r\n"
      "n-2025-001,SN,env.eau,com-a,Commune A,2025-03-01,2025-03-05,2025-05-05,2025-04-15,5,,,,,"
      "\r\n"
      ",ML,culture.musees,com-a,Commune A,2026-01-10,2026-01-12,2026-03-12,,2,,,,,\r\n"
      "n-2026-001,SN,agri.irrigation,com-b,Commune B,2026-02-02,2026-02-06,2026-04-06,"
      "2026-05-20,,,,,,\r\n"
      "n-csv,SN,env.eau,com-a,Commune A,2026-09-01,2026-09-05,2026-11-05," +
          today + ",5,3," + Sha256Hex(pdf) +
          ",\"Eau, assainissement: \"\"priorité\"\"\",\"Deux lignes\nde texte\","
          "\"'=HYPERLINK(\"\"x\"\")\"\r\n"
          "n-2026-002,TN,env.eau,reg-d,Région D,2027-01-10,2027-01-12,2027-03-12,,,,,,,\r\n");
  const std::string analyst =
      service::CreateApiKey(*live.store, service::Role::kAnalyst, "", "tests").secret;
  EXPECT_EQ(live.Client(analyst).Get("/v1/reports/export.csv")->body, csv->body);
  const std::string authority =
      service::CreateApiKey(*live.store, service::Role::kCollectivite, "com-a", "A").secret;
  EXPECT_EQ(live.Client(authority).Get("/v1/reports/export.csv")->status, 403);
}

// The command line writes the same CSV from a database.
TEST(ReportsExport, TheCommandLineWritesTheSameCsv) {
  testing::ScratchDir scratch;
  const std::string db = (scratch.path() / "cli.db").string();
  const std::string file = (scratch.path() / "rapports.csv").string();
  testing::CliRun imported =
      testing::Expectmatch("import --db " + db + " --data " + testing::TestData("tiny").string());
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  testing::CliRun exported = testing::Expectmatch("export --reports-csv " + file + " --db " + db);
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  store::Store store(db);
  const std::string csv = testing::ReadFile(file);
  EXPECT_EQ(csv, service::ReportsCsv(store));
  EXPECT_EQ(csv.substr(0, 7), "\xEF\xBB\xBFneed");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 6);             // the header and 5 missions
  EXPECT_NE(testing::Expectmatch("export --db " + db).exit_code, 0);  // neither folder nor CSV
}

// Uploads to a real server killed at random moments: every upload it acknowledged is there
// after a restart, byte for byte, and every recorded document has its file.
TEST(ReportsDurability, AcknowledgedUploadsSurviveSigkill) {
  testing::ScratchDir scratch;
  const std::string db = (scratch.path() / "reports.db").string();
  testing::CliRun key = testing::Expectmatch("keys create --role daect --db " + db);
  ASSERT_EQ(key.exit_code, 0) << key.output;
  const std::string secret = key.output.substr(key.output.find("emk_"), 68);
  const std::vector<std::string> args = {"--db", db, "--data", testing::TestData("tiny").string()};
  std::mt19937 random(20261130);
  std::map<std::string, std::string> acknowledged;  // need → sha256
  int attempted = 0;
  for (int cycle = 0; cycle < 20; ++cycle) {
    testing::ServerProcess server(args);
    ASSERT_GT(server.port(), 0);
    httplib::Client client("127.0.0.1", server.port());
    client.set_default_headers({{"Authorization", "Bearer " + secret}});
    std::vector<std::string> needs;
    for (int i = 0; i < 4; ++i) {
      const std::string id = "n-k" + std::to_string(cycle) + "-" + std::to_string(i);
      Json need = Json::parse(kNeed);
      need["id"] = id;
      ASSERT_EQ(client.Post("/v1/needs", need.dump(), "application/json")->status, 201);
      ASSERT_EQ(client
                    .Post(("/v1/needs/" + id + "/decision").c_str(), R"({"collectivite": "com-a"})",
                          "application/json")
                    ->status,
                200);
      ASSERT_EQ(client
                    .Put(("/v1/needs/" + id + "/mission").c_str(),
                         R"({"start": "2026-09-01", "end": "2026-09-05"})", "application/json")
                    ->status,
                200);
      needs.push_back(id);
    }
    std::vector<std::string> bodies;
    for (size_t i = 0; i < needs.size(); ++i) {
      std::string body = "%PDF-1.4\n";
      body.resize(200000 + random() % 800000, static_cast<char>('a' + random() % 26));
      body += std::to_string(cycle) + "-" + std::to_string(i);
      bodies.push_back(std::move(body));
    }
    // The first upload of a cycle is acknowledged before the kill can come; the others race it.
    auto upload = [&](size_t i) {
      ++attempted;
      auto result =
          client.Put(("/v1/needs/" + needs[i] + "/report/document").c_str(), bodies[i], kPdfType);
      if (!result) return false;  // killed
      EXPECT_EQ(result->status, 201) << result->body;
      if (result->status == 201) acknowledged[needs[i]] = Sha256Hex(bodies[i]);
      return true;
    };
    ASSERT_TRUE(upload(0));
    std::thread uploader([&] {
      for (size_t i = 1; i < needs.size() && upload(i); ++i) {
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % 120));
    server.Kill(SIGKILL);
    uploader.join();
    server.Wait(std::chrono::seconds(30));
  }
  EXPECT_GT(acknowledged.size(), 0u);
  EXPECT_LT(acknowledged.size(), static_cast<size_t>(attempted)) << "no upload was interrupted";

  testing::ServerProcess last(args);
  ASSERT_GT(last.port(), 0);
  httplib::Client client("127.0.0.1", last.port());
  client.set_default_headers({{"Authorization", "Bearer " + secret}});
  for (const auto& [need, sha] : acknowledged) {
    auto read = client.Get(("/v1/needs/" + need + "/report/document").c_str());
    ASSERT_TRUE(read);
    ASSERT_EQ(read->status, 200) << need;
    EXPECT_EQ(Sha256Hex(read->body), sha) << need;
  }
  last.Signal(SIGTERM);
  // Every recorded document (acknowledged or not) has its file, intact; no temporary file is
  // left once a server started.
  store::Store store(db);
  const std::filesystem::path documents = scratch.path() / "documents";
  for (const store::ReportDocumentRow& row : store.ReportDocuments()) {
    const std::filesystem::path file = documents / row.sha256.substr(0, 2) / row.sha256;
    ASSERT_TRUE(std::filesystem::exists(file)) << row.need;
    EXPECT_EQ(Sha256Hex(testing::ReadFile(file)), row.sha256) << row.need;
    if (acknowledged.count(row.need)) {
      EXPECT_EQ(acknowledged[row.need], row.sha256);
    }
  }
  EXPECT_TRUE(std::filesystem::is_empty(documents / "tmp"));
}

}  // namespace
}  // namespace expectmatch::api
