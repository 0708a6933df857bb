// The batch assignment: exact small cases, lower bounds, forced pairs, diagnostics,
// brute force on random instances, LEMON vs Boost, local fairness and the MIDL golden instance
// (the CSV readers and the command line: assign_command_test.cc).
#include "expectmatch/matcher/assignment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "expectmatch/datasets/assignment_csv.h"
#include "testutil.h"

namespace expectmatch {
namespace {

using matcher::AssignBatch;
using matcher::AssignmentEngine;
using matcher::AssignmentProblem;
using matcher::AssignmentResult;
using matcher::AssignOptions;

AssignmentProblem Make(size_t needs, size_t authorities) {
  AssignmentProblem p;
  // (std::string("n").append(...): GCC 12's -Wrestrict misfires on "n" + std::string.)
  for (size_t i = 0; i < needs; ++i) p.needs.push_back(std::string("n").append(std::to_string(i)));
  for (size_t j = 0; j < authorities; ++j)
    p.authorities.push_back(std::string("a").append(std::to_string(j)));
  p.demand.assign(needs, 1);
  p.min_load.assign(authorities, 0);
  p.max_load.assign(authorities, 1);
  return p;
}

std::vector<std::string> AssignedIds(const AssignmentProblem& p, const AssignmentResult& r,
                                     size_t need) {
  std::vector<std::string> ids;
  for (const auto& a : r.needs[need].assigned) ids.push_back(p.authorities[a.authority]);
  return ids;
}

// Every constraint of the problem holds in the plan, and the totals add up.
void ExpectValidPlan(const AssignmentProblem& p, const AssignmentResult& r) {
  ASSERT_TRUE(r.feasible);
  std::map<std::pair<uint32_t, uint32_t>, double> eligible;
  for (const auto& e : p.edges) eligible[{e.need, e.authority}] = e.score;
  std::vector<int> load(p.authorities.size());
  double total = 0;
  for (size_t i = 0; i < p.needs.size(); ++i) {
    ASSERT_EQ(static_cast<int>(r.needs[i].assigned.size()), p.demand.empty() ? 1 : p.demand[i])
        << p.needs[i];
    std::set<uint32_t> seen;
    for (const auto& a : r.needs[i].assigned) {
      ASSERT_TRUE(eligible.count({static_cast<uint32_t>(i), a.authority}));
      ASSERT_TRUE(seen.insert(a.authority).second);
      ++load[a.authority];
      total += a.score;
    }
  }
  for (size_t j = 0; j < p.authorities.size(); ++j) {
    EXPECT_EQ(load[j], r.load[j]);
    EXPECT_GE(load[j], p.min_load.empty() ? 0 : p.min_load[j]);
    EXPECT_LE(load[j], p.max_load[j]);
  }
  for (const auto& [i, j] : p.forced) {
    bool found = false;
    for (const auto& a : r.needs[i].assigned) found |= a.authority == j;
    EXPECT_TRUE(found) << "forced pair not assigned";
  }
  EXPECT_NEAR(total, r.total_score, 1e-9);
}

TEST(Assignment, TinyExactTotal) {
  // n0 prefers a0 (0.9) but n1 loses more without it (0.8 vs 0.1): optimum n0→a1, n1→a0 = 1.5.
  AssignmentProblem p = Make(2, 2);
  p.edges = {{0, 0, 0.9}, {0, 1, 0.7}, {1, 0, 0.8}, {1, 1, 0.1}};
  AssignmentResult r = AssignBatch(p);
  ExpectValidPlan(p, r);
  EXPECT_NEAR(r.total_score, 1.5, 1e-12);
  EXPECT_NEAR(r.lowest_need_total, 0.7, 1e-12);
  EXPECT_EQ(AssignedIds(p, r, 0), std::vector<std::string>{"a1"});
  EXPECT_EQ(AssignedIds(p, r, 1), std::vector<std::string>{"a0"});
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_FALSE(r.cut_may_matter);
  // Every need, placed or not, lists who would come next.
  ASSERT_EQ(r.needs[0].alternates.size(), 1u);
  EXPECT_EQ(p.authorities[r.needs[0].alternates[0].authority], "a0");
  EXPECT_NEAR(r.needs[0].alternates[0].score, 0.9, 1e-12);
  ASSERT_EQ(r.needs[1].alternates.size(), 1u);
  EXPECT_EQ(p.authorities[r.needs[1].alternates[0].authority], "a1");
  EXPECT_TRUE(r.needs[0].reason.empty());
}

TEST(Assignment, DemandTwoAndCapacities) {
  AssignmentProblem p = Make(2, 3);
  p.demand = {2, 1};
  p.max_load = {2, 1, 1};
  p.edges = {{0, 0, 0.5}, {0, 1, 0.4}, {0, 2, 0.3}, {1, 0, 0.2}, {1, 1, 0.9}};
  AssignmentResult r = AssignBatch(p);
  ExpectValidPlan(p, r);
  // n0 {a0, a2} + n1 {a1} = 0.5 + 0.3 + 0.9 = 1.7 beats n0 {a0, a1} + n1 {a0} = 1.1.
  EXPECT_NEAR(r.total_score, 1.7, 1e-12);
  EXPECT_EQ(AssignedIds(p, r, 0), (std::vector<std::string>{"a0", "a2"}));
  EXPECT_EQ(r.load, (std::vector<int>{1, 1, 1}));
}

TEST(Assignment, MinimumLoadForcesALowerTotal) {
  // Without a minimum both needs go to a0/a1; a2 with min 1 must get one, at a lower total.
  AssignmentProblem p = Make(2, 3);
  p.max_load = {1, 1, 1};
  p.edges = {{0, 0, 0.9}, {1, 1, 0.9}, {0, 2, 0.2}, {1, 2, 0.3}};
  EXPECT_NEAR(AssignBatch(p).total_score, 1.8, 1e-12);
  p.min_load = {0, 0, 1};
  AssignmentResult r = AssignBatch(p);
  ExpectValidPlan(p, r);
  EXPECT_NEAR(r.total_score, 1.2, 1e-12);
  EXPECT_EQ(r.load[2], 1);
  EXPECT_EQ(AssignedIds(p, r, 1), std::vector<std::string>{"a2"});
}

TEST(Assignment, ForcedPairIsAssigned) {
  AssignmentProblem p = Make(2, 2);
  p.edges = {{0, 0, 0.9}, {0, 1, 0.1}, {1, 0, 0.1}, {1, 1, 0.9}};
  p.forced = {{0, 1}};
  AssignmentResult r = AssignBatch(p);
  ExpectValidPlan(p, r);
  EXPECT_NEAR(r.total_score, 0.2, 1e-12);
  ASSERT_EQ(r.needs[0].assigned.size(), 1u);
  EXPECT_TRUE(r.needs[0].assigned[0].forced);
}

TEST(Assignment, DeterministicWhateverTheInputOrder) {
  // Four equal scores: two optima; the answer must not depend on the row order.
  AssignmentProblem p = Make(2, 2);
  p.edges = {{0, 0, 0.5}, {0, 1, 0.5}, {1, 0, 0.5}, {1, 1, 0.5}};
  AssignmentResult first = AssignBatch(p);
  AssignmentProblem q = p;
  std::reverse(q.edges.begin(), q.edges.end());
  // Same ids, listed in another order.
  AssignmentProblem s;
  s.needs = {"n1", "n0"};
  s.authorities = {"a1", "a0"};
  s.demand = {1, 1};
  s.min_load = {0, 0};
  s.max_load = {1, 1};
  s.edges = {{1, 1, 0.5}, {0, 0, 0.5}, {1, 0, 0.5}, {0, 1, 0.5}};
  AssignmentResult second = AssignBatch(q), third = AssignBatch(s);
  EXPECT_EQ(AssignedIds(p, first, 0), AssignedIds(q, second, 0));
  EXPECT_EQ(AssignedIds(p, first, 0), AssignedIds(s, third, 1));  // s's need 1 is n0
}

TEST(Assignment, DiagnosticsTotalDemandAboveCapacity) {
  AssignmentProblem p = Make(3, 2);
  p.edges = {{0, 0, 1}, {1, 0, 1}, {2, 1, 1}, {0, 1, 1}};
  AssignmentResult r = AssignBatch(p);
  EXPECT_FALSE(r.feasible);
  EXPECT_TRUE(r.relaxed);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0],
            "La demande totale (3 affectations) dépasse la capacité maximale totale des "
            "collectivités (2).");
  // The relaxed plan places 2 of the 3 needs; the third is listed with its reason and alternates.
  EXPECT_NEAR(r.total_score, 2.0, 1e-12);
  ASSERT_EQ(r.unplaced.size(), 1u);
  const matcher::NeedPlan& short_need = r.needs[r.unplaced[0]];
  EXPECT_EQ(short_need.missing, 1);
  EXPECT_EQ(short_need.reason,
            "ses autres collectivités éligibles ont toutes atteint leur charge maximale");
  EXPECT_FALSE(short_need.alternates.empty());
}

TEST(Assignment, DiagnosticsNeedsWithoutEnoughEligible) {
  AssignmentProblem p = Make(3, 3);
  p.demand = {1, 2, 1};
  p.max_load = {3, 3, 0};
  p.edges = {{1, 0, 0.5}, {2, 2, 0.5}};
  AssignmentResult r = AssignBatch(p);
  EXPECT_FALSE(r.feasible);
  EXPECT_EQ(r.diagnostics,
            (std::vector<std::string>{
                "Le besoin « n0 » n'a aucune collectivité éligible.",
                "Le besoin « n1 » demande 2 collectivités mais n'en a que 1 éligible (« a0 »).",
                "Le besoin « n2 » n'a aucune collectivité éligible disposant de capacité.",
            }));
  EXPECT_EQ(r.needs[0].reason, "aucune collectivité éligible");
  EXPECT_EQ(r.needs[1].missing, 1);
  EXPECT_EQ(r.needs[1].reason,
            "seulement 1 collectivité éligible avec de la capacité pour une demande de 2");
}

TEST(Assignment, DiagnosticsMinimumLoads) {
  AssignmentProblem p = Make(2, 3);
  p.max_load = {2, 2, 2};
  p.min_load = {2, 1, 3};
  p.edges = {{0, 0, 0.5}, {1, 1, 0.5}, {0, 1, 0.1}};
  AssignmentResult r = AssignBatch(p);
  EXPECT_FALSE(r.feasible);
  EXPECT_EQ(
      r.diagnostics,
      (std::vector<std::string>{
          "La collectivité « a0 » doit recevoir au moins 2 besoins mais n'est éligible que pour 1 "
          "(« n0 »).",
          "La collectivité « a2 » a une charge minimale (3) supérieure à sa charge maximale (2).",
          "La somme des charges minimales (6) dépasse la demande totale (2).",
      }));
  // Relaxed: minimum loads dropped, every need placed.
  EXPECT_TRUE(r.unplaced.empty());
  EXPECT_NEAR(r.total_score, 1.0, 1e-12);
}

TEST(Assignment, DiagnosticsForcedPairs) {
  AssignmentProblem p = Make(3, 2);
  p.max_load = {1, 3};
  p.edges = {{0, 0, 0.5}, {1, 0, 0.5}, {2, 1, 0.5}};
  p.forced = {{0, 0}, {1, 0}, {2, 0}};
  AssignmentResult r = AssignBatch(p);
  EXPECT_FALSE(r.feasible);
  EXPECT_EQ(r.diagnostics,
            (std::vector<std::string>{
                "L'affectation imposée « n2 » → « a0 » n'est pas éligible (conflit ou filtre).",
                "La collectivité « a0 » a 3 affectations imposées pour une charge maximale de 1.",
            }));
}

TEST(Assignment, DiagnosticsForcedPairsOverDemand) {
  AssignmentProblem p = Make(1, 2);
  p.edges = {{0, 0, 0.5}, {0, 1, 0.1}};
  p.forced = {{0, 0}, {0, 1}};
  AssignmentResult r = AssignBatch(p);
  EXPECT_FALSE(r.feasible);
  EXPECT_EQ(r.diagnostics,
            std::vector<std::string>{
                "Le besoin « n0 » a 2 affectations imposées pour une demande de 1."});
}

TEST(Assignment, DiagnosticsCombinedInfeasibility) {
  // Each constraint is possible alone; together not: n0 is forced to a0 (capacity 1), so n1,
  // eligible only for a0, has nowhere to go.
  AssignmentProblem c = Make(2, 2);
  c.min_load = {1, 1};
  c.edges = {{0, 0, 0.5}, {0, 1, 0.5}, {1, 0, 0.5}};
  c.forced = {{0, 0}};
  AssignmentResult r = AssignBatch(c);
  EXPECT_FALSE(r.feasible);
  EXPECT_EQ(
      r.diagnostics,
      (std::vector<std::string>{
          "Aucun plan ne respecte à la fois les demandes, les charges minimales et maximales, les "
          "éligibilités et les affectations imposées, bien qu'aucune de ces contraintes ne soit "
          "impossible à elle seule."}));
  // The relaxed plan keeps the forced pair and leaves n1 short, a0 being its only option.
  ASSERT_EQ(r.unplaced, std::vector<uint32_t>{1});
  EXPECT_EQ(r.needs[1].reason,
            "ses autres collectivités éligibles ont toutes atteint leur charge maximale");
  ASSERT_EQ(r.needs[1].alternates.size(), 1u);
  EXPECT_EQ(r.needs[1].alternates[0].authority, 0u);
}

TEST(Assignment, MalformedInputIsDiagnosedNotThrown) {
  AssignmentProblem p = Make(1, 1);
  p.edges = {{0, 5, 0.5}, {0, 0, std::nan("")}};
  AssignmentResult r;
  ASSERT_NO_THROW(r = AssignBatch(p));
  EXPECT_FALSE(r.feasible);
  EXPECT_EQ(r.diagnostics.size(), 2u);
}

TEST(Assignment, TopKCutIsCheckedByDuality) {
  // Each need's best pair is a0, which can take one: with K = 1, n1 has no alternative left.
  AssignmentProblem p = Make(2, 2);
  p.edges = {{0, 0, 0.9}, {0, 1, 0.8}, {1, 0, 0.5}, {1, 1, 0.1}};
  p.top_k = 1;
  AssignmentResult r = AssignBatch(p);
  ExpectValidPlan(p, r);
  EXPECT_TRUE(r.cut_may_matter);  // infeasible with the cut: solved again with every pair
  EXPECT_NEAR(r.total_score, 1.3, 1e-12);
  // With K = 2 of 3, the dropped pairs are poor: the cut provably does not matter.
  AssignmentProblem q = Make(2, 3);
  q.edges = {{0, 0, 0.9}, {0, 1, 0.8}, {0, 2, 0.01}, {1, 0, 0.5}, {1, 1, 0.6}, {1, 2, 0.01}};
  q.top_k = 2;
  AssignmentResult rq = AssignBatch(q);
  EXPECT_EQ(rq.edges_cut, 2u);
  EXPECT_FALSE(rq.cut_may_matter);
  EXPECT_NEAR(rq.total_score, 1.5, 1e-12);
  // Dropping a pair the optimum needs is flagged by the dual check even though the cut problem is
  // feasible: with K = 2, n0 loses a2 (0.84) and the plan is 1.9, while every pair gives 2.64.
  AssignmentProblem s = Make(3, 3);
  s.edges = {{0, 0, 0.9}, {0, 1, 0.85}, {0, 2, 0.84}, {1, 0, 0.9},
             {1, 2, 0.1}, {2, 1, 0.9},  {2, 2, 0.0}};
  s.top_k = 2;
  AssignmentResult rs = AssignBatch(s);
  ExpectValidPlan(s, rs);
  EXPECT_EQ(rs.edges_cut, 1u);
  EXPECT_NEAR(rs.total_score, 1.9, 1e-12);
  EXPECT_TRUE(rs.cut_may_matter);
  s.top_k = 0;
  EXPECT_NEAR(AssignBatch(s).total_score, 2.64, 1e-12);
}

// ---- brute force --------------------------------------------------------------------------

struct Brute {
  bool feasible = false;
  double best = -1e18;
};

// With `floors`, only plans giving need i a total of at least floors[i] count.
Brute BruteForce(const AssignmentProblem& p, const std::vector<double>* floors = nullptr) {
  const size_t n = p.needs.size(), m = p.authorities.size();
  std::vector<std::vector<std::pair<uint32_t, double>>> options(n);
  for (const auto& e : p.edges) options[e.need].push_back({e.authority, e.score});
  std::set<std::pair<uint32_t, uint32_t>> forced(p.forced.begin(), p.forced.end());
  std::vector<int> load(m);
  Brute result;
  std::function<void(size_t, double)> need_step;
  std::function<void(size_t, size_t, int, uint32_t, double, double)> pick;
  need_step = [&](size_t i, double total) {
    if (i == n) {
      for (size_t j = 0; j < m; ++j) {
        if (load[j] < p.min_load[j] || load[j] > p.max_load[j]) return;
      }
      result.feasible = true;
      result.best = std::max(result.best, total);
      return;
    }
    pick(i, 0, p.demand[i], 0, total, 0);
  };
  // Choose `left` more authorities for need i from options[i][from..], each at most once.
  pick = [&](size_t i, size_t from, int left, uint32_t chosen_mask, double total,
             double need_total) {
    if (left == 0) {
      if (floors && need_total < (*floors)[i] - 1e-9) return;
      for (const auto& [fi, fj] : forced) {
        if (fi != i) continue;
        bool in = false;
        for (size_t k = 0; k < options[i].size(); ++k)
          in |= (chosen_mask >> k & 1) && options[i][k].first == fj;
        if (!in) return;
      }
      need_step(i + 1, total);
      return;
    }
    for (size_t k = from; k < options[i].size(); ++k) {
      uint32_t j = options[i][k].first;
      if (load[j] >= p.max_load[j]) continue;
      ++load[j];
      pick(i, k + 1, left - 1, chosen_mask | (1u << k), total + options[i][k].second,
           need_total + options[i][k].second);
      --load[j];
    }
  };
  need_step(0, 0);
  return result;
}

AssignmentProblem RandomSmall(std::mt19937& rng) {
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  AssignmentProblem p =
      Make(static_cast<size_t>(uniform(1, 5)), static_cast<size_t>(uniform(1, 5)));
  for (int& d : p.demand) d = uniform(1, 2);
  for (size_t j = 0; j < p.authorities.size(); ++j) {
    p.max_load[j] = uniform(0, 3);
    p.min_load[j] = uniform(0, 4) == 0 ? uniform(0, p.max_load[j]) : 0;
  }
  for (uint32_t i = 0; i < p.needs.size(); ++i) {
    for (uint32_t j = 0; j < p.authorities.size(); ++j) {
      if (uniform(0, 99) < 65) p.edges.push_back({i, j, uniform(0, 1000) / 1000.0});
    }
  }
  if (uniform(0, 4) == 0 && !p.edges.empty()) {
    const auto& e = p.edges[static_cast<size_t>(uniform(0, static_cast<int>(p.edges.size()) - 1))];
    p.forced.push_back({e.need, e.authority});
  }
  return p;
}

TEST(Assignment, BruteForceOnRandomSmallInstances) {
  std::mt19937 rng(20260501);
  int feasible = 0;
  for (int t = 0; t < 400; ++t) {
    AssignmentProblem p = RandomSmall(rng);
    Brute brute = BruteForce(p);
    for (AssignmentEngine engine :
         {AssignmentEngine::kNetworkSimplex, AssignmentEngine::kSuccessiveShortestPath}) {
      AssignOptions options;
      options.engine = engine;
      AssignmentResult r = AssignBatch(p, options);
      ASSERT_EQ(r.feasible, brute.feasible)
          << "instance " << t << " engine " << static_cast<int>(engine);
      if (!brute.feasible) {
        EXPECT_FALSE(r.diagnostics.empty()) << "instance " << t;
        continue;
      }
      ExpectValidPlan(p, r);
      ASSERT_NEAR(r.total_score, brute.best, 1e-9)
          << "instance " << t << " engine " << static_cast<int>(engine);
    }
    feasible += brute.feasible;
  }
  // Both outcomes are well represented.
  EXPECT_GT(feasible, 80);
  EXPECT_LT(feasible, 360);
}

AssignmentProblem RandomLarge(std::mt19937& rng, size_t needs, size_t authorities,
                              size_t per_need) {
  AssignmentProblem p = Make(needs, authorities);
  std::uniform_int_distribution<int> capacity(1, 3), pick(0, static_cast<int>(authorities) - 1);
  std::uniform_real_distribution<double> score(0, 1);
  for (size_t j = 0; j < authorities; ++j) {
    p.max_load[j] = capacity(rng);
    p.min_load[j] = j % 7 == 0 ? 1 : 0;
  }
  for (uint32_t i = 0; i < needs; ++i) {
    p.demand[i] = i % 5 == 0 ? 2 : 1;
    std::set<int> chosen;
    while (chosen.size() < per_need) chosen.insert(pick(rng));
    for (int j : chosen) p.edges.push_back({i, static_cast<uint32_t>(j), score(rng)});
  }
  p.forced = {{0, p.edges[0].authority}, {3, p.edges[3 * per_need + 1].authority}};
  return p;
}

TEST(Assignment, NetworkSimplexAgreesWithSuccessiveShortestPath) {
  std::mt19937 rng(7);
  for (int t = 0; t < 5; ++t) {
    AssignmentProblem p = RandomLarge(rng, 300, 400, 15);
    if (t == 4) p.top_k = 8;
    AssignOptions boost;
    boost.engine = AssignmentEngine::kSuccessiveShortestPath;
    AssignmentResult lemon = AssignBatch(p), ssp = AssignBatch(p, boost);
    ASSERT_TRUE(lemon.feasible) << t;
    ASSERT_TRUE(ssp.feasible) << t;
    ExpectValidPlan(p, lemon);
    ExpectValidPlan(p, ssp);
    // Same rounded optimum, so the exact totals differ by less than the rounding (Σ d · 1e-6).
    EXPECT_NEAR(lemon.total_score, ssp.total_score, 1e-3) << t;
  }
}

// ---- local fairness ------------------------------------------------------------------------

// Each need's target under a floor F: min(F, the sum of its d best scores).
std::vector<double> FloorTargets(const AssignmentProblem& p, double floor) {
  std::vector<std::vector<double>> scores(p.needs.size());
  for (const auto& e : p.edges) scores[e.need].push_back(e.score);
  std::vector<double> targets;
  for (size_t i = 0; i < p.needs.size(); ++i) {
    std::sort(scores[i].begin(), scores[i].end(), std::greater<>());
    double best = 0;
    for (size_t r = 0; r < scores[i].size() && r < static_cast<size_t>(p.demand[i]); ++r)
      best += scores[i][r];
    targets.push_back(std::min(floor, best));
  }
  return targets;
}

TEST(AssignmentFairness, HandMadeFloorTradesTotalForTheWorstNeed) {
  // n0: a0 0.9, a1 0.4; n1: a0 0.6, a1 0.2, a2 0.5; every load at most 1.
  AssignmentProblem p = Make(2, 3);
  p.edges = {{0, 0, 0.9}, {0, 1, 0.4}, {1, 0, 0.6}, {1, 1, 0.2}, {1, 2, 0.5}};
  AssignmentResult plain = AssignBatch(p);
  // Without a floor: n0→a0 + n1→a2 = 1.4, lowest 0.5.
  EXPECT_NEAR(plain.total_score, 1.4, 1e-12);
  AssignOptions options;
  options.fairness_floor = 0.55;
  AssignmentResult fair = AssignBatch(p, options);
  ExpectValidPlan(p, fair);
  ASSERT_TRUE(fair.fairness);
  // Targets 0.55 each: n1 reaches it only with a0, and then n0 gets a1 (0.4). No plan meets
  // both, so the plan kept has one need under its target and the highest lowest total: the
  // optimum (lowest 0.5) rather than n0→a1 + n1→a0 (lowest 0.4). Pruning alone leaves both
  // needs with a0 only (infeasible), so it is undone.
  EXPECT_NEAR(fair.total_score, 1.4, 1e-12);
  EXPECT_FALSE(fair.fairness->met);
  EXPECT_EQ(fair.fairness->below, std::vector<uint32_t>{1});
  EXPECT_NEAR(fair.fairness->floor_reached, 0.5, 1e-12);
  EXPECT_NEAR(fair.fairness->score_given_up, 0.0, 1e-12);

  // A floor of 0.45: the optimum meets it already; no extra solve.
  options.fairness_floor = 0.45;
  fair = AssignBatch(p, options);
  EXPECT_TRUE(fair.fairness->met);
  EXPECT_EQ(fair.fairness->rounds, 0);

  // a2 unavailable: the optimum is n0→a0 + n1→a1 = 1.1 (lowest 0.2). Floor 0.4: pruning drops
  // n1→a1 (0.2), so n1 takes a0 (0.6) and n0 a1 (0.4): total 1.0, 0.1 given up.
  p.max_load = {1, 1, 0};
  options.fairness_floor = 0.4;
  fair = AssignBatch(p, options);
  ExpectValidPlan(p, fair);
  EXPECT_NEAR(fair.fairness->base_total, 1.1, 1e-12);
  EXPECT_NEAR(fair.fairness->base_lowest, 0.2, 1e-12);
  EXPECT_NEAR(fair.total_score, 1.0, 1e-12);
  EXPECT_TRUE(fair.fairness->met);
  EXPECT_NEAR(fair.fairness->floor_reached, 0.4, 1e-12);
  EXPECT_NEAR(fair.fairness->score_given_up, 0.1, 1e-12);
  EXPECT_EQ(AssignedIds(p, fair, 1), std::vector<std::string>{"a0"});
}

TEST(AssignmentFairness, DemandOneFloorIsExactAgainstBruteForce) {
  std::mt19937 rng(20261128);
  int checked = 0;
  for (int t = 0; t < 300; ++t) {
    AssignmentProblem p = RandomSmall(rng);
    p.demand.assign(p.needs.size(), 1);
    const double floor = std::uniform_real_distribution<double>(0.2, 0.9)(rng);
    AssignOptions options;
    options.fairness_floor = floor;
    AssignmentResult r = AssignBatch(p, options);
    if (!r.feasible) continue;
    ExpectValidPlan(p, r);
    ASSERT_TRUE(r.fairness);
    std::vector<double> targets = FloorTargets(p, floor);
    Brute brute = BruteForce(p, &targets);
    if (!brute.feasible) {
      EXPECT_FALSE(r.fairness->met) << "instance " << t;
      continue;
    }
    ++checked;
    EXPECT_TRUE(r.fairness->met) << "instance " << t;
    ASSERT_NEAR(r.total_score, brute.best, 1e-6) << "instance " << t;
  }
  EXPECT_GT(checked, 60);
}

TEST(AssignmentFairness, InvariantsOnRandomInstances) {
  std::mt19937 rng(11);
  for (int t = 0; t < 6; ++t) {
    AssignmentProblem p = RandomLarge(rng, 120, 150, 12);
    p.forced.clear();
    AssignmentResult plain = AssignBatch(p);
    ASSERT_TRUE(plain.feasible);
    AssignOptions options;
    options.fairness_floor = 0.4 + 0.1 * t;
    AssignmentResult r = AssignBatch(p, options);
    ExpectValidPlan(p, r);
    const matcher::FairnessReport& f = *r.fairness;
    EXPECT_NEAR(f.base_total, plain.total_score, 1e-9);
    EXPECT_NEAR(f.base_lowest, plain.lowest_need_total, 1e-9);
    EXPECT_NEAR(f.score_given_up, plain.total_score - r.total_score, 1e-9);
    EXPECT_NEAR(f.floor_reached, r.lowest_need_total, 1e-12);
    EXPECT_GE(r.lowest_need_total, plain.lowest_need_total - 1e-9)
        << "the floor never makes the worst need worse";
    EXPECT_EQ(f.met, f.below.empty());
    std::vector<double> targets = FloorTargets(p, *options.fairness_floor);
    for (size_t i = 0; i < p.needs.size(); ++i) {
      bool below = std::find(f.below.begin(), f.below.end(), i) != f.below.end();
      EXPECT_EQ(below, r.needs[i].total < targets[i] - 1e-9) << "need " << i;
    }
  }
}

// ---- MIDL golden instance ------------------------------------------------------------------

AssignmentProblem Midl(bool min_loads) {
  auto dir = testing::TestData("midl");
  datasets::ScoresCsv scores = datasets::ReadScoresCsv(dir / "scores.csv");
  datasets::DemandsCsv demands = datasets::ReadDemandsCsv(dir / "demand.csv");
  datasets::CapacitiesCsv capacities = datasets::ReadCapacitiesCsv(dir / "capacity.csv");
  EXPECT_TRUE(scores.ok() && demands.ok() && capacities.ok());
  EXPECT_EQ(scores.rows.size(), 118u * 177u);
  std::vector<std::string> errors;
  AssignmentProblem p =
      datasets::BuildAssignmentProblem(scores, demands, capacities, min_loads, &errors);
  EXPECT_TRUE(errors.empty());
  return p;
}

TEST(Assignment, MidlGoldenMaxLoads) {
  AssignmentProblem p = Midl(false);
  AssignmentResult r = AssignBatch(p);
  ExpectValidPlan(p, r);
  EXPECT_NEAR(r.total_score, 201.8849, 1e-3);
  EXPECT_NEAR(r.lowest_need_total, 0.9033, 1e-3);
  AssignOptions boost;
  boost.engine = AssignmentEngine::kSuccessiveShortestPath;
  EXPECT_NEAR(AssignBatch(p, boost).total_score, 201.8849, 1e-3);
}

TEST(Assignment, MidlGoldenMinAndMaxLoads) {
  AssignmentProblem p = Midl(true);
  AssignmentResult r = AssignBatch(p);
  ExpectValidPlan(p, r);
  EXPECT_NEAR(r.total_score, 150.0431, 1e-3);
  AssignOptions boost;
  boost.engine = AssignmentEngine::kSuccessiveShortestPath;
  EXPECT_NEAR(AssignBatch(p, boost).total_score, 150.0431, 1e-3);
}

TEST(Assignment, MidlLocalFairnessBeatsFairFlowsReport) {
  // Kobren et al. report FairFlow at a lowest per-need total of 0.94 for a total of 197.67,
  // FairIR at 0.93 for 201.83 (max loads only). The floor of 0.94 is reached here giving up
  // 0.1161 of the 201.8849 optimum.
  AssignmentProblem p = Midl(false);
  AssignOptions options;
  options.fairness_floor = 0.94;
  AssignmentResult r = AssignBatch(p, options);
  ExpectValidPlan(p, r);
  ASSERT_TRUE(r.fairness);
  EXPECT_TRUE(r.fairness->met);
  EXPECT_GE(r.lowest_need_total, 0.94);
  EXPECT_GT(r.total_score, 197.67);
  EXPECT_NEAR(r.total_score, 201.7687, 1e-3);
  EXPECT_NEAR(r.lowest_need_total, 0.9448, 1e-3);
  EXPECT_NEAR(r.fairness->score_given_up, 201.8849 - 201.7687, 1e-3);
}

}  // namespace
}  // namespace expectmatch
