// The principals of recently seen API keys, so that a request is authenticated without a
// SQLite lookup.
//
// Every request carries a key, and most carry one of a few: an embassy portal or the DAECT page
// sends the same key thousands of times an hour. An entry is trusted for `ttl` after its lookup
// (one second by default), then looked up again. A revocation made through the same Store object
// (in this process) empties the cache on the next request; one made by another process (the
// `expectmatch keys revoke` command while the server runs) takes effect within `ttl`. Unknown
// and revoked keys are never cached: a guess costs a lookup every time, as before, and cannot
// fill the memory. Thread-safe: lookups share a lock; a miss takes it alone to store its entry.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "expectmatch/service/keys.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

class KeyCache {
 public:
  using Instant = std::chrono::steady_clock::time_point;
  using Now = std::function<Instant()>;
  static constexpr std::chrono::milliseconds kDefaultTtl{1000};
  static constexpr size_t kDefaultCapacity = 10000;

  // `now` is the clock the entries' age is read on (tests give their own).
  explicit KeyCache(store::Store& store, std::chrono::milliseconds ttl = kDefaultTtl,
                    Now now = &std::chrono::steady_clock::now, size_t capacity = kDefaultCapacity);

  // As service::Authenticate: the principal of an `Authorization: Bearer <secret>` header value,
  // nullopt when missing, malformed, unknown or revoked.
  std::optional<Principal> Authenticate(std::string_view authorization);

  // How many keys are held; how many lookups reached the store (for tests and metrics).
  size_t size() const;
  uint64_t store_lookups() const;

 private:
  struct Entry {
    Principal principal;
    Instant looked_up;
    uint64_t revocations;  // the store's revocation count before the lookup
  };

  store::Store& store_;
  const std::chrono::milliseconds ttl_;
  const Now now_;
  const size_t capacity_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // by the hex SHA-256 of the secret
  uint64_t store_lookups_ = 0;                      // guarded by mutex_
};

}  // namespace expectmatch::service
