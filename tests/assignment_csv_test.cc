// The batch assignment's CSV readers (datasets/assignment_csv.h): their errors name the file,
// row and column, in French; headerless OpenReview files and the defaults.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "expectmatch/datasets/assignment_csv.h"
#include "expectmatch/matcher/assignment.h"

namespace expectmatch {
namespace {

using matcher::AssignmentProblem;

TEST(AssignmentCsv, ErrorsNameFileRowAndColumn) {
  datasets::ScoresCsv scores =
      datasets::DecodeScoresCsv("need,authority,score\np1,r1,0.5\np1,r2,abc\np1,r1,0.2\n", "s.csv");
  EXPECT_EQ(scores.Messages(),
            (std::vector<std::string>{"s.csv, ligne 3, colonne « score » : nombre invalide « abc »",
                                      "s.csv, ligne 4 : couple « p1 » → « r1 » en double"}));
  datasets::CapacitiesCsv caps =
      datasets::DecodeCapacitiesCsv("authority;min;max\nr1;3;2\nr2;x;2\n", "c.csv");
  EXPECT_EQ(caps.Messages(),
            (std::vector<std::string>{
                "c.csv, ligne 2, colonne « min » : minimum 3 supérieur au maximum 2",
                "c.csv, ligne 3, colonne « min » : entier positif ou nul attendu, lu « x »"}));
  datasets::DemandsCsv demands = datasets::DecodeDemandsCsv("need,other\np1,2\n", "d.csv");
  EXPECT_EQ(demands.Messages(),
            std::vector<std::string>{"d.csv, ligne 1 : colonne « demand » absente"});
}

TEST(AssignmentCsv, HeaderlessOpenReviewFilesAndDefaults) {
  datasets::ScoresCsv scores = datasets::DecodeScoresCsv("p1,r1,0.5\np2,r1,\"0,25\"\n", "s.csv");
  ASSERT_TRUE(scores.ok()) << scores.Messages()[0];
  ASSERT_EQ(scores.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(scores.rows[1].score, 0.25);
  datasets::CapacitiesCsv caps =
      datasets::DecodeCapacitiesCsv("Collectivité,Min,Max\nr1,1,2\n", "c.csv");
  ASSERT_TRUE(caps.ok());
  std::vector<std::string> errors;
  AssignmentProblem p = datasets::BuildAssignmentProblem(scores, {}, caps, true, &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(p.needs, (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(p.demand, (std::vector<int>{1, 1}));
  EXPECT_EQ(p.min_load, std::vector<int>{1});
  datasets::ScoresCsv unknown =
      datasets::DecodeScoresCsv("need,authority,score\np1,r9,1\n", "s.csv");
  p = datasets::BuildAssignmentProblem(unknown, {}, caps, false, &errors);
  EXPECT_EQ(errors,
            std::vector<std::string>{"s.csv, ligne 2 : collectivité « r9 » absente de c.csv"});
}

}  // namespace
}  // namespace expectmatch
