#include "expectmatch/service/keys.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "expectmatch/service/clock.h"

namespace expectmatch::service {
namespace {

std::string Hex(const unsigned char* data, size_t size) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 15]);
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  std::string buffer(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(buffer.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("OpenSSL could not produce random bytes");
  }
  return Hex(reinterpret_cast<const unsigned char*>(buffer.data()), bytes);
}

}  // namespace

bool Principal::MayActFor(std::string_view need_country) const {
  if (role == Role::kCollectivite) return false;
  return role != Role::kEmbassy || need_country == country;
}

bool Principal::MaySeeCollectivite(std::string_view id) const {
  if (role == Role::kCollectivite) return id == collectivite;
  return role != Role::kEmbassy;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kDaect:
      return "daect";
    case Role::kAnalyst:
      return "analyst";
    case Role::kEmbassy:
      return "embassy";
    case Role::kCollectivite:
      return "collectivite";
  }
  return "";
}

std::optional<Role> RoleFromName(std::string_view name) {
  if (name == "daect") return Role::kDaect;
  if (name == "analyst") return Role::kAnalyst;
  if (name == "embassy") return Role::kEmbassy;
  if (name == "collectivite") return Role::kCollectivite;
  return std::nullopt;
}

std::string HashSecret(std::string_view secret) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(secret.data(), secret.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return Hex(digest, length);
}

NewKey CreateApiKey(store::Store& store, Role role, const std::string& scope,
                    const std::string& label) {
  NewKey key{"k_" + RandomHex(4), "emk_" + RandomHex(32)};
  const bool embassy = role == Role::kEmbassy, collectivite = role == Role::kCollectivite;
  store.InsertApiKey({key.id, HashSecret(key.secret), std::string(RoleName(role)),
                      embassy ? scope : "", label, NowRfc3339(), "", collectivite ? scope : ""});
  return key;
}

std::optional<std::string_view> BearerSecret(std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size() || authorization.substr(0, kScheme.size()) != kScheme)
    return std::nullopt;
  std::string_view secret = authorization.substr(kScheme.size());
  if (secret.size() > 256) return std::nullopt;
  return secret;
}

std::optional<Principal> PrincipalOf(const std::optional<store::ApiKeyRow>& row) {
  if (!row || !row->revoked_at.empty()) return std::nullopt;
  std::optional<Role> role = RoleFromName(row->role);
  if (!role) return std::nullopt;
  return Principal{row->id, *role, row->country, row->collectivite};
}

std::optional<Principal> Authenticate(store::Store& store, std::string_view authorization) {
  std::optional<std::string_view> secret = BearerSecret(authorization);
  if (!secret) return std::nullopt;
  return PrincipalOf(store.FindApiKeyByHash(HashSecret(*secret)));
}

std::optional<std::string> EnsureBootstrapKey(store::Store& store,
                                              const std::filesystem::path& path) {
  if (store.HasActiveKey("daect")) return std::nullopt;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  NewKey key = CreateApiKey(store, Role::kDaect, "", "clé DAECT créée au premier démarrage");
  // Created owner-only before the secret is written into it.
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (!file || chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0) {
    if (file) std::fclose(file);
    store.RevokeApiKey(key.id);
    throw std::runtime_error("cannot write the DAECT key file " + path.string());
  }
  std::fprintf(file, "%s\n", key.secret.c_str());
  std::fclose(file);
  return key.secret;
}

}  // namespace expectmatch::service
