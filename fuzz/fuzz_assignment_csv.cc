// The batch assignment's CSV inputs (`expectmatch assign --scores --demand --capacity`): the
// input is read as each of the three files, then the three together build a problem.
#include "expectmatch/datasets/assignment_csv.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace expectmatch;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  datasets::ScoresCsv scores = datasets::DecodeScoresCsv(bytes, "scores.csv");
  datasets::DemandsCsv demands = datasets::DecodeDemandsCsv(bytes, "demand.csv");
  datasets::CapacitiesCsv capacities = datasets::DecodeCapacitiesCsv(bytes, "capacity.csv");
  fuzz::Check(scores.rows.size() == scores.line.size(), "scores: rows and lines disagree");
  for (const std::string& message : scores.Messages())
    fuzz::Check(!message.empty(), "an empty message");
  for (const std::string& message : demands.Messages())
    fuzz::Check(!message.empty(), "an empty message");
  for (const std::string& message : capacities.Messages())
    fuzz::Check(!message.empty(), "an empty message");
  if (scores.ok() && demands.ok() && capacities.ok()) {
    std::vector<std::string> errors;
    matcher::AssignmentProblem problem =
        datasets::BuildAssignmentProblem(scores, demands, capacities, true, &errors);
    (void)problem;
  }
  return 0;
}
