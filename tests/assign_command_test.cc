// `expectmatch assign` on the MIDL instance and on infeasible input (its CSV readers:
// assignment_csv_test.cc; the solver: assignment_test.cc).
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

TEST(AssignCommand, MidlPrintsTheOptimum) {
  auto dir = testing::TestData("midl");
  std::string files = "--scores " + (dir / "scores.csv").string() + " --demand " +
                      (dir / "demand.csv").string() + " --capacity " +
                      (dir / "capacity.csv").string();
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
  EXPECT_NE(run.output.find("Équité locale (plancher demandé 0.9400) : plancher atteint 0.9448, "
                            "score total cédé 0.1161"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("Score total : 201.7687"), std::string::npos);
  run = testing::Expectmatch("assign " + files + " --fairness-floor nan");
  EXPECT_EQ(run.exit_code, 2) << run.output;
}

TEST(AssignCommand, InfeasibleInputExplainsAndExitsThree) {
  testing::ScratchDir dir;
  testing::WriteFile(dir.path() / "s.csv",
                     "need,authority,score\np1,r1,0.5\np2,r1,0.4\np3,r2,0.1\n");
  testing::WriteFile(dir.path() / "c.csv", "authority,min,max\nr1,0,1\nr2,0,1\n");
  testing::WriteFile(dir.path() / "d.csv", "need,demand\np1,1\np2,1\np3,1\np4,1\n");
  testing::CliRun run = testing::Expectmatch("assign --scores " + (dir.path() / "s.csv").string() +
                                             " --demand " + (dir.path() / "d.csv").string() +
                                             " --capacity " + (dir.path() / "c.csv").string());
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("La demande totale (4 affectations) dépasse la capacité maximale "
                            "totale des collectivités (2)."),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("Le besoin « p4 » n'a aucune collectivité éligible."),
            std::string::npos);
  EXPECT_NE(run.output.find("p2 : manque 1 ; ses autres collectivités éligibles ont toutes atteint "
                            "leur charge maximale ; "
                            "alternatives : r1 (0.4000)"),
            std::string::npos)
      << run.output;

  testing::WriteFile(dir.path() / "bad.csv", "need,authority,score\np1,r1,x\n");
  run = testing::Expectmatch("assign --scores " + (dir.path() / "bad.csv").string() +
                             " --capacity " + (dir.path() / "c.csv").string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("bad.csv, ligne 2, colonne « score » : nombre invalide « x »"),
            std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace expectmatch
