// Where labels are missing (GET /v1/coverage) at national scale: service::ComputeCoverage over
// every need of a generated catalogue, against a same-run baseline that only ranks each of
// those needs the way the match endpoint does (top 10, no explanation).
//
// | benchmark                 | what is timed                                               |
// |---------------------------|-------------------------------------------------------------|
// | BM_Coverage/N/copies      | ComputeCoverage over the whole period: every need ranked     |
// |                           | with k = N (all eligible authorities), the country × theme   |
// |                           | cells, the theme × région table, the JSON document           |
// | BM_RankEveryNeed/N/copies | RankNeed(k = 10, no explanation) for each of the same needs  |
//
// The catalogue is `expectmatch generate` data (seed 7) with N authorities; its needs (N/800,
// at least 20: 45 at 36,000) are repeated `copies` times under new ids, as a programme's
// several years of needs would be. Data are built outside the timed loops.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "expectmatch/datasets/reference.h"
#include "expectmatch/matcher/ranker.h"
#include "expectmatch/service/coverage.h"
#include "expectmatch/synth/generator.h"

namespace {

using namespace expectmatch;

const matcher::Catalogue& Generated(size_t authorities, size_t copies) {
  static std::mutex mutex;
  static std::map<std::pair<size_t, size_t>, std::unique_ptr<matcher::Catalogue>> cache;
  std::lock_guard lock(mutex);
  auto& slot = cache[{authorities, copies}];
  if (!slot) {
    synth::GeneratorOptions options;
    options.authorities = authorities;
    options.seed = 7;
    matcher::Dataset dataset = synth::GenerateDataset(options);
    const std::vector<matcher::Need> needs = dataset.needs;
    for (size_t copy = 1; copy < copies; ++copy) {
      for (matcher::Need need : needs) {
        need.id += "-copy" + std::to_string(copy);
        dataset.needs.push_back(std::move(need));
      }
    }
    slot = std::make_unique<matcher::Catalogue>(std::move(dataset), datasets::CountryTable());
  }
  return *slot;
}

// Every need's period, within the 5 years a coverage may span.
service::CoverageQuery WholePeriod(const matcher::Catalogue& catalogue) {
  service::CoverageQuery query;
  query.from = catalogue.needs().front().period.start;
  for (const matcher::Need& need : catalogue.needs())
    query.from = std::min(query.from, need.period.start);
  query.to = query.from.AddMonths(12 * service::kMaxCoverageYears);
  query.to.days -= 1;
  return query;
}

void BM_Coverage(benchmark::State& state) {
  const matcher::Catalogue& catalogue =
      Generated(static_cast<size_t>(state.range(0)), static_cast<size_t>(state.range(1)));
  const service::CoverageQuery query = WholePeriod(catalogue);
  const matcher::Profile profile = matcher::DefaultProfile();
  size_t needs = 0, uncovered = 0;
  for (auto _ : state) {
    datasets::Json coverage = service::ComputeCoverage(catalogue, profile, query);
    needs = coverage["needs"].get<size_t>();
    uncovered = coverage["uncovered_needs"].get<size_t>();
    benchmark::DoNotOptimize(coverage);
  }
  state.counters["needs"] = static_cast<double>(needs);
  state.counters["uncovered"] = static_cast<double>(uncovered);
}
BENCHMARK(BM_Coverage)
    ->ArgNames({"authorities", "copies"})
    ->ArgsProduct({{36000, 1000000}, {1, 20}})
    ->Unit(benchmark::kMillisecond);

void BM_RankEveryNeed(benchmark::State& state) {
  const matcher::Catalogue& catalogue =
      Generated(static_cast<size_t>(state.range(0)), static_cast<size_t>(state.range(1)));
  matcher::RankOptions options;
  options.k = 10;
  options.explain = false;
  const matcher::Profile profile = matcher::DefaultProfile();
  for (auto _ : state) {
    for (const matcher::Need& need : catalogue.needs()) {
      matcher::Ranking ranking = matcher::RankNeed(catalogue, need, profile, options);
      benchmark::DoNotOptimize(ranking);
    }
  }
  state.counters["needs"] = static_cast<double>(catalogue.needs().size());
}
BENCHMARK(BM_RankEveryNeed)
    ->ArgNames({"authorities", "copies"})
    ->ArgsProduct({{36000, 1000000}, {1, 20}})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
