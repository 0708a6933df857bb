// Per-key rate limiting: one token bucket per API key, refilled at `per_second`
// tokens a second up to `burst`; a request takes one token. Keys are the authenticated
// principals' public ids, so the number of buckets is bounded by the keys in the store.
// Thread-safe.
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
  RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(burst) {}

  // Takes a token from `key`'s bucket (a new key starts full). Returns nullopt when the
  // request may go on, else the seconds until a token will be there (> 0).
  std::optional<double> Take(const std::string& key, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  const double per_second_;
  const double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace expectmatch::api
