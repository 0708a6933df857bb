// Offline tuning speed (goal: 5-fold tuning on 2,000 historical needs × 5,000 authorities
// in 60 s at most).
//
// | benchmark | workload |
// |---|---|
// | BM_BuildHistory | the 2,000 needs' candidates and features as of each decision day |
// | BM_Tune/method:0 | 5 time folds + final fit, coordinate ascent (5 restarts), no bootstrap |
// | BM_Tune/method:1 | the same, pairwise logistic regression |
// | BM_TuneFromData/method:m | BM_BuildHistory + BM_Tune: what `expectmatch tune DATA --bootstrap 0` does after loading |
// | BM_Bootstrap/method:m | 100 bootstrap refits on top (the report's intervals) |
//
// Data (outside the timed loops): `expectmatch generate --authorities 5000 --seed 1`, with the
// labelled authorities' yearly capacities multiplied by 8 so that 2,000 decisions over
// 2020–2026 fit (at the generated capacities about a third of the needs would find no
// authority with capacity left), then AddHistory(2,100 needs, seed 1), of which about 2,000 are decided.
#include <benchmark/benchmark.h>

#include "expectmatch/datasets/reference.h"
#include "expectmatch/matcher/profile.h"
#include "expectmatch/synth/generator.h"
#include "expectmatch/tuning/history.h"
#include "expectmatch/tuning/tune.h"

namespace {

using namespace expectmatch;

const matcher::Dataset& Data() {
  static const matcher::Dataset* data = [] {
    auto* d = new matcher::Dataset(synth::GenerateDataset({5000, 1}));
    for (matcher::Collectivite& c : d->collectivites) {
      if (!c.labels.empty()) c.capacity_per_year *= 8;
    }
    synth::AddHistory(d, {2100, 1});  // about 2,000 of them find an authority
    return d;
  }();
  return *data;
}

const std::vector<tuning::HistoricalNeed>& History() {
  static const auto* history = new std::vector<tuning::HistoricalNeed>(
      tuning::BuildHistory(Data(), datasets::CountryTable()));
  return *history;
}

tuning::TuneOptions Options(int64_t method, size_t bootstrap) {
  tuning::TuneOptions options;
  options.method =
      method == 0 ? tuning::Method::kCoordinateAscent : tuning::Method::kPairwiseLogistic;
  options.folds = 5;
  options.bootstrap = bootstrap;
  return options;
}

void Counters(benchmark::State& state, const std::vector<tuning::HistoricalNeed>& history) {
  size_t candidates = 0;
  for (const auto& need : history) candidates += need.candidates.size();
  state.counters["needs"] = static_cast<double>(history.size());
  state.counters["candidates"] =
      static_cast<double>(candidates) / static_cast<double>(history.size());
}

void BM_BuildHistory(benchmark::State& state) {
  const matcher::Dataset& data = Data();
  for (auto _ : state)
    benchmark::DoNotOptimize(tuning::BuildHistory(data, datasets::CountryTable()));
  Counters(state, History());
}
BENCHMARK(BM_BuildHistory)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_Tune(benchmark::State& state) {
  const auto& history = History();
  const tuning::Weights baseline = tuning::ToWeights(matcher::DefaultProfile().weights);
  tuning::TuneResult result;
  for (auto _ : state) result = tuning::Tune(history, baseline, Options(state.range(0), 0));
  Counters(state, history);
  state.counters["heldout_ndcg"] = result.fitted_held_out.ndcg;
  state.counters["default_ndcg"] = result.baseline_held_out.ndcg;
}
BENCHMARK(BM_Tune)->ArgName("method")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_TuneFromData(benchmark::State& state) {
  const matcher::Dataset& data = Data();
  const tuning::Weights baseline = tuning::ToWeights(matcher::DefaultProfile().weights);
  for (auto _ : state) {
    auto history = tuning::BuildHistory(data, datasets::CountryTable());
    benchmark::DoNotOptimize(tuning::Tune(history, baseline, Options(state.range(0), 0)));
  }
  Counters(state, History());
}
BENCHMARK(BM_TuneFromData)
    ->ArgName("method")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

void BM_Bootstrap(benchmark::State& state) {
  const auto& history = History();
  const tuning::Weights baseline = tuning::ToWeights(matcher::DefaultProfile().weights);
  for (auto _ : state)
    benchmark::DoNotOptimize(tuning::Tune(history, baseline, Options(state.range(0), 100)));
  Counters(state, history);
}
BENCHMARK(BM_Bootstrap)
    ->ArgName("method")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
