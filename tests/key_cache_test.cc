// The cache of API keys' principals: what it holds, for how long, and what makes it forget.
#include "expectmatch/service/key_cache.h"

#include <gtest/gtest.h>

#include "testutil.h"

namespace expectmatch::service {
namespace {

using std::chrono::milliseconds;

class KeyCacheTest : public ::testing::Test {
 protected:
  KeyCache::Instant now_ = KeyCache::Instant() + std::chrono::hours(1);
  testing::ScratchDir dir_;
  store::Store store_{dir_.path() / "keys.db"};
  KeyCache cache_{store_, milliseconds(1000), [this] { return now_; }, 3};

  static std::string Bearer(const NewKey& key) { return "Bearer " + key.secret; }
};

TEST_F(KeyCacheTest, AKnownKeyIsLookedUpOnceASecond) {
  NewKey key = CreateApiKey(store_, Role::kEmbassy, "SN", "Dakar");
  for (int i = 0; i < 5; ++i) {
    std::optional<Principal> principal = cache_.Authenticate(Bearer(key));
    ASSERT_TRUE(principal) << i;
    EXPECT_EQ(principal->key_id, key.id);
    EXPECT_EQ(principal->role, Role::kEmbassy);
    EXPECT_EQ(principal->country, "SN");
  }
  EXPECT_EQ(cache_.store_lookups(), 1u);
  now_ += milliseconds(999);
  ASSERT_TRUE(cache_.Authenticate(Bearer(key)));
  EXPECT_EQ(cache_.store_lookups(), 1u);
  now_ += milliseconds(1);  // a second after the lookup: looked up again
  ASSERT_TRUE(cache_.Authenticate(Bearer(key)));
  EXPECT_EQ(cache_.store_lookups(), 2u);
}

TEST_F(KeyCacheTest, ARevocationInThisProcessIsSeenAtOnce) {
  NewKey key = CreateApiKey(store_, Role::kDaect, "", "");
  ASSERT_TRUE(cache_.Authenticate(Bearer(key)));
  ASSERT_TRUE(store_.RevokeApiKey(key.id));
  EXPECT_FALSE(cache_.Authenticate(Bearer(key)));
  EXPECT_EQ(cache_.size(), 0u);
}

// Another Store on the same file is what the `keys revoke` command is: this process is not told,
// so the entry serves until its second is over, and not one instant more.
TEST_F(KeyCacheTest, ARevocationByAnotherProcessIsSeenWithinTheSecond) {
  NewKey key = CreateApiKey(store_, Role::kAnalyst, "", "");
  NewKey other_key = CreateApiKey(store_, Role::kAnalyst, "", "");
  ASSERT_TRUE(cache_.Authenticate(Bearer(key)));
  ASSERT_TRUE(cache_.Authenticate(Bearer(other_key)));
  store::Store other(dir_.path() / "keys.db");
  ASSERT_TRUE(other.RevokeApiKey(key.id));
  now_ += milliseconds(999);
  EXPECT_TRUE(cache_.Authenticate(Bearer(key)));
  now_ += milliseconds(1);
  EXPECT_FALSE(cache_.Authenticate(Bearer(key)));
  EXPECT_TRUE(cache_.Authenticate(Bearer(other_key)));  // the others stay valid
  EXPECT_EQ(cache_.size(), 1u);
}

TEST_F(KeyCacheTest, UnknownAndMalformedKeysAreNeverHeld) {
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(cache_.Authenticate("Bearer emk_guess" + std::to_string(i)));
  EXPECT_EQ(cache_.size(), 0u);
  EXPECT_EQ(cache_.store_lookups(), 5u);  // every guess costs a lookup, as without the cache
  EXPECT_FALSE(cache_.Authenticate(""));
  EXPECT_FALSE(cache_.Authenticate("Basic abc"));
  EXPECT_FALSE(cache_.Authenticate("Bearer " + std::string(257, 'a')));
  EXPECT_EQ(cache_.store_lookups(), 5u);  // refused before any lookup
}

TEST_F(KeyCacheTest, BeyondItsCapacityItStartsAfresh) {
  std::vector<NewKey> keys;
  for (int i = 0; i < 4; ++i) keys.push_back(CreateApiKey(store_, Role::kAnalyst, "", ""));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(cache_.Authenticate(Bearer(keys[i])));
  EXPECT_EQ(cache_.size(), 3u);
  ASSERT_TRUE(cache_.Authenticate(Bearer(keys[0])));  // held: no room needed
  EXPECT_EQ(cache_.size(), 3u);
  ASSERT_TRUE(cache_.Authenticate(Bearer(keys[3])));
  EXPECT_EQ(cache_.size(), 1u);
  EXPECT_EQ(cache_.store_lookups(), 4u);
}

}  // namespace
}  // namespace expectmatch::service
