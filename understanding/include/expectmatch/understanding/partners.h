// Foreign partner authorities as entities, and recognising one from what an embassy typed.
//
// The cooperation records and the needs name foreign partners as `{id?, name}`. A
// PartnerDirectory turns them into entities (one per id; a partner known only by name gets an
// id made from its country and name), adds the aliases DAECT recorded and applies its merges.
// A PartnerResolver takes (country, free text) and returns the entities of that country the
// text may designate, best first, with the one it is confident about. Engine-side: no HTTP, no
// SQL. Both are immutable once built, hence thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "expectmatch/matcher/model.h"

namespace expectmatch::understanding {

// A foreign local authority.
struct PartnerEntity {
  std::string id;       // canonical id, e.g. "SN-fatick"
  std::string country;  // ISO 3166-1 alpha-2
  std::string name;     // the name the records give, e.g. "Commune de Fatick"
  std::vector<std::string> aliases;     // other spellings recorded, in recording order
  std::vector<std::string> merged_ids;  // ids of the records merged into this one
};

// A spelling DAECT (or a decision on a need whose partner was typed) attached to a partner.
struct PartnerAlias {
  std::string partner;  // partner id
  std::string alias;
};

// DAECT's merge of two records of the same authority: `from` becomes an alias of `into`.
struct PartnerMerge {
  std::string from;  // partner id
  std::string into;  // partner id
};

class PartnerDirectory {
 public:
  PartnerDirectory() = default;
  // Entities from the cooperations, then the needs (a partner with an id the cooperations do not
  // know becomes an entity too), then the aliases (an alias of an unknown id is ignored), then
  // the merges in order (a merge naming an unknown id, or two countries, is ignored; merges
  // chain: merging A into B then B into C leaves C).
  PartnerDirectory(const matcher::Dataset& dataset, std::span<const PartnerAlias> aliases,
                   std::span<const PartnerMerge> merges);

  // The entity `id` designates, ids compared case-insensitively, following merges; null when
  // none.
  const PartnerEntity* Find(std::string_view id) const;
  // The entity a record's partner designates (by id when it has one, else by its exact name in
  // `country`); null when none.
  const PartnerEntity* Canonical(std::string_view country, const matcher::Partner& partner) const;
  const std::vector<PartnerEntity>& entities() const { return entities_; }

 private:
  friend class PartnerResolver;
  std::vector<PartnerEntity> entities_;
  // Implementation-defined lookup structures (ids, names by country).
  struct Index;
  std::shared_ptr<const Index> index_;
};

// How a text was recognised as a partner.
enum class MatchKind {
  kId,     // the partner's id (case-insensitively)
  kName,   // its name, once folded and stripped of generic words
  kAlias,  // one of its aliases, likewise
  kFuzzy,  // a name or alias, up to typos
};

struct PartnerCandidate {
  const PartnerEntity* partner = nullptr;
  double score = 0;     // in [0, 1]; 1 for an exact id, name or alias
  MatchKind kind = MatchKind::kFuzzy;
  std::string matched;  // the name, alias or id that matched, as recorded
};

struct PartnerResolution {
  // The best candidate when its score reaches PartnerResolver::kResolveThreshold and no other
  // entity is as good; nullopt is a normal answer ("no partner").
  std::optional<PartnerCandidate> resolved;
  std::vector<PartnerCandidate> candidates;  // best first, at most `limit`
};

class PartnerResolver {
 public:
  // The score from which a candidate is resolved, chosen on the hand-written evaluation set
  // (docs/understanding.md gives the measurement).
  static const double kResolveThreshold;

  // `directory` must outlive this object.
  explicit PartnerResolver(const PartnerDirectory& directory);

  // The partners of `country` (ISO alpha-2, any case) that `text` (a name or an id, any
  // spelling) may designate. Never returns a partner of another country. An empty or blank
  // text gives no candidate.
  PartnerResolution Resolve(std::string_view country, std::string_view text,
                            std::size_t limit = 5) const;

 private:
  const PartnerDirectory& directory_;
};

}  // namespace expectmatch::understanding
