#include "expectmatch/tuning/metrics.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace expectmatch::tuning {

std::vector<uint32_t> RankRows(const Eigen::VectorXd& scores, const std::vector<uint32_t>& id_order,
                               TieOrder ties) {
  std::vector<uint32_t> rows(id_order.size());
  std::iota(rows.begin(), rows.end(), 0u);
  std::sort(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) {
    double sa = scores[static_cast<Eigen::Index>(a)], sb = scores[static_cast<Eigen::Index>(b)];
    if (sa != sb) return sa > sb;
    return ties == TieOrder::kEngine ? id_order[a] < id_order[b] : id_order[a] > id_order[b];
  });
  return rows;
}

double DcgAtK(const std::vector<int>& ranked, size_t k) {
  double dcg = 0.0;
  for (size_t i = 0; i < std::min(k, ranked.size()); ++i)
    dcg += ranked[i] / std::log2(static_cast<double>(i) + 2.0);
  return dcg;
}

double NdcgAtK(const std::vector<int>& ranked, const std::vector<int>& judged, size_t k) {
  std::vector<int> ideal = judged;
  std::sort(ideal.begin(), ideal.end(), std::greater<int>());
  double idcg = DcgAtK(ideal, k);
  return idcg > 0.0 ? DcgAtK(ranked, k) / idcg : 0.0;
}

double ReciprocalRank(const std::vector<int>& ranked) {
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (ranked[i] > 0) return 1.0 / static_cast<double>(i + 1);
  }
  return 0.0;
}

double RecallAtK(const std::vector<int>& ranked, const std::vector<int>& judged, size_t k) {
  size_t relevant =
      static_cast<size_t>(std::count_if(judged.begin(), judged.end(), [](int g) { return g > 0; }));
  if (relevant == 0) return 0.0;
  size_t found = 0;
  for (size_t i = 0; i < std::min(k, ranked.size()); ++i) found += ranked[i] > 0;
  return static_cast<double>(found) / static_cast<double>(relevant);
}

NeedScore ScoreNeed(const HistoricalNeed& need, const Weights& weights,
                    const MetricOptions& options) {
  Eigen::VectorXd scores = need.features * weights;
  std::vector<uint32_t> rows = RankRows(scores, need.id_order, options.ties);
  std::vector<int> ranked(rows.size());
  NeedScore out;
  for (size_t i = 0; i < rows.size(); ++i) {
    ranked[i] = need.grades[rows[i]];
    if (need.candidates[rows[i]] == need.selected) out.selected_rank = static_cast<int>(i + 1);
  }
  out.ndcg = NdcgAtK(ranked, need.judged, options.k);
  out.reciprocal_rank = ReciprocalRank(ranked);
  out.recall = RecallAtK(ranked, need.judged, options.k);
  return out;
}

Metrics Evaluate(const std::vector<HistoricalNeed>& needs, const Weights& weights,
                 const MetricOptions& options, const std::vector<size_t>* rows) {
  Metrics m;
  auto add = [&](const HistoricalNeed& need) {
    NeedScore s = ScoreNeed(need, weights, options);
    m.ndcg += s.ndcg;
    m.mrr += s.reciprocal_rank;
    m.recall += s.recall;
    ++m.needs;
  };
  if (rows) {
    for (size_t r : *rows) add(needs[r]);
  } else {
    for (const HistoricalNeed& need : needs) add(need);
  }
  if (m.needs > 0) {
    const double n = static_cast<double>(m.needs);
    m.ndcg /= n;
    m.mrr /= n;
    m.recall /= n;
  }
  return m;
}

}  // namespace expectmatch::tuning
