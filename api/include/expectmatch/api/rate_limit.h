// Rate limiting: one token bucket per key, refilled at `per_second` tokens a second up to
// `burst`; a request takes one token. The service keys one limiter by the authenticated
// principals' public ids (bounded by the keys in the store) and another by client address for
// the requests without a valid key; buckets that have refilled are forgotten once there are
// more than `max_buckets`, so a flood of addresses cannot grow the map for ever. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace expectmatch::api {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // REQUIRES: per_second > 0 and burst >= 1.
  RateLimiter(double per_second, double burst, size_t max_buckets = 100000)
      : per_second_(per_second), burst_(burst), max_buckets_(max_buckets) {}

  // Takes a token from `key`'s bucket (a new key starts full). Returns nullopt when the
  // request may go on, else the seconds until a token will be there (> 0).
  std::optional<double> Take(const std::string& key, Clock::time_point now = Clock::now());
  // The seconds until `key`'s bucket holds a token (nullopt: it holds one now), taking none.
  std::optional<double> Wait(const std::string& key, Clock::time_point now = Clock::now());
  size_t buckets() const;

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  void Refill(Bucket& bucket, Clock::time_point now) const;
  // Forgets the buckets that are full again (as a new one would be) when there are too many.
  void Prune(Clock::time_point now);

  const double per_second_;
  const double burst_;
  const size_t max_buckets_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace expectmatch::api
