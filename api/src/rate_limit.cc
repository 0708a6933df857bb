#include "expectmatch/api/rate_limit.h"

#include <algorithm>

namespace expectmatch::api {

std::optional<double> RateLimiter::Take(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!fresh && now > bucket.updated) {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * per_second_);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  return (1.0 - bucket.tokens) / per_second_;
}

}  // namespace expectmatch::api
