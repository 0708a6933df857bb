// Batch assignment: the needs of a period to authorities, maximising the total score under
// demands, loads, eligibility and forced pairs. Plain structs; no JSON, HTTP or SQL.
//
// THE PROBLEM. Needs i with a demand d_i (authorities wanted, default 1), authorities j with a
// load between min_j and max_j, eligible pairs (i, j) with a score s_ij (an absent pair is never
// assigned: conflicts and hard filters are expressed by leaving the pair out), pairs forced by
// DAECT. Maximise Σ s_ij x_ij subject to Σ_j x_ij = d_i, min_j ≤ Σ_i x_ij ≤ max_j,
// x_ij ∈ {0, 1}, x_ij = 1 for forced pairs.
//
// THE METHOD: a min-cost flow. Network: need i (supply d_i) → authority j (arc lower bound 1 if
// forced else 0, capacity 1, cost −round(s_ij · 10^6)) → sink T (supply −Σ d_i; arc lower bound
// min_j, capacity max_j, cost 0). Node supplies make every need receive exactly its demand; the
// flow is integral (totally unimodular), so an optimal flow is an optimal assignment.
//
// LOWER BOUNDS ARE EXACT, through the standard lower-bound transformation (circulation with
// demands): an arc u→v with bounds [l, u] carries l mandatorily, becomes an arc of capacity u − l,
// and the supplies change by b(u) −= l, b(v) += l; the remaining problem (all lower bounds 0) is a
// feasibility + min-cost problem on a super source / super sink. The main engine, LEMON's
// NetworkSimplex, takes lower bounds and supplies natively and does this transformation inside
// (lowerMap / supplyMap); the cross-check engine (Boost.Graph's successive shortest paths,
// tests and benchmarks only) does it explicitly in assignment_boost.cc, also reversing the
// negative-cost arcs (saturate them, offer the reverse at the opposite cost) so that every
// residual cost is nonnegative, then routes the super source's supply to the super sink: feasible
// iff all of it arrives.
//
// PRECISION: costs are integers, scores scaled by 10^6 and rounded (kScoreScale). The plan is
// optimal for the rounded scores, hence within (Σ d_i) · 10^-6 of the exact optimum; totals are
// reported from the unrounded scores. Scores must be finite with |s| ≤ 10^6.
//
// DETERMINISM: needs and authorities are processed in the order of their ids (byte order) and
// edges by (need id, authority id), whatever the input order, and both engines are
// deterministic; so the same problem, rows in any order, gives the same plan, including which of
// several equal-score optima is returned.
//
// TOP-K: with top_k > 0 each need keeps only its best K eligible pairs (ties: lower authority
// id; forced pairs always kept). The plan is then checked against the full problem through the
// solver's dual values (node potentials): if no dropped pair has a negative reduced cost, the plan
// is optimal for the full problem too and cut_may_matter is false; otherwise cut_may_matter is
// true. When the cut problem is infeasible while pairs were dropped, it is solved again with every
// pair (cut_may_matter true, edges_cut 0). The Boost engine, having
// no potentials here, sets cut_may_matter whenever a pair was dropped.
//
// INFEASIBILITY: never a throw. Before solving, the reasons that can be seen locally are listed
// as French sentences naming the needs and authorities (Diagnose). When the problem is infeasible
// the result has feasible = false, the diagnostics, and the plan of a relaxed problem (minimum
// loads dropped, forced pairs dropped if any forced pair is invalid, needs allowed to stay
// unfilled): it places as much demand as possible, then maximises the score. Each need left
// short is listed with its reason. Every need gets its best alternates (authorities eligible for
// it and not assigned to it, by score), so DAECT can see who would come next.
//
// LOCAL FAIRNESS (AssignOptions::fairness_floor, after Kobren et al.'s FairFlow): a floor F on
// each need's total score. Maximising the total under Σ_j s_ij x_ij ≥ F for every need is
// NP-hard once demands exceed 1, so the floor is pursued in two exact-where-possible steps on
// top of the optimal plan (which is returned unchanged when it already meets the floor):
//   1. Pruning. Each need's target is min(F, the best total it could get alone: the sum of its
//      d_i best scores). A pair (i, j) that cannot be part of any set reaching the target
//      (s_ij + the d_i − 1 best other scores of i < target) is removed, forced pairs excepted;
//      with demand 1 this alone makes the floor exact (the solve then maximises the total over
//      the pairs that meet it). If pruning makes the problem infeasible it is undone.
//   2. Lagrangian relaxation of the floors: the objective becomes Σ (1 + λ_i) s_ij x_ij and the
//      multipliers follow a subgradient step, λ_i ← max(0, λ_i + η_t (target_i − total_i) / F),
//      η_t = 2/√t, for at most fairness_rounds solves, so that needs under their target weigh
//      more and needs with slack give back what they do not need.
// The plan kept is the one with the fewest needs under their target, then the highest total
// (or, while some need is under, the highest lowest total). The report gives the floor reached
// (the lowest need total), the total score given up against the optimum, the needs that cannot
// reach F at all and those left under their target. Every round solves the same constraints
// (demands, loads, forced pairs), so the plan stays feasible; only the objective moves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expectmatch/matcher/catalogue.h"
#include "expectmatch/matcher/profile.h"

namespace expectmatch::matcher {

inline constexpr double kScoreScale = 1e6;
inline constexpr double kMaxAbsScore = 1e6;

struct AssignmentProblem {
  std::vector<std::string> needs;        // ids, unique
  std::vector<std::string> authorities;  // ids, unique
  std::vector<int> demand;               // per need; empty: 1 each
  std::vector<int> min_load, max_load;   // per authority; min empty: 0 each; max empty: unbounded
  struct Edge {
    uint32_t need = 0, authority = 0;
    double score = 0;
  };
  std::vector<Edge> edges;  // eligible pairs only (a duplicate keeps its best score)
  std::vector<std::pair<uint32_t, uint32_t>>
      forced;        // (need, authority) pairs that must be assigned
  size_t top_k = 0;  // keep each need's best K pairs (0: all)
};

enum class AssignmentEngine {
  kNetworkSimplex,          // LEMON's NetworkSimplex: the production engine
  kSuccessiveShortestPath,  // Boost.Graph's successive_shortest_path_nonnegative_weights: cross-check only
};

struct AssignOptions {
  AssignmentEngine engine = AssignmentEngine::kNetworkSimplex;
  size_t alternates = 3;  // alternates listed per unplaced need
  // Called at each stage ("préparation", "résolution", "résultat") with done/total.
  std::function<void(std::string_view stage, size_t done, size_t total)> progress;
  // Local fairness: a floor on each need's total score (see "LOCAL FAIRNESS"); ignored when the
  // problem is infeasible. At most `fairness_rounds` extra solves.
  std::optional<double> fairness_floor;
  int fairness_rounds = 60;
};

struct FairnessReport {
  double requested_floor = 0;
  double floor_reached = 0;           // lowest need total of the returned plan
  double base_total = 0;              // total of the optimal plan without the floor
  double base_lowest = 0;             // its lowest need total
  double score_given_up = 0;          // base_total − the returned plan's total (≥ 0)
  int rounds = 0;                     // solves made for the floor
  bool pruned = false;                // pairs that cannot reach the floor were removed (step 1)
  bool met = false;                   // every need reaches min(floor, its best total alone)
  std::vector<uint32_t> unreachable;  // needs whose best total alone is under the floor (id order)
  std::vector<uint32_t> below;        // needs still under their target in the plan (id order)
};

struct AssignedAuthority {
  uint32_t authority = 0;
  double score = 0;
  bool forced = false;
};

struct NeedPlan {
  std::vector<AssignedAuthority> assigned;  // best score first (ties: authority id)
  double total = 0;                         // Σ of the assigned scores
  int missing = 0;                          // demand not met (0 in a feasible plan)
  std::string reason;                       // French, why it is short; empty when missing == 0
  std::vector<AssignedAuthority>
      alternates;  // when missing > 0: best eligible authorities not assigned to it
};

struct AssignmentResult {
  bool feasible = false;                 // every constraint met by the plan
  bool relaxed = false;                  // the plan comes from the relaxed problem (see above)
  std::vector<std::string> diagnostics;  // French sentences; empty when feasible and nothing to say
  std::vector<NeedPlan> needs;           // per need, in the problem's order
  std::vector<int> load;                 // per authority, in the problem's order
  double total_score = 0;
  double lowest_need_total = 0;    // min over needs of NeedPlan::total (0 without needs)
  std::vector<uint32_t> unplaced;  // needs with missing > 0, in id order
  bool cut_may_matter = false;
  size_t edges_kept = 0, edges_cut = 0;    // after top-K
  double solve_ms = 0;                     // time spent in the flow engine
  std::optional<FairnessReport> fairness;  // when a floor was asked and the problem is feasible
};

// The reasons for infeasibility that can be seen before solving, as French sentences: demand
// above total capacity, needs without (enough) eligible authorities, minimum loads that cannot be
// met, invalid forced pairs, malformed input (indices out of range, bad scores, negative bounds).
// Empty does not guarantee feasibility (constraints can clash only in combination).
std::vector<std::string> Diagnose(const AssignmentProblem& problem);

// Solves the problem; never throws on bad input (diagnostics instead).
AssignmentResult AssignBatch(const AssignmentProblem& problem, const AssignOptions& options = {});

// The stored needs of a period as a batch: each need's eligible authorities (those RankNeed's
// hard filters let through: labelled on its themes over its period, no conflict, a common
// language, capacity left) with their scores under `profile`; demand 1 per need (one authority
// answers a need); each authority's load between 0 and the missions it can still accept in
// `year` (its yearly capacity less its missions and commitments that year).
AssignmentProblem ProblemFromCatalogue(const Catalogue& catalogue,
                                       const std::vector<const Need*>& needs,
                                       const Profile& profile, int year);

// A need a batch may assign: submitted or shortlisted.
bool IsOpenForAssignment(const Need& need);
// The open needs whose period meets [from, to] (either bound may be absent), in catalogue order.
std::vector<const Need*> OpenNeedsOfPeriod(const Catalogue& catalogue, std::optional<Date> from,
                                           std::optional<Date> to);
// The year whose capacities bound a batch: that of `from` when given, else the earliest year in
// which one of `needs` starts. REQUIRES: `from` or a need.
int CapacityYear(const std::vector<const Need*>& needs, std::optional<Date> from);

}  // namespace expectmatch::matcher
