// How embassies word the needs they relay: the foreign partner's name as someone typed it
// (another generic prefix, no prefix, capitals, no accents, St for Saint, a typo), and a
// description in free French prose rather than one template.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "expectmatch/matcher/model.h"
#include "generator_random.h"
#include "generator_tables.h"

namespace expectmatch::synth::internal {

// The share of needs naming a partner French authorities already cooperate with whose partner
// is written as typed (no id, or the id in another case, and a variant of the name) rather than
// copied from the cooperation. A variant that would designate another partner of the country is
// not used, so the share drawn is slightly below this.
inline constexpr double kTypedPartnerShare = 0.4;

// The key two spellings of one partner name share, as the partner resolver compares them:
// folded (understanding::Fold: case, accents, punctuation and hyphens), generic words of local
// authorities stripped ("commune de", "city of", "prefeitura de", "… municipality"), "st"
// read as "saint". "Mairie de St-Louis" and "Commune de Saint Louis" -> "saint louis".
std::string PartnerKey(std::string_view name);

// The partner names of each country a data set holds, by key, to check that a typed spelling
// designates its own partner only.
class PartnerBook {
 public:
  explicit PartnerBook(size_t countries);
  void Add(size_t country, std::string_view name);
  // Whether `spelling` has the key of a name of `country` other than `name`, or a key one
  // transposition of adjacent characters away from it.
  bool Conflicts(size_t country, std::string_view spelling, std::string_view name);

 private:
  std::vector<std::vector<std::string>> names_;
  // Per country, key -> the name having it, or "" when several do; names are keyed when first
  // asked about, since folding is the costly part.
  std::vector<std::unordered_map<std::string, std::string>> keys_;
  std::vector<size_t> keyed_;
};

// `partner` as an embassy of a country whose needs use `languages` may type it: no id (or its id
// in another case) and a name that differs from the recorded one. nullopt when every variant
// drawn would designate another partner in the book.
std::optional<matcher::Partner> TypedPartner(Rng& rng, const matcher::Partner& partner,
                                             size_t country, NeedLanguages languages,
                                             PartnerBook& book);

// A need's theme for its description: the taxonomy's id and infinitive phrase.
struct ThemePhrase {
  std::string_view id;
  std::string_view phrase;
};

inline constexpr size_t kMaxDescriptionBytes = 1500;

// A French description of a need of `partner_name` (the recorded name): one of several
// openings, structures, registers and politeness formulas, each theme's phrase or a paraphrase
// in the domain's vocabulary, and sometimes the mission's length and team. At most
// kMaxDescriptionBytes bytes.
std::string NeedDescription(Rng& rng, std::string_view partner_name,
                            const std::vector<ThemePhrase>& themes, int days, int experts);

// Words `need`, whose country is Countries()[country] and whose partner is the recorded one:
// for a `known` partner (one of the cooperations'), with probability kTypedPartnerShare, the
// partner as typed; a new partner whose name would designate another partner of the country is
// drawn again (then added to the book); the description from the recorded name. Draws from
// `wording` only.
void WordNeed(Rng& wording, bool known, size_t country, PartnerBook& book, matcher::Need* need,
              const std::vector<ThemePhrase>& phrases, int days);

// The stream a need's wording draws from, seeded by two draws of `rng` (the number the former
// single template took), so that every other field of a seed's needs draws as before.
inline Rng WordingStream(Rng& rng, uint64_t stream) {
  uint64_t seed = rng.Next(), other = rng.Next();
  return Rng(seed ^ ((other << 32) | (other >> 32)), stream);
}

}  // namespace expectmatch::synth::internal
