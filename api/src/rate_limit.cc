#include "expectmatch/api/rate_limit.h"

#include <algorithm>
#include <iterator>

namespace expectmatch::api {

void RateLimiter::Refill(Bucket& bucket, Clock::time_point now) const {
  if (now <= bucket.updated) return;
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  bucket.tokens = std::min(burst_, bucket.tokens + elapsed * per_second_);
  bucket.updated = now;
}

void RateLimiter::Prune(Clock::time_point now) {
  if (buckets_.size() < max_buckets_) return;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Refill(it->second, now);
    it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
}

std::optional<double> RateLimiter::Take(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto found = buckets_.find(key);
  if (found == buckets_.end()) {
    Prune(now);
    found = buckets_.emplace(key, Bucket{burst_, now}).first;
  }
  Bucket& bucket = found->second;
  Refill(bucket, now);
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  return (1.0 - bucket.tokens) / per_second_;
}

std::optional<double> RateLimiter::Wait(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto found = buckets_.find(key);
  if (found == buckets_.end()) return std::nullopt;
  Refill(found->second, now);
  if (found->second.tokens >= 1.0) return std::nullopt;
  return (1.0 - found->second.tokens) / per_second_;
}

size_t RateLimiter::buckets() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace expectmatch::api
