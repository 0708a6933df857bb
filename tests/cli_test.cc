// The expectmatch command line, run as a user would.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "expectmatch/datasets/codec.h"
#include "testutil.h"

namespace expectmatch {
namespace {

using testing::CliRun;
using testing::Expectmatch;

TEST(Cli, ValidateAcceptsAValidDataSet) {
  CliRun run = Expectmatch("validate " + testing::TestData("tiny").string());
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("jeu de données valide (7 thèmes, 7 collectivités"), std::string::npos)
      << run.output;
}

TEST(Cli, ValidateListsEveryErrorAndFails) {
  testing::ScratchDir scratch;
  testing::CopyDataset(testing::TestData("tiny"), scratch.path());
  auto j = datasets::Json::parse(testing::ReadFile(scratch.path() / "collectivites.json"));
  j[1]["labels"][0]["theme"] = "patrimoine.musee";
  j[2]["region"] = "Aquitaine";
  testing::WriteFile(scratch.path() / "collectivites.json", j.dump());
  testing::WriteFile(scratch.path() / "missions.json", "[");
  CliRun run = Expectmatch("validate " + scratch.path().string());
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(
      run.output.find("collectivites.json[1].labels[0].theme: unknown theme \"patrimoine.musee\""),
      std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("collectivites.json[2].region: unknown French région \"Aquitaine\""),
            std::string::npos);
  EXPECT_NE(run.output.find("missions.json: invalid JSON"), std::string::npos);
  EXPECT_NE(run.output.find("3 erreurs"), std::string::npos) << run.output;
}

TEST(Cli, MatchPrintsAFrenchTable) {
  CliRun run = Expectmatch("match --need n1 --data " + testing::TestData("tiny").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  size_t a = run.output.find("Commune A"), b = run.output.find("Commune B"),
         c = run.output.find("Département C");
  ASSERT_NE(a, std::string::npos) << run.output;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_NE(run.output.find("0,670"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("· Pays Sénégal : 1 partenariat actif, depuis 2010"),
            std::string::npos);
  EXPECT_NE(run.output.find("Conflit d'intérêts déclaré : 1"), std::string::npos);
}

TEST(Cli, MatchJsonIsTheApiBody) {
  CliRun run =
      Expectmatch("match --need n1 --k 2 --json --data " + testing::TestData("tiny").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto body = datasets::Json::parse(run.output);
  EXPECT_EQ(body["candidates"].size(), 2u);
  EXPECT_EQ(body["candidates"][0]["collectivite"]["id"], "com-a");
}

TEST(Cli, MatchFailsClearlyOnUnknownNeedOrBadK) {
  CliRun unknown = Expectmatch("match --need zz --data " + testing::TestData("tiny").string());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("besoin inconnu « zz »"), std::string::npos) << unknown.output;
  CliRun bad_k = Expectmatch("match --need n1 --k 0 --data " + testing::TestData("tiny").string());
  EXPECT_NE(bad_k.exit_code, 0);
  EXPECT_NE(bad_k.output.find("--k"), std::string::npos) << bad_k.output;
}

}  // namespace
}  // namespace expectmatch

namespace expectmatch {
namespace {

TEST(Cli, PartnersRecognisesATypedNameInFrench) {
  CliRun run = Expectmatch("partners --country sn 'Mairie de Fatik'");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(
      run.output.find("Reconnu : Commune de Fatick (SN-fatick), score 0,83, par nom approché"),
      std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("Candidats :"), std::string::npos) << run.output;

  CliRun none = Expectmatch("partners --country ML 'Commune de Fatick' --json");
  ASSERT_EQ(none.exit_code, 0) << none.output;
  auto body = datasets::Json::parse(none.output);
  EXPECT_TRUE(body["resolved"].is_null());
  EXPECT_EQ(body["country"], "ML");

  CliRun json = Expectmatch("partners --country SN sn-FATICK --json --limit 1");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  body = datasets::Json::parse(json.output);
  EXPECT_EQ(body["resolved"]["id"], "SN-fatick");
  EXPECT_EQ(body["resolved"]["kind"], "id");
  EXPECT_EQ(body["candidates"].size(), 1u);

  CliRun unknown = Expectmatch("partners --country ZZ Podor");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("erreur : pays inconnu « ZZ »"), std::string::npos)
      << unknown.output;
  CliRun blank = Expectmatch("partners --country SN '  '");
  EXPECT_EQ(blank.exit_code, 2);
  EXPECT_NE(blank.output.find("erreur : le nom du partenaire est vide\n"), std::string::npos)
      << blank.output;
  CliRun nothing = Expectmatch("partners --country SN Tambacounda");
  ASSERT_EQ(nothing.exit_code, 0);
  EXPECT_NE(nothing.output.find("Aucun partenaire reconnu"), std::string::npos) << nothing.output;
}

TEST(Cli, KeysAreCreatedShownOnceListedAndRevoked) {
  testing::ScratchDir scratch;
  const std::string db = "--db " + (scratch.path() / "keys.db").string();
  testing::CliRun created =
      testing::Expectmatch("keys create --role embassy --country SN --label Dakar " + db);
  ASSERT_EQ(created.exit_code, 0) << created.output;
  size_t at = created.output.find("emk_");
  ASSERT_NE(at, std::string::npos) << created.output;
  const std::string secret = created.output.substr(at, 68);
  testing::CliRun listed = testing::Expectmatch("keys list " + db);
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.output.find("embassy       SN"), std::string::npos) << listed.output;
  EXPECT_EQ(listed.output.find(secret), std::string::npos)
      << "the secret is shown only at creation";
  const std::string id = listed.output.substr(listed.output.find("k_"), 10);
  EXPECT_EQ(testing::Expectmatch("keys revoke " + id + " " + db).exit_code, 0);
  EXPECT_EQ(testing::Expectmatch("keys revoke " + id + " " + db).exit_code, 2);
  testing::CliRun after = testing::Expectmatch("keys list " + db);
  EXPECT_EQ(after.output.find(" -  "), std::string::npos)
      << "the key shows its revocation date: " << after.output;
  testing::CliRun bad = testing::Expectmatch("keys create --role embassy " + db);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("--country"), std::string::npos);
  EXPECT_EQ(testing::Expectmatch("keys create --role admin " + db).exit_code, 2);
}

}  // namespace
}  // namespace expectmatch

namespace expectmatch {
namespace {

TEST(Cli, AssignsTheStoredNeedsOfAPeriod) {
  // tiny: n1 is submitted (n2 is already assigned, so not in the batch); com-a scores best
  // (0.6698, see ranker_test.cc) and has 1 mission left in 2027 (capacity 2, n2 holds one).
  testing::CliRun run =
      testing::Expectmatch("assign --json --data " + testing::TestData("tiny").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto body = datasets::Json::parse(run.output.substr(run.output.find('{')));
  EXPECT_EQ(body["feasible"], true);
  ASSERT_EQ(body["needs"].size(), 1u);
  EXPECT_EQ(body["needs"][0]["assigned"][0]["authority"], "com-a");
  EXPECT_NEAR(body["total_score"].get<double>(), 0.66975, 1e-5);
  EXPECT_EQ(body["authorities"][0],
            datasets::Json::parse(R"({"authority": "com-a", "load": 1, "max": 1, "min": 0})"));
  testing::CliRun none = testing::Expectmatch(
      "assign --data " + testing::TestData("tiny").string() + " --period-to 2026-12-31");
  EXPECT_EQ(none.exit_code, 3);
  EXPECT_NE(none.output.find("aucun besoin"), std::string::npos) << none.output;
}

// Every command's error output is whole lines: each message and each listed error starts a
// line of its own and ends with a line break, so that a summary never runs into the next error
// (« … est invalidethemes.json[11]… »).
TEST(Cli, EveryCommandsErrorOutputIsWholeLines) {
  testing::ScratchDir scratch;
  const std::string bad = (scratch.path() / "bad").string();
  testing::CopyDataset(testing::SampleDir(), bad);
  auto themes = datasets::Json::parse(testing::ReadFile(scratch.path() / "bad" / "themes.json"));
  themes[11]["label"] = 5;
  testing::WriteFile(scratch.path() / "bad" / "themes.json", themes.dump());
  const std::string db = (scratch.path() / "x.db").string();
  const std::string none = (scratch.path() / "none.db").string();
  const std::vector<std::string> commands = {
      "validate " + bad,
      "match --need n1 --data " + bad,
      "evaluate " + bad + " --profile default",
      "evaluate --db " + none + " --profile default",
      "tune " + bad,
      "whatif " + bad + " --profile ouverture",
      "assign --data " + bad + " --period-from 2027-01-01 --period-to 2027-12-31",
      "assign --scores " + bad + "/themes.json --capacity " + bad + "/themes.json",
      "import --data " + bad + " --db " + db,
      "export --db " + none + " " + (scratch.path() / "out").string(),
      "generate --authorities 5 " + bad,
      "keys create --role nope --db " + db,
      "serve --port 99999",
  };
  for (const std::string& command : commands) {
    testing::CliRun run = testing::Expectmatch(command);
    EXPECT_NE(run.exit_code, 0) << command;
    ASSERT_FALSE(run.output.empty()) << command;
    EXPECT_EQ(run.output.back(), '\n') << command << ":\n" << run.output;
    EXPECT_EQ(run.output.find('\r'), std::string::npos) << command;
    // Messages and listed errors start their line.
    for (const std::string start :
         {"erreur : ", "attention : ", "themes.json[", "themes.json, ligne"}) {
      for (size_t at = run.output.find(start); at != std::string::npos;
           at = run.output.find(start, at + 1)) {
        const bool line_start = at == 0 || run.output[at - 1] == '\n' ||
                                run.output[at - 1] == '/';  // a path naming the file
        EXPECT_TRUE(line_start) << command << ": « " << start << " » inside a line:\n"
                                << run.output;
      }
    }
    EXPECT_NE(run.output.find("erreur"), std::string::npos) << command << ":\n" << run.output;
  }
}

}  // namespace
}  // namespace expectmatch
