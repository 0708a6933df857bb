// Random draws for the synthetic data set generator.
//
// xoshiro256** seeded through splitmix64, and the few distributions the generator needs, written
// with IEEE basic operations only (no std:: distributions, no libm transcendental functions), so
// that a seed draws the same values with every compiler and standard library.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "expectmatch/tuning/split_mix.h"

namespace expectmatch::synth::internal {

inline constexpr double kLn2 = 0.693147180559945309417232121458176568;

// e^x for |x| < 700: range reduction by powers of two, then a Taylor series.
inline double Exp(double x) {
  double k = std::floor(x / kLn2 + 0.5);
  double r = x - k * kLn2;
  double sum = 1.0, term = 1.0;
  for (int i = 1; i <= 20; ++i) {
    term *= r / i;
    sum += term;
  }
  return std::ldexp(sum, static_cast<int>(k));
}

// ln x for x > 0: mantissa in [√½, √2), then the atanh series.
inline double Log(double x) {
  int exponent = 0;
  double m = std::frexp(x, &exponent);
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    --exponent;
  }
  double s = (m - 1.0) / (m + 1.0);
  double s2 = s * s, term = s, sum = 0.0;
  for (int i = 1; i < 40; i += 2) {
    sum += term / i;
    term *= s2;
  }
  return 2.0 * sum + exponent * kLn2;
}

class Rng {
 public:
  // `stream` separates independent sequences drawn from the same seed.
  Rng(uint64_t seed, uint64_t stream) {
    uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
    for (uint64_t& s : state_) s = tuning::SplitMix(&x);
  }

  uint64_t Next() {
    uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n); REQUIRES: 0 < n < 2^52.
  size_t Below(size_t n) {
    size_t k = static_cast<size_t>(Uniform() * static_cast<double>(n));
    return k < n ? k : n - 1;
  }
  // Uniform in [lo, hi]; REQUIRES: lo <= hi.
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<size_t>(hi - lo) + 1));
  }
  bool Chance(double p) { return Uniform() < p; }

  // Approximately standard normal (Irwin–Hall sum of 12 uniforms), within ±6.
  double Normal() {
    double sum = 0.0;
    for (int i = 0; i < 12; ++i) sum += Uniform();
    return sum - 6.0;
  }
  double LogNormal(double median, double sigma) { return median * Exp(sigma * Normal()); }
  // Pareto with minimum `scale` and tail index `alpha`: P(X > x) = (scale / x)^alpha.
  double Pareto(double scale, double alpha) { return scale * Exp(-Log(1.0 - Uniform()) / alpha); }

  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

  template <typename T>
  void Shuffle(std::vector<T>* items) {
    for (size_t i = items->size(); i > 1; --i) std::swap((*items)[i - 1], (*items)[Below(i)]);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

// Draws indices with probability proportional to non-negative weights.
class WeightedIndex {
 public:
  WeightedIndex() = default;
  explicit WeightedIndex(const std::vector<double>& weights) {
    cumulative_.reserve(weights.size());
    double total = 0.0;
    for (double w : weights) cumulative_.push_back(total += w);
  }
  bool empty() const { return cumulative_.empty() || cumulative_.back() <= 0.0; }
  // REQUIRES: !empty().
  size_t Draw(Rng& rng) const {
    double target = rng.Uniform() * cumulative_.back();
    auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
    return std::min(static_cast<size_t>(it - cumulative_.begin()), cumulative_.size() - 1);
  }

 private:
  std::vector<double> cumulative_;
};

// The factor c for which Σ min(1, c·gᵢ) = target, so that drawing each i with probability
// min(1, c·gᵢ) selects `target` items on average, favouring large gᵢ.
inline double CalibrateScale(const std::vector<double>& g, double target) {
  auto expected = [&g](double c) {
    double sum = 0.0;
    for (double x : g) sum += std::min(1.0, c * x);
    return sum;
  };
  double lo = 0.0, hi = 1.0;
  for (int i = 0; i < 200 && expected(hi) < target; ++i) hi *= 4.0;
  for (int i = 0; i < 60; ++i) {
    double mid = 0.5 * (lo + hi);
    (expected(mid) < target ? lo : hi) = mid;
  }
  return hi;
}

// Splits `total` among weights by the largest-remainder method (ties to the earlier index), so
// that the shares follow the weights exactly and a larger weight never gets less.
inline std::vector<size_t> Apportion(const std::vector<double>& weights, size_t total) {
  double sum = 0.0;
  for (double w : weights) sum += w;
  std::vector<size_t> out(weights.size(), 0);
  if (sum <= 0.0) return out;
  std::vector<std::pair<double, size_t>> remainders;
  size_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    double exact = weights[i] * static_cast<double>(total) / sum;
    out[i] = static_cast<size_t>(exact);
    given += out[i];
    remainders.push_back({exact - static_cast<double>(out[i]), i});
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < total; ++k, ++given) ++out[remainders[k % remainders.size()].second];
  return out;
}

}  // namespace expectmatch::synth::internal
