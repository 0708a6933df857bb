// The batch assignment's speed: random instances of N needs × A authorities,
// K = 50 random candidate pairs per need (uniform scores in [0, 1]), capacities 1–3, demand 1,
// solved by LEMON's NetworkSimplex (the production engine) and Boost.Graph's successive shortest
// paths (the cross-check engine; skipped at 5,000 × 36,000). Times are whole AssignBatch calls
// (canonical order, network build, solve, plan read back); the "solve_ms" counter is the flow
// engine alone.
//
//   build/bench/expectmatch_assign_bench
#include <benchmark/benchmark.h>

#include <random>
#include <set>

#include "expectmatch/matcher/assignment.h"

namespace {

using expectmatch::matcher::AssignmentEngine;
using expectmatch::matcher::AssignmentProblem;

AssignmentProblem RandomInstance(size_t needs, size_t authorities, size_t per_need, uint64_t seed) {
  std::mt19937_64 rng(seed);
  AssignmentProblem p;
  for (size_t i = 0; i < needs; ++i)
    p.needs.push_back(std::string("need").append(std::to_string(i)));
  for (size_t j = 0; j < authorities; ++j)
    p.authorities.push_back(std::string("auth").append(std::to_string(j)));
  p.demand.assign(needs, 1);
  std::uniform_int_distribution<int> capacity(1, 3);
  for (size_t j = 0; j < authorities; ++j) p.max_load.push_back(capacity(rng));
  std::uniform_int_distribution<uint32_t> pick(0, static_cast<uint32_t>(authorities - 1));
  std::uniform_real_distribution<double> score(0, 1);
  for (uint32_t i = 0; i < needs; ++i) {
    std::set<uint32_t> chosen;
    while (chosen.size() < per_need) chosen.insert(pick(rng));
    for (uint32_t j : chosen) p.edges.push_back({i, j, score(rng)});
  }
  return p;
}

void BM_Assign(benchmark::State& state, AssignmentEngine engine) {
  const AssignmentProblem problem = RandomInstance(static_cast<size_t>(state.range(0)),
                                                   static_cast<size_t>(state.range(1)), 50, 42);
  expectmatch::matcher::AssignOptions options;
  options.engine = engine;
  double solve_ms = 0, total = 0;
  for (auto _ : state) {
    expectmatch::matcher::AssignmentResult result =
        expectmatch::matcher::AssignBatch(problem, options);
    if (!result.feasible) state.SkipWithError("infeasible instance");
    solve_ms += result.solve_ms;
    total = result.total_score;
    benchmark::DoNotOptimize(result);
  }
  state.counters["solve_ms"] =
      benchmark::Counter(solve_ms / static_cast<double>(state.iterations()));
  state.counters["total"] = total;
}

void BM_NetworkSimplex(benchmark::State& state) {
  BM_Assign(state, AssignmentEngine::kNetworkSimplex);
}
void BM_SuccessiveShortestPath(benchmark::State& state) {
  BM_Assign(state, AssignmentEngine::kSuccessiveShortestPath);
}

BENCHMARK(BM_NetworkSimplex)
    ->Args({100, 500})
    ->Args({1000, 5000})
    ->Args({5000, 36000})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SuccessiveShortestPath)
    ->Args({100, 500})
    ->Args({1000, 5000})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
