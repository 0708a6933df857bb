// AssignBatch: canonical order, top-K cut, the flow network, its solution read back as a plan.
#include "expectmatch/matcher/assignment.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <set>

#include "assignment_network.h"

namespace expectmatch::matcher {
namespace {

using internal::FlowNetwork;
using internal::FlowSolution;

struct CanonicalEdge {
  uint32_t need = 0, authority = 0;  // problem indices
  double score = 0;
  int64_t cost = 0;  // −round(score · kScoreScale)
  bool forced = false;
  bool kept = true;
};

// The problem in canonical order (see "DETERMINISM" in the header).
struct Canonical {
  std::vector<uint32_t> need_order, authority_order;  // canonical position → problem index
  std::vector<uint32_t> need_rank, authority_rank;    // problem index → canonical position
  std::vector<CanonicalEdge> edges;                 // sorted by (need rank, authority rank), unique
  std::vector<int64_t> demand, min_load, max_load;  // per problem index
  int64_t total_demand = 0;
};

Canonical MakeCanonical(const AssignmentProblem& p) {
  Canonical c;
  const size_t n = p.needs.size(), m = p.authorities.size();
  c.need_order.resize(n);
  c.authority_order.resize(m);
  std::iota(c.need_order.begin(), c.need_order.end(), 0u);
  std::iota(c.authority_order.begin(), c.authority_order.end(), 0u);
  std::sort(c.need_order.begin(), c.need_order.end(),
            [&](uint32_t a, uint32_t b) { return p.needs[a] < p.needs[b]; });
  std::sort(c.authority_order.begin(), c.authority_order.end(),
            [&](uint32_t a, uint32_t b) { return p.authorities[a] < p.authorities[b]; });
  c.need_rank.resize(n);
  c.authority_rank.resize(m);
  for (uint32_t r = 0; r < n; ++r) c.need_rank[c.need_order[r]] = r;
  for (uint32_t r = 0; r < m; ++r) c.authority_rank[c.authority_order[r]] = r;
  c.demand.resize(n);
  for (size_t i = 0; i < n; ++i) {
    c.demand[i] = p.demand.empty() ? 1 : p.demand[i];
    c.total_demand += c.demand[i];
  }
  c.min_load.resize(m);
  c.max_load.resize(m);
  for (size_t j = 0; j < m; ++j) {
    c.min_load[j] = p.min_load.empty() ? 0 : p.min_load[j];
    c.max_load[j] =
        p.max_load.empty() ? c.total_demand : std::min<int64_t>(p.max_load[j], c.total_demand);
  }
  c.edges.reserve(p.edges.size());
  for (const AssignmentProblem::Edge& e : p.edges)
    c.edges.push_back({e.need, e.authority, e.score, 0, false, true});
  auto key = [&](const CanonicalEdge& e) {
    return std::pair(c.need_rank[e.need], c.authority_rank[e.authority]);
  };
  // Duplicates: the best score first, then unique keeps it.
  std::sort(c.edges.begin(), c.edges.end(), [&](const CanonicalEdge& a, const CanonicalEdge& b) {
    return key(a) != key(b) ? key(a) < key(b) : a.score > b.score;
  });
  c.edges.erase(
      std::unique(c.edges.begin(), c.edges.end(),
                  [&](const CanonicalEdge& a, const CanonicalEdge& b) { return key(a) == key(b); }),
      c.edges.end());
  for (CanonicalEdge& e : c.edges) e.cost = -std::llround(e.score * kScoreScale);
  return c;
}

// Index of the edge (need, authority) in c.edges, or -1.
int64_t FindEdge(const Canonical& c, uint32_t need, uint32_t authority) {
  auto target = std::pair(c.need_rank[need], c.authority_rank[authority]);
  auto it = std::lower_bound(
      c.edges.begin(), c.edges.end(), target, [&](const CanonicalEdge& e, const auto& t) {
        return std::pair(c.need_rank[e.need], c.authority_rank[e.authority]) < t;
      });
  if (it == c.edges.end() || it->need != need || it->authority != authority) return -1;
  return it - c.edges.begin();
}

// Keeps each need's best K edges (ties: lower authority id) and every forced edge.
void ApplyTopK(Canonical& c, size_t k) {
  for (CanonicalEdge& e : c.edges) e.kept = true;
  if (k == 0) return;
  size_t begin = 0;
  while (begin < c.edges.size()) {
    size_t end = begin;
    while (end < c.edges.size() && c.edges[end].need == c.edges[begin].need) ++end;
    if (end - begin > k) {
      std::vector<size_t> order(end - begin);
      std::iota(order.begin(), order.end(), begin);
      // Edges are already in authority-id order, so a stable sort by score breaks ties by id.
      std::stable_sort(order.begin(), order.end(),
                       [&](size_t a, size_t b) { return c.edges[a].score > c.edges[b].score; });
      for (size_t r = k; r < order.size(); ++r) c.edges[order[r]].kept = c.edges[order[r]].forced;
    }
    begin = end;
  }
}

struct Network {
  FlowNetwork flow;
  std::vector<size_t> edge_arc;      // per canonical edge: its arc, or SIZE_MAX when cut
  std::vector<size_t> unplaced_arc;  // per need canonical rank (relaxed only): need → T
};

// Nodes: needs by canonical rank, then authorities by rank, then the sink T.
Network BuildNetwork(const Canonical& c, bool relaxed, bool keep_forced, int64_t penalty) {
  Network net;
  const size_t n = c.need_order.size(), m = c.authority_order.size();
  const int sink = static_cast<int>(n + m);
  net.flow.nodes = sink + 1;
  net.flow.supply.assign(static_cast<size_t>(net.flow.nodes), 0);
  for (size_t r = 0; r < n; ++r) net.flow.supply[r] = c.demand[c.need_order[r]];
  net.flow.supply[static_cast<size_t>(sink)] = -c.total_demand;
  net.edge_arc.assign(c.edges.size(), SIZE_MAX);
  for (size_t e = 0; e < c.edges.size(); ++e) {
    const CanonicalEdge& edge = c.edges[e];
    if (!edge.kept) continue;
    net.edge_arc[e] = net.flow.arcs.size();
    net.flow.arcs.push_back({static_cast<int>(c.need_rank[edge.need]),
                             static_cast<int>(n + c.authority_rank[edge.authority]),
                             edge.forced && keep_forced ? 1 : 0, 1, edge.cost});
  }
  for (size_t r = 0; r < m; ++r) {
    const uint32_t j = c.authority_order[r];
    net.flow.arcs.push_back({static_cast<int>(n + r), sink,
                             relaxed ? 0 : std::min(c.min_load[j], c.max_load[j]), c.max_load[j],
                             0});
    if (!relaxed && c.min_load[j] > c.max_load[j])
      net.flow.arcs.back().upper = c.min_load[j];  // infeasible anyway
  }
  if (relaxed) {
    for (size_t r = 0; r < n; ++r) {
      net.unplaced_arc.push_back(net.flow.arcs.size());
      net.flow.arcs.push_back({static_cast<int>(r), sink, 0, c.demand[c.need_order[r]], penalty});
    }
  }
  return net;
}

std::optional<FlowSolution> Solve(const FlowNetwork& network, AssignmentEngine engine, double* ms) {
  auto start = std::chrono::steady_clock::now();
  std::optional<FlowSolution> solution = engine == AssignmentEngine::kNetworkSimplex
                                             ? internal::SolveNetworkSimplex(network)
                                             : internal::SolveSuccessiveShortestPath(network);
  *ms +=
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return solution;
}

bool CutMayMatter(const Canonical& c, const Network& net, const FlowSolution& solution) {
  const size_t n = c.need_order.size();
  for (size_t e = 0; e < c.edges.size(); ++e) {
    if (net.edge_arc[e] != SIZE_MAX) continue;
    if (solution.potential.empty()) return true;
    const CanonicalEdge& edge = c.edges[e];
    const int64_t reduced = edge.cost + solution.potential[c.need_rank[edge.need]] -
                            solution.potential[n + c.authority_rank[edge.authority]];
    if (reduced < 0) return true;
  }
  return false;
}

// Per problem need index: the total score the solution gives it.
std::vector<double> NeedTotals(const Canonical& c, const Network& net,
                               const FlowSolution& solution) {
  std::vector<double> totals(c.need_order.size(), 0.0);
  for (size_t e = 0; e < c.edges.size(); ++e) {
    if (net.edge_arc[e] != SIZE_MAX && solution.flow[net.edge_arc[e]] > 0)
      totals[c.edges[e].need] += c.edges[e].score;
  }
  return totals;
}

// LOCAL FAIRNESS in assignment.h: pruning, then Lagrangian rounds. Replaces *solution by the
// plan kept; the network's costs and bounds are changed (the caller only reads flows after).
FairnessReport RaiseFloor(const Canonical& c, Network& net, FlowSolution* solution, double floor,
                          const AssignOptions& options, double* solve_ms) {
  constexpr double kEps = 1e-9;
  const size_t n = c.need_order.size();
  FairnessReport report;
  report.requested_floor = floor;
  std::vector<double> totals = NeedTotals(c, net, *solution);
  for (double t : totals) report.base_total += t;
  report.base_lowest = n == 0 ? 0 : *std::min_element(totals.begin(), totals.end());

  // Each need's kept scores, best first, and its target min(F, best d_i of them).
  std::vector<std::vector<double>> scores(n);
  for (size_t e = 0; e < c.edges.size(); ++e) {
    if (net.edge_arc[e] != SIZE_MAX) scores[c.edges[e].need].push_back(c.edges[e].score);
  }
  std::vector<double> target(n), top_sum(n, 0.0), top_but_one(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    std::sort(scores[i].begin(), scores[i].end(), std::greater<>());
    const size_t d = static_cast<size_t>(std::max<int64_t>(c.demand[i], 0));
    for (size_t r = 0; r < d && r < scores[i].size(); ++r) top_sum[i] += scores[i][r];
    for (size_t r = 0; r + 1 < d && r < scores[i].size(); ++r) top_but_one[i] += scores[i][r];
    target[i] = std::min(floor, top_sum[i]);
  }
  for (uint32_t i : c.need_order) {
    if (top_sum[i] < floor - kEps) report.unreachable.push_back(i);
  }
  auto count_below = [&](const std::vector<double>& t) {
    size_t below = 0;
    for (size_t i = 0; i < n; ++i) below += t[i] < target[i] - kEps;
    return below;
  };
  auto finish = [&](const std::vector<double>& t) {
    double total = 0;
    for (double x : t) total += x;
    report.floor_reached = n == 0 ? 0 : *std::min_element(t.begin(), t.end());
    report.score_given_up = std::max(0.0, report.base_total - total);
    for (uint32_t i : c.need_order) {
      if (t[i] < target[i] - kEps) report.below.push_back(i);
    }
    report.met = report.below.empty();
    return report;
  };
  if (count_below(totals) == 0) return finish(totals);

  // 1. Pruning: pairs that cannot be in any set reaching the need's target.
  std::vector<int64_t> saved_upper(net.flow.arcs.size());
  for (size_t a = 0; a < net.flow.arcs.size(); ++a) saved_upper[a] = net.flow.arcs[a].upper;
  for (size_t e = 0; e < c.edges.size(); ++e) {
    const CanonicalEdge& edge = c.edges[e];
    if (net.edge_arc[e] == SIZE_MAX || edge.forced) continue;
    const size_t i = edge.need;
    const size_t d = static_cast<size_t>(std::max<int64_t>(c.demand[i], 0));
    // The d − 1 best other scores: the top d minus this one if it is among them, else the top d − 1.
    const bool in_top = d > 0 && d <= scores[i].size() ? edge.score >= scores[i][d - 1] : true;
    const double others = in_top ? top_sum[i] - edge.score : top_but_one[i];
    if (edge.score + others < target[i] - kEps) {
      net.flow.arcs[net.edge_arc[e]].upper = 0;
      report.pruned = true;
    }
  }
  std::optional<FlowSolution> current;
  if (report.pruned) {
    current = Solve(net.flow, options.engine, solve_ms);
    ++report.rounds;
    if (!current) {
      for (size_t a = 0; a < net.flow.arcs.size(); ++a) net.flow.arcs[a].upper = saved_upper[a];
      report.pruned = false;
    }
  }
  if (!current) current = *solution;

  // 2. Lagrangian rounds. Kept: fewest needs under target, then highest total (all met) or
  // highest lowest total, then highest total.
  struct Score {
    size_t below;
    double lowest, total;
  };
  auto measure = [&](const std::vector<double>& t) {
    Score s{count_below(t), n == 0 ? 0 : *std::min_element(t.begin(), t.end()), 0};
    for (double x : t) s.total += x;
    return s;
  };
  auto better = [&](const Score& a, const Score& b) {
    if (a.below != b.below) return a.below < b.below;
    if (a.below > 0 && a.lowest != b.lowest) return a.lowest > b.lowest;
    return a.total > b.total + kEps;
  };
  FlowSolution best = *solution;
  Score best_score = measure(totals);
  std::vector<double> t = NeedTotals(c, net, *current);
  if (better(measure(t), best_score)) {
    best = *current;
    best_score = measure(t);
  }
  const double scale = std::max(floor, kEps);
  std::vector<double> lambda(n, 0.0);
  int last_improvement = 0;
  for (int round = 1; round <= options.fairness_rounds; ++round) {
    if (best_score.below == 0 && round - last_improvement > 20)
      break;  // met, and no gain for 20 rounds
    const double step = 2.0 / std::sqrt(static_cast<double>(round));
    for (size_t i = 0; i < n; ++i)
      lambda[i] = std::clamp(lambda[i] + step * (target[i] - t[i]) / scale, 0.0, 100.0);
    for (size_t e = 0; e < c.edges.size(); ++e) {
      if (net.edge_arc[e] == SIZE_MAX) continue;
      net.flow.arcs[net.edge_arc[e]].cost =
          -std::llround((1 + lambda[c.edges[e].need]) * c.edges[e].score * kScoreScale);
    }
    std::optional<FlowSolution> next = Solve(net.flow, options.engine, solve_ms);
    ++report.rounds;
    if (!next) break;
    t = NeedTotals(c, net, *next);
    Score score = measure(t);
    if (better(score, best_score)) {
      best = std::move(*next);
      best_score = score;
      last_improvement = round;
    }
  }
  *solution = std::move(best);
  return finish(NeedTotals(c, net, *solution));
}

bool ByScoreThenId(const AssignmentProblem& p, const AssignedAuthority& a,
                   const AssignedAuthority& b) {
  return a.score != b.score ? a.score > b.score
                            : p.authorities[a.authority] < p.authorities[b.authority];
}

}  // namespace

AssignmentResult AssignBatch(const AssignmentProblem& p, const AssignOptions& options) {
  auto progress = [&](std::string_view stage, size_t done, size_t total) {
    if (options.progress) options.progress(stage, done, total);
  };
  AssignmentResult result;
  internal::Diagnosis diagnosis = internal::DiagnoseProblem(p);
  result.diagnostics = diagnosis.sentences;
  const size_t n = p.needs.size(), m = p.authorities.size();
  result.needs.resize(n);
  result.load.assign(m, 0);
  if (diagnosis.malformed) {
    result.feasible = false;
    return result;
  }
  progress("préparation", 0, 1);
  Canonical c = MakeCanonical(p);
  for (const auto& [need, authority] : p.forced) {
    int64_t e = FindEdge(c, need, authority);
    if (e >= 0) c.edges[static_cast<size_t>(e)].forced = true;
  }
  ApplyTopK(c, p.top_k);
  for (const CanonicalEdge& e : c.edges) (e.kept ? result.edges_kept : result.edges_cut) += 1;
  progress("préparation", 1, 1);

  progress("résolution", 0, 1);
  std::optional<FlowSolution> solution;
  Network net;
  bool relaxed = false;
  if (!diagnosis.infeasible) {
    net = BuildNetwork(c, false, true, 0);
    solution = Solve(net.flow, options.engine, &result.solve_ms);
    if (solution) {
      result.cut_may_matter = CutMayMatter(c, net, *solution);
    } else if (result.edges_cut > 0) {
      // Infeasible with the cut: the dropped pairs may be needed; solve again with every pair.
      result.cut_may_matter = true;
      ApplyTopK(c, 0);
      result.edges_kept += result.edges_cut;
      result.edges_cut = 0;
      net = BuildNetwork(c, false, true, 0);
      solution = Solve(net.flow, options.engine, &result.solve_ms);
    }
    if (!solution) {
      result.diagnostics.push_back(
          "Aucun plan ne respecte à la fois les demandes, les charges minimales et maximales, les "
          "éligibilités et les "
          "affectations imposées, bien qu'aucune de ces contraintes ne soit impossible à elle "
          "seule.");
    }
  }
  result.feasible = solution.has_value();
  if (!solution) {
    // The relaxed problem: no minimum loads, needs may stay short at a penalty above any score gain.
    relaxed = true;
    int64_t max_cost = 1;
    for (const CanonicalEdge& e : c.edges)
      max_cost = std::max(max_cost, e.cost < 0 ? -e.cost : e.cost);
    const double penalty =
        2.0 * static_cast<double>(c.total_demand + 1) * static_cast<double>(max_cost) + 1;
    if (penalty * static_cast<double>(c.total_demand + 1) < 1e18) {
      net = BuildNetwork(c, true, !diagnosis.forced_invalid, static_cast<int64_t>(penalty));
      solution = Solve(net.flow, options.engine, &result.solve_ms);
      if (result.edges_cut > 0) result.cut_may_matter = true;
    }
    if (!solution) {
      result.diagnostics.push_back("Aucun plan partiel n'a pu être calculé.");
      progress("résolution", 1, 1);
      return result;
    }
  }
  result.relaxed = relaxed;
  if (options.fairness_floor && std::isfinite(*options.fairness_floor) && result.feasible) {
    progress("équité", 0, 1);
    result.fairness =
        RaiseFloor(c, net, &*solution, *options.fairness_floor, options, &result.solve_ms);
    progress("équité", 1, 1);
  }
  progress("résolution", 1, 1);

  // Read the plan back.
  progress("résultat", 0, 1);
  std::vector<std::vector<uint32_t>> assigned_set(n);
  for (size_t e = 0; e < c.edges.size(); ++e) {
    if (net.edge_arc[e] == SIZE_MAX || solution->flow[net.edge_arc[e]] <= 0) continue;
    const CanonicalEdge& edge = c.edges[e];
    result.needs[edge.need].assigned.push_back({edge.authority, edge.score, edge.forced});
    result.needs[edge.need].total += edge.score;
    assigned_set[edge.need].push_back(edge.authority);
    ++result.load[edge.authority];
    result.total_score += edge.score;
  }
  for (size_t i = 0; i < n; ++i) {
    NeedPlan& plan = result.needs[i];
    std::sort(plan.assigned.begin(), plan.assigned.end(),
              [&](const AssignedAuthority& a, const AssignedAuthority& b) {
                return ByScoreThenId(p, a, b);
              });
    plan.missing = static_cast<int>(c.demand[i] - static_cast<int64_t>(plan.assigned.size()));
  }
  result.lowest_need_total = n == 0 ? 0 : std::numeric_limits<double>::infinity();
  for (const NeedPlan& plan : result.needs)
    result.lowest_need_total = std::min(result.lowest_need_total, plan.total);

  // Every need's alternates (eligible authorities not assigned to it, best first); the needs
  // left short also get their reason, and are listed in id order.
  for (uint32_t i : c.need_order) {
    NeedPlan& plan = result.needs[i];
    auto first = std::lower_bound(
        c.edges.begin(), c.edges.end(), c.need_rank[i],
        [&](const CanonicalEdge& e, uint32_t rank) { return c.need_rank[e.need] < rank; });
    size_t eligible = 0, with_capacity = 0, spare_cut = 0, spare = 0;
    for (auto it = first; it != c.edges.end() && it->need == i; ++it) {
      ++eligible;
      with_capacity += c.max_load[it->authority] > 0;
      bool assigned = std::find(assigned_set[i].begin(), assigned_set[i].end(), it->authority) !=
                      assigned_set[i].end();
      if (assigned) continue;
      plan.alternates.push_back({it->authority, it->score, false});
      if (result.load[it->authority] < c.max_load[it->authority])
        (it->kept ? spare : spare_cut) += 1;
    }
    std::sort(plan.alternates.begin(), plan.alternates.end(),
              [&](const AssignedAuthority& a, const AssignedAuthority& b) {
                return ByScoreThenId(p, a, b);
              });
    if (plan.alternates.size() > options.alternates) plan.alternates.resize(options.alternates);
    if (plan.missing <= 0) continue;
    result.unplaced.push_back(i);
    const int64_t demand = c.demand[i];
    if (eligible == 0) {
      plan.reason = "aucune collectivité éligible";
    } else if (static_cast<int64_t>(with_capacity) < demand) {
      plan.reason = "seulement " + std::to_string(with_capacity) + " collectivité" +
                    (with_capacity == 1 ? "" : "s") + " éligible" +
                    (with_capacity == 1 ? "" : "s") + " avec de la capacité pour une demande de " +
                    std::to_string(demand);
    } else if (spare == 0 && spare_cut == 0) {
      plan.reason = "ses autres collectivités éligibles ont toutes atteint leur charge maximale";
    } else if (spare == 0) {
      plan.reason =
          "ses collectivités éligibles encore disponibles ont été écartées par la limite top-K";
    } else {
      plan.reason = "la demande n'a pas pu être complétée sans enfreindre une autre contrainte";
    }
  }
  progress("résultat", 1, 1);
  return result;
}

}  // namespace expectmatch::matcher
