#include "expectmatch/tuning/fit.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>

#include "expectmatch/tuning/split_mix.h"

namespace expectmatch::tuning {
namespace {

double Uniform(uint64_t* state) { return static_cast<double>(SplitMix(state) >> 11) * 0x1.0p-53; }

// One training need as the objective sees it.
struct Prepared {
  const HistoricalNeed* need = nullptr;
  int relevant_row = -1;  // the single relevant candidate (fast path), else -1
  double gain = 0.0;      // its grade
  double idcg = 0.0;
};

// Only needs whose NDCG can change with the weights are kept; `total` counts them all.
struct Objective {
  std::vector<Prepared> needs;
  size_t total = 0;
  MetricOptions metric;
  std::vector<double> discount;  // 1 / log2(rank + 1), rank 1..

  Objective(const std::vector<HistoricalNeed>& all, const std::vector<size_t>& rows,
            const MetricOptions& options)
      : total(rows.size()), metric(options) {
    size_t longest = 0;
    for (size_t r : rows) {
      const HistoricalNeed& need = all[r];
      std::vector<int> ideal = need.judged;
      std::sort(ideal.begin(), ideal.end(), std::greater<int>());
      Prepared p;
      p.need = &need;
      p.idcg = DcgAtK(ideal, options.k);
      int relevant = 0;
      for (size_t i = 0; i < need.grades.size(); ++i) {
        if (need.grades[i] > 0) {
          ++relevant;
          p.relevant_row = static_cast<int>(i);
          p.gain = need.grades[i];
        }
      }
      if (p.idcg <= 0.0 || relevant == 0 || need.candidates.size() < 2) continue;  // constant
      if (relevant > 1) p.relevant_row = -1;
      needs.push_back(p);
      longest = std::max(longest, need.candidates.size());
    }
    discount.resize(longest + 1);
    for (size_t i = 0; i <= longest; ++i)
      discount[i] = 1.0 / std::log2(static_cast<double>(i) + 2.0);
  }

  // NDCG@k of one need under `scores`.
  double Ndcg(const Prepared& p, const Eigen::VectorXd& scores) const {
    const HistoricalNeed& need = *p.need;
    if (p.relevant_row < 0) {
      std::vector<uint32_t> rows = RankRows(scores, need.id_order, metric.ties);
      std::vector<int> ranked(rows.size());
      for (size_t i = 0; i < rows.size(); ++i) ranked[i] = need.grades[rows[i]];
      return DcgAtK(ranked, metric.k) / p.idcg;
    }
    const Eigen::Index sel = p.relevant_row;
    const double s = scores[sel];
    const uint32_t tie = need.id_order[static_cast<size_t>(sel)];
    size_t above = 0;
    for (Eigen::Index j = 0; j < scores.size(); ++j) {
      if (j == sel) continue;
      const double sj = scores[j];
      if (sj > s) {
        ++above;
      } else if (sj == s) {
        const uint32_t tj = need.id_order[static_cast<size_t>(j)];
        above += metric.ties == TieOrder::kEngine ? tj < tie : tj > tie;
      }
    }
    return above < metric.k ? p.gain * discount[above] / p.idcg : 0.0;
  }

  double Mean(const Weights& w) const {
    if (total == 0) return 0.0;
    double sum = 0.0;
    for (const Prepared& p : needs) sum += Ndcg(p, p.need->features * w);
    return sum / static_cast<double>(total);
  }
};

double Softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }
double Sigmoid(double z) {
  return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
}

}  // namespace

Weights Normalised(const Weights& w) {
  const double sum = w.sum();
  return sum > 0.0 ? Weights(w / sum) : Weights(Weights::Zero());
}

double MeanNdcg(const std::vector<HistoricalNeed>& needs, const std::vector<size_t>& rows,
                const Weights& weights, const MetricOptions& options) {
  return Objective(needs, rows, options).Mean(weights);
}

Weights FitCoordinateAscent(const std::vector<HistoricalNeed>& needs,
                            const std::vector<size_t>& rows, const Weights& start,
                            const CoordinateAscentOptions& options) {
  const Objective objective(needs, rows, options.metric);
  if (objective.needs.empty()) return Weights::Zero();
  static constexpr double kSteps[] = {0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0};
  uint64_t rng = options.seed * 0x2545f4914f6cdd1dULL + 17;

  Weights best_weights = Weights::Zero();
  double best_value = -1.0;
  std::vector<Eigen::VectorXd> scores(objective.needs.size());
  for (size_t restart = 0; restart < std::max<size_t>(1, options.restarts); ++restart) {
    Weights w;
    if (restart == 0 && start.sum() > 0.0) {
      w = Normalised(start);
    } else if (restart <= 1) {
      w.setConstant(1.0 / kFeatures);
    } else {
      for (int f = 0; f < kFeatures; ++f) w[f] = Uniform(&rng);
      w = Normalised(w);
    }
    double sum = 0.0;
    for (size_t i = 0; i < objective.needs.size(); ++i) {
      scores[i] = objective.needs[i].need->features * w;
      sum += objective.Ndcg(objective.needs[i], scores[i]);
    }
    double value = sum / static_cast<double>(objective.total);

    for (size_t sweep = 0; sweep < options.max_sweeps; ++sweep) {
      const double sweep_start = value;
      int order[kFeatures];
      for (int f = 0; f < kFeatures; ++f) order[f] = f;
      for (int f = kFeatures - 1; f > 0; --f)
        std::swap(order[f], order[SplitMix(&rng) % static_cast<uint64_t>(f + 1)]);
      for (int f : order) {
        double best_delta = 0.0, best_trial = value;
        auto trial = [&](double delta) {
          if (w[f] + delta < 0.0 || delta == 0.0) return;
          if (w.sum() + delta <= 0.0) return;
          double total = 0.0;
          for (size_t i = 0; i < objective.needs.size(); ++i) {
            const Prepared& p = objective.needs[i];
            total += objective.Ndcg(p, scores[i] + delta * p.need->features.col(f));
          }
          total /= static_cast<double>(objective.total);
          if (total > best_trial + 1e-12) {
            best_trial = total;
            best_delta = delta;
          }
        };
        for (double step : kSteps) {
          trial(step);
          trial(-step);
        }
        trial(-w[f]);
        if (best_delta != 0.0) {
          w[f] += best_delta;
          const double scale = 1.0 / w.sum();
          w *= scale;
          for (size_t i = 0; i < objective.needs.size(); ++i) {
            scores[i] = (scores[i] + best_delta * objective.needs[i].need->features.col(f)) * scale;
          }
          value = best_trial;
        }
      }
      if (value - sweep_start < options.tolerance) break;
    }
    if (value > best_value + 1e-12) {
      best_value = value;
      best_weights = w;
    }
  }
  return Normalised(best_weights);
}

Weights FitPairwiseLogistic(const std::vector<HistoricalNeed>& needs,
                            const std::vector<size_t>& rows,
                            const PairwiseLogisticOptions& options) {
  // Pairs (preferred − other) and their weights.
  size_t count = 0;
  for (size_t r : rows) {
    const HistoricalNeed& need = needs[r];
    for (size_t i = 0; i < need.grades.size(); ++i) {
      if (need.grades[i] == 0) continue;
      for (size_t j = 0; j < need.grades.size(); ++j) count += need.grades[j] < need.grades[i];
    }
  }
  if (count == 0) return Weights::Zero();
  Eigen::Matrix<double, Eigen::Dynamic, kFeatures> d(static_cast<Eigen::Index>(count), kFeatures);
  Eigen::VectorXd a(static_cast<Eigen::Index>(count));
  Eigen::Index p = 0;
  for (size_t r : rows) {
    const HistoricalNeed& need = needs[r];
    for (size_t i = 0; i < need.grades.size(); ++i) {
      if (need.grades[i] == 0) continue;
      for (size_t j = 0; j < need.grades.size(); ++j) {
        if (need.grades[j] >= need.grades[i]) continue;
        d.row(p) = need.features.row(static_cast<Eigen::Index>(i)) -
                   need.features.row(static_cast<Eigen::Index>(j));
        a[p] = need.grades[i] - need.grades[j];
        ++p;
      }
    }
  }
  const double lambda = options.l2;
  auto loss = [&](const Weights& w) {
    Eigen::VectorXd m = d * w;
    double total = 0.0;
    for (Eigen::Index q = 0; q < m.size(); ++q) total += a[q] * Softplus(-m[q]);
    return total + 0.5 * lambda * w.squaredNorm();
  };

  Weights w = Weights::Zero();
  double current = loss(w);
  for (size_t iteration = 0; iteration < options.max_iterations; ++iteration) {
    Eigen::VectorXd m = d * w;
    Eigen::VectorXd coef(m.size()), curvature(m.size());
    for (Eigen::Index q = 0; q < m.size(); ++q) {
      const double s = Sigmoid(-m[q]);
      coef[q] = a[q] * s;
      curvature[q] = a[q] * s * (1.0 - s);
    }
    Weights gradient = -(d.transpose() * coef) + lambda * w;
    Eigen::Matrix<double, kFeatures, kFeatures> hessian =
        d.transpose() * curvature.asDiagonal() * d +
        lambda * Eigen::Matrix<double, kFeatures, kFeatures>::Identity();

    // Coordinates held at the bound: zero weight and a gradient pushing below it.
    std::vector<int> free;
    double projected = 0.0;
    for (int f = 0; f < kFeatures; ++f) {
      const bool held = w[f] <= 0.0 && gradient[f] > 0.0;
      if (!held) {
        free.push_back(f);
        projected = std::max(projected, std::abs(gradient[f]));
      }
    }
    if (projected < options.tolerance || free.empty()) break;
    const Eigen::Index nf = static_cast<Eigen::Index>(free.size());
    Eigen::MatrixXd h(nf, nf);
    Eigen::VectorXd g(nf);
    for (Eigen::Index i = 0; i < nf; ++i) {
      g[i] = gradient[free[static_cast<size_t>(i)]];
      for (Eigen::Index j = 0; j < nf; ++j)
        h(i, j) = hessian(free[static_cast<size_t>(i)], free[static_cast<size_t>(j)]);
    }
    Eigen::VectorXd step = h.ldlt().solve(-g);
    Weights direction = Weights::Zero();
    for (Eigen::Index i = 0; i < nf; ++i) direction[free[static_cast<size_t>(i)]] = step[i];

    double t = 1.0;
    bool moved = false;
    for (int halving = 0; halving < 50; ++halving, t *= 0.5) {
      Weights next = (w + t * direction).cwiseMax(0.0);
      const double value = loss(next);
      if (value <= current + 1e-4 * gradient.dot(next - w)) {
        moved = (next - w).cwiseAbs().maxCoeff() > 0.0;
        w = next;
        current = value;
        break;
      }
    }
    if (!moved) break;
  }
  return Normalised(w);
}

}  // namespace expectmatch::tuning
