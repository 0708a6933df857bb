// Internal: the flow network behind AssignBatch and its two engines (see assignment.h).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace expectmatch::matcher::internal {

// A min-cost flow problem with node supplies (Σ supply = 0; positive: source) and arc bounds.
struct FlowNetwork {
  struct Arc {
    int from = 0, to = 0;
    int64_t lower = 0, upper = 0, cost = 0;
  };
  int nodes = 0;
  std::vector<int64_t> supply;
  std::vector<Arc> arcs;
};

struct FlowSolution {
  std::vector<int64_t> flow;       // per arc
  std::vector<int64_t> potential;  // per node, reduced cost c(uv) + π(u) − π(v); empty if unknown
};

// nullopt: no flow meets the supplies and bounds.
std::optional<FlowSolution> SolveNetworkSimplex(const FlowNetwork& network);
std::optional<FlowSolution> SolveSuccessiveShortestPath(const FlowNetwork& network);

}  // namespace expectmatch::matcher::internal

#include <string>

namespace expectmatch::matcher {
struct AssignmentProblem;
}

namespace expectmatch::matcher::internal {

struct Diagnosis {
  std::vector<std::string> sentences;
  bool malformed = false;       // cannot even be modelled (indices, scores, sizes, negative bounds)
  bool forced_invalid = false;  // some forced pair is not eligible or over a capacity or demand
  bool infeasible = false;      // a reason for infeasibility was found (malformed included)
};

Diagnosis DiagnoseProblem(const AssignmentProblem& problem);

// « id » with French quotes; a list of at most 5 of them, then "…".
std::string Quoted(const std::string& id);
std::string QuotedList(const std::vector<std::string>& ids);

}  // namespace expectmatch::matcher::internal
