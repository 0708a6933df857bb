#include "expectmatch/service/key_cache.h"

#include <mutex>
#include <utility>

namespace expectmatch::service {

KeyCache::KeyCache(store::Store& store, std::chrono::milliseconds ttl, Now now, size_t capacity)
    : store_(store), ttl_(ttl), now_(std::move(now)), capacity_(capacity) {}

std::optional<Principal> KeyCache::Authenticate(std::string_view authorization) {
  std::optional<std::string_view> secret = BearerSecret(authorization);
  if (!secret) return std::nullopt;
  const std::string hash = HashSecret(*secret);
  // Read before the lookup below: a revocation committed after it changes the count, so an
  // entry made from a lookup that may predate the revocation is not trusted again.
  const uint64_t revocations = store_.api_key_revocations();
  const Instant now = now_();
  {
    std::shared_lock lock(mutex_);
    auto found = entries_.find(hash);
    if (found != entries_.end() && found->second.revocations == revocations &&
        now - found->second.looked_up < ttl_)
      return found->second.principal;
  }
  std::optional<Principal> principal = PrincipalOf(store_.FindApiKeyByHash(hash));
  std::unique_lock lock(mutex_);
  ++store_lookups_;
  if (!principal) {
    entries_.erase(hash);
    return std::nullopt;
  }
  // Beyond the capacity the oldest keys are as likely to come back as any: start afresh.
  if (entries_.size() >= capacity_ && !entries_.count(hash)) entries_.clear();
  entries_[hash] = Entry{*principal, now, revocations};
  return principal;
}

size_t KeyCache::size() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

uint64_t KeyCache::store_lookups() const {
  std::shared_lock lock(mutex_);
  return store_lookups_;
}

}  // namespace expectmatch::service
