#include "expectmatch/understanding/partners.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "expectmatch/understanding/fold.h"
#include "expectmatch/understanding/partner_names.h"

namespace expectmatch::understanding {

namespace internal {
// understanding/data/partner_prefixes.json, embedded at build time (cmake/embed_json.cmake):
// kPartnerPrefixesJson holds kPartnerPrefixesJsonSize bytes and a terminating NUL.
extern const unsigned char kPartnerPrefixesJson[];
extern const std::size_t kPartnerPrefixesJsonSize;
}  // namespace internal

// Chosen on tests/data/partner_names_eval.json (docs/understanding.md, « Partners »): at most one
// edit per six letters. The worst right answers of the evaluation set score 0.833 (one letter
// missing or transposed in a six-letter name), the best unknown town 0.818 (two edits in eleven
// letters: Antsiranana for Atsinanana), the next unknown or foreign name 0.667.
const double PartnerResolver::kResolveThreshold = 0.83;

namespace {

using Words = std::vector<std::string>;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  const auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string Join(const Words& words, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i) out += separator;
    out += words[i];
  }
  return out;
}

// The word lists of partner_prefixes.json, folded; multi-word entries as word sequences,
// longest first so that "commune urbaine" is tried before "commune".
struct NameRules {
  std::vector<Words> heads, connectors, articles, suffixes;
  std::unordered_set<std::string> saint, elisions;
};

std::vector<Words> FoldedPhrases(const nlohmann::json& list) {
  std::vector<Words> phrases;
  for (const auto& entry : list) {
    Words words = FoldedWords(entry.get<std::string>());
    if (!words.empty()) phrases.push_back(std::move(words));
  }
  std::stable_sort(phrases.begin(), phrases.end(),
                   [](const Words& a, const Words& b) { return a.size() > b.size(); });
  return phrases;
}

const NameRules& Rules() {
  static const NameRules rules = [] {
    const auto json = nlohmann::json::parse(
        std::string_view(reinterpret_cast<const char*>(internal::kPartnerPrefixesJson),
                         internal::kPartnerPrefixesJsonSize));
    NameRules r;
    r.heads = FoldedPhrases(json.at("heads"));
    r.connectors = FoldedPhrases(json.at("connectors"));
    r.articles = FoldedPhrases(json.at("articles"));
    r.suffixes = FoldedPhrases(json.at("suffixes"));
    for (const auto& s : json.at("saint")) r.saint.insert(Fold(s.get<std::string>()));
    for (const auto& s : json.at("elisions")) r.elisions.insert(Fold(s.get<std::string>()));
    return r;
  }();
  return rules;
}

// Length of the first phrase of `phrases` that `words` starts with at `at`, leaving at least
// one word after it; 0 when none.
size_t MatchAt(const Words& words, size_t at, const std::vector<Words>& phrases) {
  for (const Words& phrase : phrases) {
    if (at + phrase.size() >= words.size()) continue;
    if (std::equal(phrase.begin(), phrase.end(), words.begin() + static_cast<ptrdiff_t>(at)))
      return phrase.size();
  }
  return 0;
}

// The words of a name without elisions and without its generic prefix (heads, connectors, and
// articles only when `strip_articles`), repeatedly.
Words CoreWords(std::string_view name, bool strip_articles) {
  const NameRules& rules = Rules();
  Words folded = FoldedWords(name), words;
  for (size_t i = 0; i < folded.size(); ++i) {
    if (i + 1 < folded.size() && rules.elisions.count(folded[i])) continue;
    words.push_back(std::move(folded[i]));
  }
  size_t start = 0;
  for (bool progress = true; progress;) {
    progress = false;
    if (size_t n = MatchAt(words, start, rules.heads)) {
      start += n;
      start += MatchAt(words, start, rules.connectors);
      progress = true;
    }
    if (strip_articles) {
      if (size_t n = MatchAt(words, start, rules.articles)) {
        start += n;
        progress = true;
      }
    }
  }
  words.erase(words.begin(), words.begin() + static_cast<ptrdiff_t>(start));
  return words;
}

}  // namespace

namespace internal {

std::string PartnerSlug(std::string_view name) { return Join(CoreWords(name, false), "-"); }

NormalisedName NormaliseName(std::string_view name) {
  const NameRules& rules = Rules();
  Words words = CoreWords(name, true);
  // Generic words at the end ("Kisumu County", "Quebec City").
  for (bool progress = true; progress && words.size() > 1;) {
    progress = false;
    for (const Words& suffix : rules.suffixes) {
      if (suffix.size() >= words.size()) continue;
      if (std::equal(suffix.begin(), suffix.end(),
                     words.end() - static_cast<ptrdiff_t>(suffix.size()))) {
        words.resize(words.size() - suffix.size());
        progress = true;
        break;
      }
    }
  }
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (rules.saint.count(words[i])) words[i] = "saint";
  }
  NormalisedName out;
  out.compact = Join(words, "");
  std::sort(words.begin(), words.end());
  out.sorted = Join(words, "");
  return out;
}

int OptimalStringAlignment(std::string_view a, std::string_view b) {
  // Damerau–Levenshtein restricted to non-overlapping edits: insertions, deletions,
  // substitutions and transpositions of adjacent letters each cost 1.
  const size_t n = a.size(), m = b.size();
  if (n == 0) return static_cast<int>(m);
  if (m == 0) return static_cast<int>(n);
  thread_local std::vector<int> rows;
  rows.assign(3 * (m + 1), 0);
  int* two_back = rows.data();
  int* previous = two_back + (m + 1);
  int* current = previous + (m + 1);
  for (size_t j = 0; j <= m; ++j) previous[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    current[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int best = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = std::min(best, two_back[j - 2] + 1);
      current[j] = best;
    }
    std::swap(two_back, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

double EditSimilarity(std::string_view a, std::string_view b) {
  const size_t longest = std::max(a.size(), b.size());
  if (longest == 0) return 0;
  return 1.0 - static_cast<double>(OptimalStringAlignment(a, b)) / static_cast<double>(longest);
}

}  // namespace internal

namespace {

using internal::NormalisedName;

// Trigrams of "^" + text + "$", as 24-bit keys (duplicates kept once).
std::vector<uint32_t> Trigrams(std::string_view text) {
  std::string padded = "^";
  padded += text;
  padded += '$';
  std::vector<uint32_t> out;
  for (size_t i = 0; i + 3 <= padded.size(); ++i) {
    out.push_back(static_cast<uint32_t>(static_cast<unsigned char>(padded[i])) << 16 |
                  static_cast<uint32_t>(static_cast<unsigned char>(padded[i + 1])) << 8 |
                  static_cast<uint32_t>(static_cast<unsigned char>(padded[i + 2])));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

// A name or alias of an entity, normalised.
struct Form {
  uint32_t entity = 0;
  bool alias = false;
  std::string recorded;  // as recorded
  NormalisedName key;
  uint32_t trigrams = 0;  // how many distinct trigrams of key.compact and key.sorted
};

struct CountryIndex {
  std::vector<Form> forms;
  std::unordered_map<std::string, std::vector<uint32_t>> by_compact, by_sorted;  // form numbers
  std::unordered_map<std::string, uint32_t> by_slug;  // lower-case slug part of ids -> entity
  std::unordered_map<uint32_t, std::vector<uint32_t>> by_trigram;  // -> form numbers
};

struct PartnerDirectory::Index {
  std::unordered_map<std::string, uint32_t> by_id;    // lower-case id (merged ids too) -> entity
  std::unordered_map<std::string, uint32_t> by_name;  // country + "\n" + Fold(name or alias)
  std::unordered_map<std::string, CountryIndex> countries;
};

namespace {

std::vector<uint32_t> FormTrigrams(const NormalisedName& key) {
  std::vector<uint32_t> grams = Trigrams(key.compact);
  if (key.sorted != key.compact) {
    std::vector<uint32_t> more = Trigrams(key.sorted);
    grams.insert(grams.end(), more.begin(), more.end());
    std::sort(grams.begin(), grams.end());
    grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
  }
  return grams;
}

void AddUnique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

PartnerDirectory::PartnerDirectory(const matcher::Dataset& dataset,
                                   std::span<const PartnerAlias> aliases,
                                   std::span<const PartnerMerge> merges) {
  auto index = std::make_shared<Index>();
  std::vector<bool> merged_away;
  std::vector<uint32_t> redirect;  // entity -> the entity it was merged into (itself if none)
  const auto follow = [&](uint32_t e) {
    while (redirect[e] != e) e = redirect[e];
    return e;
  };
  const auto find = [&](std::string_view id) -> std::optional<uint32_t> {
    auto it = index->by_id.find(Lower(id));
    if (it == index->by_id.end()) return std::nullopt;
    return follow(it->second);
  };
  const auto add_alias = [&](uint32_t e, const std::string& alias) {
    PartnerEntity& entity = entities_[e];
    if (alias.empty() || alias == entity.name) return;
    AddUnique(entity.aliases, alias);
  };
  const auto create = [&](std::string id, const std::string& country, const std::string& name) {
    const auto e = static_cast<uint32_t>(entities_.size());
    index->by_id.emplace(Lower(id), e);
    entities_.push_back({std::move(id), country, name, {}, {}});
    redirect.push_back(e);
    merged_away.push_back(false);
    return e;
  };
  const auto add_record = [&](const std::string& country, const matcher::Partner& partner) {
    if (!partner.id.empty()) {
      if (auto e = find(partner.id)) {
        add_alias(*e, partner.name);  // another spelling of the same id
      } else {
        create(partner.id, country, partner.name);
      }
      return;
    }
    const std::string name_key = country + "\n" + Fold(partner.name);
    if (index->by_name.count(name_key)) return;
    // Known by name only: the id made from its country and core name; a record that already
    // has this id (same country, same core name) is the same authority.
    const std::string id = country + "-" + internal::PartnerSlug(partner.name);
    std::optional<uint32_t> e = find(id);
    if (e && entities_[*e].country == country) {
      add_alias(*e, partner.name);
    } else if (!e) {
      e = create(id, country, partner.name);
    } else {
      return;  // an id of another country: left unnamed rather than mixed up
    }
    index->by_name.emplace(name_key, *e);
  };
  for (const matcher::Cooperation& c : dataset.cooperations) add_record(c.country, c.partner);
  for (const matcher::Need& n : dataset.needs) add_record(n.country, n.partner);
  for (const PartnerAlias& alias : aliases) {
    if (auto e = find(alias.partner)) add_alias(*e, alias.alias);
  }
  for (const PartnerMerge& merge : merges) {
    const auto from = find(merge.from), into = find(merge.into);
    if (!from || !into || *from == *into) continue;
    PartnerEntity& source = entities_[*from];
    PartnerEntity& target = entities_[*into];
    if (source.country != target.country) continue;
    add_alias(*into, source.name);
    for (const std::string& alias : source.aliases) add_alias(*into, alias);
    AddUnique(target.merged_ids, source.id);
    for (const std::string& id : source.merged_ids) AddUnique(target.merged_ids, id);
    redirect[*from] = *into;
    merged_away[*from] = true;
  }

  // Drop the merged entities; renumber.
  std::vector<uint32_t> number(entities_.size());
  std::vector<PartnerEntity> kept;
  for (uint32_t e = 0; e < entities_.size(); ++e) {
    if (merged_away[e]) continue;
    number[e] = static_cast<uint32_t>(kept.size());
    kept.push_back(std::move(entities_[e]));
  }
  for (uint32_t e = 0; e < entities_.size(); ++e) number[e] = number[follow(e)];
  entities_ = std::move(kept);
  for (auto& [id, e] : index->by_id) e = number[e];
  for (auto& [name, e] : index->by_name) e = number[e];

  for (uint32_t e = 0; e < entities_.size(); ++e) {
    const PartnerEntity& entity = entities_[e];
    CountryIndex& country = index->countries[entity.country];
    for (const std::string& alias : entity.aliases)
      index->by_name.emplace(entity.country + "\n" + Fold(alias), e);
    for (const std::string* id : [&] {
           std::vector<const std::string*> ids{&entity.id};
           for (const std::string& merged : entity.merged_ids) ids.push_back(&merged);
           return ids;
         }()) {
      const std::string lower = Lower(*id);
      const std::string prefix = Lower(entity.country) + "-";
      if (lower.size() > prefix.size() && lower.compare(0, prefix.size(), prefix) == 0)
        country.by_slug.emplace(lower.substr(prefix.size()), e);
    }
    const auto add_form = [&](const std::string& text, bool alias) {
      Form form{e, alias, text, internal::NormaliseName(text), 0};
      if (form.key.compact.empty()) return;
      const auto f = static_cast<uint32_t>(country.forms.size());
      country.by_compact[form.key.compact].push_back(f);
      country.by_sorted[form.key.sorted].push_back(f);
      const std::vector<uint32_t> grams = FormTrigrams(form.key);
      form.trigrams = static_cast<uint32_t>(grams.size());
      for (uint32_t gram : grams) country.by_trigram[gram].push_back(f);
      country.forms.push_back(std::move(form));
    };
    add_form(entity.name, false);
    for (const std::string& alias : entity.aliases) add_form(alias, true);
  }
  index_ = std::move(index);
}

const PartnerEntity* PartnerDirectory::Find(std::string_view id) const {
  if (!index_) return nullptr;
  auto it = index_->by_id.find(Lower(id));
  return it == index_->by_id.end() ? nullptr : &entities_[it->second];
}

const PartnerEntity* PartnerDirectory::Canonical(std::string_view country,
                                                 const matcher::Partner& partner) const {
  if (!index_) return nullptr;
  if (!partner.id.empty()) return Find(partner.id);
  auto it = index_->by_name.find(Upper(country) + "\n" + Fold(partner.name));
  return it == index_->by_name.end() ? nullptr : &entities_[it->second];
}

PartnerResolver::PartnerResolver(const PartnerDirectory& directory) : directory_(directory) {}

namespace {

// Candidates kept for the edit distance among the forms sharing trigrams with the text.
constexpr size_t kFuzzyShortlist = 24;
// Below this similarity a form is not worth listing.
constexpr double kFuzzyFloor = 0.5;
// The same words in another order.
constexpr double kWordOrderScore = 0.95;
// Longer texts are not names: no lookup beyond the id.
constexpr size_t kLongestName = 200;

int KindRank(MatchKind kind) { return static_cast<int>(kind); }

}  // namespace

PartnerResolution PartnerResolver::Resolve(std::string_view country, std::string_view text,
                                           std::size_t limit) const {
  PartnerResolution resolution;
  const PartnerDirectory::Index* index = directory_.index_.get();
  text = Trim(text);
  if (!index || text.empty()) return resolution;
  auto found = index->countries.find(Upper(country));
  if (found == index->countries.end()) return resolution;
  const CountryIndex& ci = found->second;
  const std::vector<PartnerEntity>& entities = directory_.entities_;

  std::unordered_map<uint32_t, PartnerCandidate> best;  // entity -> its best candidate
  const auto offer = [&](uint32_t e, double score, MatchKind kind, const std::string& matched) {
    auto [it, inserted] = best.try_emplace(e, PartnerCandidate{&entities[e], score, kind, matched});
    PartnerCandidate& c = it->second;
    if (!inserted && (score > c.score || (score == c.score && KindRank(kind) < KindRank(c.kind))))
      c = {&entities[e], score, kind, matched};
  };

  // An id, or the part of an id after its country ("fatick" for SN-fatick).
  const std::string lower = Lower(text);
  if (auto it = index->by_id.find(lower); it != index->by_id.end()) {
    const PartnerEntity& entity = entities[it->second];
    if (entity.country == found->first) {
      std::string matched = entity.id;
      for (const std::string& id : entity.merged_ids)
        if (Lower(id) == lower) matched = id;
      offer(it->second, 1.0, MatchKind::kId, matched);
    }
  }
  if (auto it = ci.by_slug.find(lower); it != ci.by_slug.end())
    offer(it->second, 1.0, MatchKind::kId, entities[it->second].id);

  const NormalisedName key = internal::NormaliseName(text);
  if (key.compact.empty()) {
    // Nothing but generic words or punctuation: only an id could have matched.
  } else if (key.compact.size() <= kLongestName) {
    const auto exact_kind = [&](const Form& f) {
      return f.alias ? MatchKind::kAlias : MatchKind::kName;
    };
    if (auto it = ci.by_compact.find(key.compact); it != ci.by_compact.end()) {
      for (uint32_t f : it->second) {
        const Form& form = ci.forms[f];
        offer(form.entity, 1.0, exact_kind(form), form.recorded);
      }
    }
    if (auto it = ci.by_sorted.find(key.sorted); it != ci.by_sorted.end()) {
      for (uint32_t f : it->second) {
        const Form& form = ci.forms[f];
        offer(form.entity, kWordOrderScore, exact_kind(form), form.recorded);
      }
    }
    // Typos: the forms sharing the most trigrams (Dice coefficient), then the edit distance.
    const std::vector<uint32_t> grams = FormTrigrams(key);
    thread_local std::vector<uint16_t> shared;
    thread_local std::vector<uint32_t> touched;
    if (shared.size() < ci.forms.size()) shared.resize(ci.forms.size());
    touched.clear();
    for (uint32_t gram : grams) {
      auto it = ci.by_trigram.find(gram);
      if (it == ci.by_trigram.end()) continue;
      for (uint32_t f : it->second) {
        if (shared[f]++ == 0) touched.push_back(f);
      }
    }
    std::vector<std::pair<double, uint32_t>> shortlist;
    shortlist.reserve(touched.size());
    for (uint32_t f : touched) {
      const double dice =
          2.0 * shared[f] / static_cast<double>(grams.size() + ci.forms[f].trigrams);
      shortlist.emplace_back(dice, f);
      shared[f] = 0;
    }
    const size_t keep = std::min(shortlist.size(), kFuzzyShortlist);
    std::partial_sort(shortlist.begin(), shortlist.begin() + static_cast<ptrdiff_t>(keep),
                      shortlist.end(), [](const auto& a, const auto& b) {
                        return a.first > b.first || (a.first == b.first && a.second < b.second);
                      });
    for (size_t k = 0; k < keep; ++k) {
      const Form& form = ci.forms[shortlist[k].second];
      double similarity = internal::EditSimilarity(key.compact, form.key.compact);
      if (key.sorted != key.compact || form.key.sorted != form.key.compact) {
        similarity = std::max(
            similarity, kWordOrderScore * internal::EditSimilarity(key.sorted, form.key.sorted));
      }
      // An exact key was handled above; a fuzzy match stays below it.
      similarity = std::min(similarity, 0.99);
      if (similarity >= kFuzzyFloor)
        offer(form.entity, similarity, MatchKind::kFuzzy, form.recorded);
    }
  }

  resolution.candidates.reserve(best.size());
  for (auto& [e, candidate] : best) resolution.candidates.push_back(std::move(candidate));
  std::sort(resolution.candidates.begin(), resolution.candidates.end(),
            [](const PartnerCandidate& a, const PartnerCandidate& b) {
              if (a.score != b.score) return a.score > b.score;
              if (a.kind != b.kind) return KindRank(a.kind) < KindRank(b.kind);
              return a.partner->id < b.partner->id;
            });
  if (!resolution.candidates.empty()) {
    const PartnerCandidate& top = resolution.candidates.front();
    const bool clear =
        resolution.candidates.size() == 1 || top.score > resolution.candidates[1].score;
    if (top.score >= kResolveThreshold && clear) resolution.resolved = top;
  }
  if (resolution.candidates.size() > limit) resolution.candidates.resize(limit);
  return resolution;
}

}  // namespace expectmatch::understanding
