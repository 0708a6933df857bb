// Weight profiles: the one resolver of a profile name (and version) into the weights a ranking
// uses, and the profiles' use cases (list, read with its versions, save a new version).
//
// The latest version of every profile is cached as an immutable map behind a shared_ptr, so
// resolving takes no lock; Reload() swaps in a new map after a save. Thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/matcher/profile.h"
#include "expectmatch/service/status.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

// A stored profile version as the engine takes it. Throws std::runtime_error when the stored
// weights are not a complete, valid weights object.
matcher::Profile ProfileFromRow(const store::ProfileRow& row);
// Stores the built-in profiles (matcher::BuiltinProfiles) when the store has no profile.
void EnsureBuiltinProfiles(store::Store& store);
// A profile as the API shows it: name, version, description, weights.
datasets::Json EncodeProfile(const matcher::Profile& profile);

class ProfileResolver {
 public:
  using ProfileMap = std::map<std::string, matcher::Profile>;

  // `store` may be null (a data set folder without a database): the built-in profiles only.
  // Otherwise it must outlive the resolver.
  explicit ProfileResolver(store::Store* store);

  // The profile `name` at `version` (read from the store), or its latest version: the store's,
  // else the built-in one of that name. NotFound (naming /profile, or /profile_version when a
  // version was asked) when there is none.
  Status Resolve(const std::string& name, std::optional<int> version,
                 matcher::Profile* profile) const;
  // The latest version of `name` (the store's, else the built-in one), or nullopt.
  std::optional<matcher::Profile> Latest(const std::string& name) const;
  // The latest version of every stored profile, by name.
  std::shared_ptr<const ProfileMap> latest() const { return std::atomic_load(&latest_); }
  // Re-reads the latest versions from the store.
  void Reload() const;

  // GET /v1/profiles: {"items": [...], "total"}.
  datasets::Json List() const;
  // GET /v1/profiles/{name}: the profile at `version` (latest when absent) with its versions.
  Status Get(const std::string& name, const std::multimap<std::string, std::string>& query,
             datasets::Json* profile) const;
  // Malformed unless `name` is 1 to 64 of a-z, 0-9, _ and -.
  static Status CheckName(const std::string& name);
  // PUT /v1/profiles/{name}: validates `body` and stores it as a new version (version 1 for a
  // new profile: `(*profile)["version"]`). REQUIRES: a store.
  Status Save(const std::string& name, const datasets::Json& body, datasets::Json* profile) const;

 private:
  store::Store* store_;
  mutable std::shared_ptr<const ProfileMap> latest_;
};

}  // namespace expectmatch::service
