// The batch assignment's inputs and command (issue 5): the CSV readers' errors and defaults, and
// `expectmatch assign` on the MIDL instance and on infeasible input (the solver:
// assignment_test.cc).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "expectmatch/datasets/assignment_csv.h"
#include "expectmatch/matcher/assignment.h"
#include "testutil.h"

namespace expectmatch {
namespace {

using matcher::AssignmentProblem;

TEST(AssignmentCsv, ErrorsNameFileRowAndColumn) {
  datasets::ScoresCsv scores = datasets::DecodeScoresCsv("need,authority,score\np1,r1,0.5\np1,r2,abc\np1,r1,0.2\n", "s.csv");
  EXPECT_EQ(scores.Messages(), (std::vector<std::string>{"s.csv, ligne 3, colonne « score » : nombre invalide « abc »",
                                                         "s.csv, ligne 4 : couple « p1 » → « r1 » en double"}));
  datasets::CapacitiesCsv caps = datasets::DecodeCapacitiesCsv("authority;min;max\nr1;3;2\nr2;x;2\n", "c.csv");
  EXPECT_EQ(caps.Messages(), (std::vector<std::string>{"c.csv, ligne 2, colonne « min » : minimum 3 supérieur au maximum 2",
                                                       "c.csv, ligne 3, colonne « min » : entier positif ou nul attendu, lu « x »"}));
  datasets::DemandsCsv demands = datasets::DecodeDemandsCsv("need,other\np1,2\n", "d.csv");
  EXPECT_EQ(demands.Messages(), std::vector<std::string>{"d.csv, ligne 1 : colonne « demand » absente"});
}

TEST(AssignmentCsv, HeaderlessOpenReviewFilesAndDefaults) {
  datasets::ScoresCsv scores = datasets::DecodeScoresCsv("p1,r1,0.5\np2,r1,\"0,25\"\n", "s.csv");
  ASSERT_TRUE(scores.ok()) << scores.Messages()[0];
  ASSERT_EQ(scores.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(scores.rows[1].score, 0.25);
  datasets::CapacitiesCsv caps = datasets::DecodeCapacitiesCsv("Collectivité,Min,Max\nr1,1,2\n", "c.csv");
  ASSERT_TRUE(caps.ok());
  std::vector<std::string> errors;
  AssignmentProblem p = datasets::BuildAssignmentProblem(scores, {}, caps, true, &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(p.needs, (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(p.demand, (std::vector<int>{1, 1}));
  EXPECT_EQ(p.min_load, std::vector<int>{1});
  datasets::ScoresCsv unknown = datasets::DecodeScoresCsv("need,authority,score\np1,r9,1\n", "s.csv");
  p = datasets::BuildAssignmentProblem(unknown, {}, caps, false, &errors);
  EXPECT_EQ(errors, std::vector<std::string>{"s.csv, ligne 2 : collectivité « r9 » absente de c.csv"});
}

// ---- command line ----------------------------------------------------------------------------

TEST(AssignCli, MidlPrintsTheOptimum) {
  auto dir = testing::TestData("midl");
  std::string files = "--scores " + (dir / "scores.csv").string() + " --demand " + (dir / "demand.csv").string() +
                      " --capacity " + (dir / "capacity.csv").string();
  testing::CliRun run = testing::Expectmatch("assign " + files);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("Score total : 201.8849"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("Plus bas total par besoin : 0.9033"), std::string::npos);
  EXPECT_NE(run.output.find("Plan optimal"), std::string::npos);

  run = testing::Expectmatch("assign " + files + " --min-loads --json");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  nlohmann::json json = nlohmann::json::parse(run.output);
  EXPECT_TRUE(json["feasible"].get<bool>());
  EXPECT_NEAR(json["total_score"].get<double>(), 150.0431, 1e-3);
  EXPECT_EQ(json["needs"].size(), 118u);
  EXPECT_EQ(json["needs"][0]["assigned"].size(), 3u);
  EXPECT_EQ(json["needs"][0]["alternates"].size(), 3u);

  run = testing::Expectmatch("assign " + files + " --fairness-floor 0.94");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("Équité locale (plancher demandé 0.9400) : plancher atteint 0.9448, score total cédé 0.1161"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("Score total : 201.7687"), std::string::npos);
  run = testing::Expectmatch("assign " + files + " --fairness-floor nan");
  EXPECT_EQ(run.exit_code, 2) << run.output;
}

TEST(AssignCli, InfeasibleInputExplainsAndExitsThree) {
  testing::ScratchDir dir;
  testing::WriteFile(dir.path() / "s.csv", "need,authority,score\np1,r1,0.5\np2,r1,0.4\np3,r2,0.1\n");
  testing::WriteFile(dir.path() / "c.csv", "authority,min,max\nr1,0,1\nr2,0,1\n");
  testing::WriteFile(dir.path() / "d.csv", "need,demand\np1,1\np2,1\np3,1\np4,1\n");
  testing::CliRun run = testing::Expectmatch("assign --scores " + (dir.path() / "s.csv").string() + " --demand " +
                                             (dir.path() / "d.csv").string() + " --capacity " +
                                             (dir.path() / "c.csv").string());
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("La demande totale (4 affectations) dépasse la capacité maximale totale des collectivités (2)."),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("Le besoin « p4 » n'a aucune collectivité éligible."), std::string::npos);
  EXPECT_NE(run.output.find("p2 : manque 1 ; ses autres collectivités éligibles ont toutes atteint leur charge maximale ; "
                            "alternatives : r1 (0.4000)"),
            std::string::npos)
      << run.output;

  testing::WriteFile(dir.path() / "bad.csv", "need,authority,score\np1,r1,x\n");
  run = testing::Expectmatch("assign --scores " + (dir.path() / "bad.csv").string() + " --capacity " +
                             (dir.path() / "c.csv").string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("bad.csv, ligne 2, colonne « score » : nombre invalide « x »"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace expectmatch
