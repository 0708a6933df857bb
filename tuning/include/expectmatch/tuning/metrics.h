// Ranking metrics over historical needs, defined as trec_eval defines them (docs/TUNING.md,
// "Relevance and metrics").
//
// For one need, the candidates are ranked by score Σ wᵢ·fᵢ descending; ties go by authority id
// ascending, as the engine breaks them (TieOrder::kEngine), or by id descending, as trec_eval
// re-sorts its input (TieOrder::kTrecEval). With gᵢ the grade at rank i (0, 1 or 2: linear gain,
// trec_eval's `ndcg` and `ndcg_cut`, not RankLib's 2^g − 1):
//   DCG@k  = Σ_{i=1..min(k, n)} gᵢ / log2(i + 1)
//   NDCG@k = DCG@k / IDCG@k, IDCG@k the DCG@k of the judged grades sorted descending (every
//            relevant authority, shown or not); 0 when IDCG@k is 0;
//   RR     = 1 / rank of the first candidate with a grade ≥ 1 (whole ranking, no cut); 0 if none;
//   Recall@k = relevant candidates in the top k / judged relevant authorities; 0 if none.
// Means are taken over every need, needs without a relevant candidate counting 0 (trec_eval's
// behaviour; LightGBM and XGBoost would count them 1).
// Pure functions; thread-safe.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "expectmatch/tuning/history.h"

namespace expectmatch::tuning {

enum class TieOrder { kEngine, kTrecEval };

struct MetricOptions {
  size_t k = 10;
  TieOrder ties = TieOrder::kEngine;
};

// Candidate rows best first. REQUIRES: scores.size() == id_order.size().
std::vector<uint32_t> RankRows(const Eigen::VectorXd& scores, const std::vector<uint32_t>& id_order,
                               TieOrder ties);

// On grades listed in rank order (ranked) and the judged grades of the need.
double DcgAtK(const std::vector<int>& ranked, size_t k);
double NdcgAtK(const std::vector<int>& ranked, const std::vector<int>& judged, size_t k);
double ReciprocalRank(const std::vector<int>& ranked);
double RecallAtK(const std::vector<int>& ranked, const std::vector<int>& judged, size_t k);

struct NeedScore {
  double ndcg = 0.0;
  double reciprocal_rank = 0.0;
  double recall = 0.0;
  int selected_rank = 0;  // 1-based rank of the selected authority, 0 when not a candidate
};
NeedScore ScoreNeed(const HistoricalNeed& need, const Weights& weights,
                    const MetricOptions& options);

struct Metrics {
  double ndcg = 0.0;
  double mrr = 0.0;
  double recall = 0.0;
  size_t needs = 0;
};
// Means over needs[rows]; all needs when `rows` is null.
Metrics Evaluate(const std::vector<HistoricalNeed>& needs, const Weights& weights,
                 const MetricOptions& options, const std::vector<size_t>* rows = nullptr);

}  // namespace expectmatch::tuning
