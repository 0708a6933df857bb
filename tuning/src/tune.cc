#include "expectmatch/tuning/tune.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "expectmatch/tuning/split_mix.h"

namespace expectmatch::tuning {
namespace {

Weights Fit(const std::vector<HistoricalNeed>& needs, const std::vector<size_t>& rows,
            const Weights& start, const TuneOptions& options, size_t restarts) {
  if (options.method == Method::kPairwiseLogistic)
    return FitPairwiseLogistic(needs, rows, options.pairwise_logistic);
  CoordinateAscentOptions ca = options.coordinate_ascent;
  ca.metric = options.metric;
  ca.seed = options.seed;
  if (restarts > 0) ca.restarts = restarts;
  return FitCoordinateAscent(needs, rows, start, ca);
}

double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(position));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (position - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

}  // namespace

const char* MethodName(Method method) {
  return method == Method::kCoordinateAscent ? "coordinate-ascent" : "pairwise-logistic";
}

std::vector<std::pair<size_t, size_t>> TimeBlocks(size_t needs, size_t folds) {
  const size_t blocks = folds + 1;
  std::vector<std::pair<size_t, size_t>> out;
  for (size_t b = 0; b < blocks; ++b)
    out.emplace_back(needs * b / blocks, needs * (b + 1) / blocks);
  return out;
}

double Cosine(const Weights& a, const Weights& b) {
  const double na = a.norm(), nb = b.norm();
  return na > 0.0 && nb > 0.0 ? a.dot(b) / (na * nb) : 0.0;
}

std::vector<RankChange> CompareRanks(const std::vector<HistoricalNeed>& needs,
                                     const Weights& baseline, const Weights& other, TieOrder ties) {
  MetricOptions metric;
  metric.ties = ties;
  std::vector<RankChange> out;
  out.reserve(needs.size());
  for (const HistoricalNeed& need : needs) {
    out.push_back({need.id, need.decided, need.selected,
                   ScoreNeed(need, baseline, metric).selected_rank,
                   ScoreNeed(need, other, metric).selected_rank});
  }
  return out;
}

RankChangeSummary Summarise(const std::vector<RankChange>& changes) {
  RankChangeSummary s;
  for (const RankChange& c : changes) {
    if (c.baseline_rank == 0) {
      ++s.not_candidate;
    } else if (c.other_rank < c.baseline_rank) {
      ++s.improved;
    } else if (c.other_rank > c.baseline_rank) {
      ++s.worsened;
    } else {
      ++s.unchanged;
    }
    s.top1_changed += (c.baseline_rank == 1) != (c.other_rank == 1);
  }
  return s;
}

TuneResult Tune(const std::vector<HistoricalNeed>& needs, const Weights& baseline,
                const TuneOptions& options, const Progress& progress) {
  TuneResult result;
  result.method = options.method;
  result.options = options;
  result.needs = needs.size();
  result.baseline = Normalised(baseline);
  size_t candidates = 0;
  for (const HistoricalNeed& need : needs) {
    candidates += need.candidates.size();
    result.needs_without_candidate += need.SelectedRow() < 0;
  }
  result.mean_candidates =
      needs.empty() ? 0.0 : static_cast<double>(candidates) / static_cast<double>(needs.size());
  auto advance = [&](std::string_view stage, size_t done, size_t total) {
    if (progress) progress(stage, done, total);
  };

  // Time-ordered folds.
  const auto blocks = TimeBlocks(needs.size(), options.folds);
  double weight_sum = 0.0;
  for (size_t fold = 0; fold < options.folds; ++fold) {
    FoldResult f;
    std::vector<size_t> train(blocks[fold].second), test;
    std::iota(train.begin(), train.end(), size_t{0});
    for (size_t r = blocks[fold + 1].first; r < blocks[fold + 1].second; ++r) test.push_back(r);
    f.train_needs = train.size();
    f.test_needs = test.size();
    if (!train.empty()) {
      f.train_from = needs[train.front()].decided;
      f.train_to = needs[train.back()].decided;
    }
    if (!test.empty()) {
      f.test_from = needs[test.front()].decided;
      f.test_to = needs[test.back()].decided;
    }
    f.weights = Fit(needs, train, result.baseline, options, 0);
    if (f.weights.sum() <= 0.0) f.weights = result.baseline;
    f.baseline = Evaluate(needs, result.baseline, options.metric, &test);
    f.fitted = Evaluate(needs, f.weights, options.metric, &test);
    const double w = static_cast<double>(test.size());
    weight_sum += w;
    result.baseline_held_out.ndcg += w * f.baseline.ndcg;
    result.baseline_held_out.mrr += w * f.baseline.mrr;
    result.baseline_held_out.recall += w * f.baseline.recall;
    result.fitted_held_out.ndcg += w * f.fitted.ndcg;
    result.fitted_held_out.mrr += w * f.fitted.mrr;
    result.fitted_held_out.recall += w * f.fitted.recall;
    result.baseline_held_out.needs += test.size();
    result.fitted_held_out.needs += test.size();
    result.folds.push_back(f);
    advance("plis", fold + 1, options.folds);
  }
  if (weight_sum > 0.0) {
    for (Metrics* m : {&result.baseline_held_out, &result.fitted_held_out}) {
      m->ndcg /= weight_sum;
      m->mrr /= weight_sum;
      m->recall /= weight_sum;
    }
  }

  // The profile: fitted on every need.
  std::vector<size_t> all(needs.size());
  std::iota(all.begin(), all.end(), size_t{0});
  result.fitted = Fit(needs, all, result.baseline, options, 0);
  if (result.fitted.sum() <= 0.0) {
    result.fitted = result.baseline;
    result.fell_back = true;
  }
  result.baseline_all = Evaluate(needs, result.baseline, options.metric);
  result.fitted_all = Evaluate(needs, result.fitted, options.metric);
  advance("ajustement sur tous les besoins", 1, 1);

  // Bootstrap intervals.
  std::vector<std::vector<double>> samples(kFeatures);
  uint64_t rng = options.seed ^ 0xb5ad4eceda1ce2a9ULL;
  for (size_t b = 0; b < options.bootstrap && !needs.empty(); ++b) {
    std::vector<size_t> rows(needs.size());
    for (size_t& r : rows) r = SplitMix(&rng) % needs.size();
    TuneOptions resample = options;
    resample.seed = options.seed + b + 1;
    Weights w = Fit(needs, rows, result.fitted, resample, 0);
    if (w.sum() <= 0.0) w = result.fitted;
    for (int f = 0; f < kFeatures; ++f) samples[static_cast<size_t>(f)].push_back(w[f]);
    advance("bootstrap", b + 1, options.bootstrap);
  }
  result.bootstrap = options.bootstrap;
  for (int f = 0; f < kFeatures; ++f) {
    const auto& s = samples[static_cast<size_t>(f)];
    result.low[f] = s.empty() ? result.fitted[f] : Quantile(s, 0.025);
    result.high[f] = s.empty() ? result.fitted[f] : Quantile(s, 0.975);
  }

  result.changes = CompareRanks(needs, result.baseline, result.fitted, options.metric.ties);
  result.change_summary = Summarise(result.changes);
  return result;
}

}  // namespace expectmatch::tuning
