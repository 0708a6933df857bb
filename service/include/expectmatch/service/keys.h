// API keys and roles: bearer keys, stored hashed, each with a role and, for an embassy, the one
// country it may act for, for a collectivité, the one authority it speaks for.
//
// Keys are 256-bit random secrets (OpenSSL RAND_bytes), shown once at creation; the store keeps
// only their SHA-256. A fast hash is enough here because the secrets are random, not chosen by
// people: there is nothing to guess from a leaked hash. Thread-safe (stateless functions).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "expectmatch/store/store.h"

namespace expectmatch::service {

enum class Role { kDaect, kAnalyst, kEmbassy, kCollectivite };

std::string_view RoleName(Role role);
std::optional<Role> RoleFromName(std::string_view name);

// Who is calling: the key's public id (never the secret), its role and, for an embassy, its
// country, for a collectivité, its authority's id.
struct Principal {
  std::string key_id;
  Role role = Role::kAnalyst;
  std::string country;
  std::string collectivite;

  // Whether this caller may act on a need of `need_country` as such (list it, read it, match
  // it): an embassy only on its own country's, a collectivité on none (it sees a need through
  // the proposals made to it), everyone else on all. The one place where that scoping is
  // decided.
  bool MayActFor(std::string_view need_country) const;
  // Whether this caller may see what concerns the authority `id` (its record, the proposals
  // made to it, its missions): a collectivité only its own, an embassy none, DAECT and
  // analysts all.
  bool MaySeeCollectivite(std::string_view id) const;
};

// Hex SHA-256 of a key's secret.
std::string HashSecret(std::string_view secret);

struct NewKey {
  std::string id;      // "k_" + 8 hex digits
  std::string secret;  // "emk_" + 64 hex digits; shown once, never stored
};
// REQUIRES: `scope` is a valid ISO country code when role is kEmbassy, a known authority's id
// when it is kCollectivite, empty otherwise.
NewKey CreateApiKey(store::Store& store, Role role, const std::string& scope,
                    const std::string& label);

// The principal of an `Authorization: Bearer <secret>` header value; nullopt when the header
// is missing or malformed, or the key unknown or revoked.
std::optional<Principal> Authenticate(store::Store& store, std::string_view authorization);

// The secret of an `Authorization: Bearer <secret>` header value; nullopt when the header is
// missing or malformed (another scheme, no secret, a secret over 256 bytes).
std::optional<std::string_view> BearerSecret(std::string_view authorization);
// The principal of a stored key; nullopt when there is none, it is revoked or its role unknown.
std::optional<Principal> PrincipalOf(const std::optional<store::ApiKeyRow>& row);

// On first start: when the store has no valid DAECT key, creates one and writes its secret to
// `path` (permissions 0600, the folder created if needed). Returns the new secret, or nullopt
// when a DAECT key already exists. Throws std::runtime_error when the file cannot be written.
std::optional<std::string> EnsureBootstrapKey(store::Store& store,
                                              const std::filesystem::path& path);

}  // namespace expectmatch::service
