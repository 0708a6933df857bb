#include "expectmatch/understanding/themes.h"

#include <xapian.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "expectmatch/understanding/fold.h"
#include "french.h"

namespace expectmatch::understanding {
namespace internal {
// understanding/data/*.json, embedded at build time (cmake/embed_json.cmake).
extern const unsigned char kThemeSynonymsJson[];
extern const std::size_t kThemeSynonymsJsonSize;
}  // namespace internal

namespace {

// Stemmed terms carry this prefix in the index and in parsed queries (Xapian's STEM_SOME).
constexpr char kStemPrefix = 'Z';

nlohmann::json Embedded(const unsigned char* bytes, std::size_t size) {
  return nlohmann::json::parse(std::string_view(reinterpret_cast<const char*>(bytes), size));
}

struct SynonymEntry {
  std::string term;   // folded
  std::string means;  // folded
  std::string theme;
};

const std::vector<SynonymEntry>& SynonymEntries() {
  static const std::vector<SynonymEntry> entries = [] {
    std::vector<SynonymEntry> out;
    nlohmann::json doc = Embedded(internal::kThemeSynonymsJson, internal::kThemeSynonymsJsonSize);
    for (const nlohmann::json& entry : doc.at("synonyms")) {
      out.push_back({Fold(entry.at("term").get<std::string>()),
                     Fold(entry.at("means").get<std::string>()),
                     entry.at("theme").get<std::string>()});
    }
    return out;
  }();
  return entries;
}

std::vector<std::string> Split(const std::string& folded) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    if (end > start) words.push_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// One indexed document and the themes it votes for.
struct Voter {
  const char* source;  // "taxonomy", "need" or "mission"
  std::string id;
  std::vector<std::pair<std::size_t, double>> themes;  // sub-theme index, weight in (0, 1]
};

// A synonym ready for matching: the stems of its words in order, and what it adds to a query.
struct Synonym {
  std::vector<std::string> stems;
  std::string means;
};

}  // namespace

// Xapian's Database, Stem and QueryParser are not thread-safe, even for reading: one mutex
// serialises the Xapian part of every Suggest (stemming, parsing, retrieval, matching terms).
// A search takes well under a millisecond on the national data set (bench/themes_bench.cc), so
// the lock is held briefly; folding before and voting after run outside it. Per-thread handles
// are not an option for an in-memory database, which cannot be opened twice.
struct ThemeSuggester::Index {
  ThemeSuggesterOptions options;
  std::vector<matcher::Theme> subthemes;  // what can be suggested
  std::vector<Voter> voters;              // by Xapian docid - 1
  std::vector<Synonym> synonyms;
  std::unordered_set<std::string> stop_words;

  std::mutex mutex;
  Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
  Xapian::Stem stemmer{internal::kFrenchStemmer};
  Xapian::SimpleStopper stopper;
  Xapian::TermGenerator indexer;
  Xapian::QueryParser parser;

  std::vector<std::string> Stems(const std::vector<std::string>& words) {
    std::vector<std::string> stems;
    stems.reserve(words.size());
    for (const std::string& word : words) stems.push_back(stemmer(word));
    return stems;
  }

  void Add(const char* source, std::string id, const std::string& text,
           std::vector<std::pair<std::size_t, double>> themes) {
    if (themes.empty()) return;
    Xapian::Document document;
    indexer.set_document(document);
    indexer.index_text_without_positions(Fold(text));
    db.add_document(document);
    voters.push_back({source, std::move(id), std::move(themes)});
  }
};

ThemeSuggester::ThemeSuggester() = default;
ThemeSuggester::ThemeSuggester(const matcher::Dataset& dataset)
    : ThemeSuggester(dataset, ThemeSuggesterOptions{}) {}

ThemeSuggester::ThemeSuggester(const matcher::Dataset& dataset,
                               const ThemeSuggesterOptions& options)
    : index_(std::make_unique<Index>()) {
  Index& index = *index_;
  index.options = options;
  for (const std::string& word : internal::FrenchStopWords()) {
    index.stop_words.insert(word);
    index.stopper.add(word);
  }
  index.indexer.set_stemmer(index.stemmer);
  index.indexer.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  index.indexer.set_stopper(&index.stopper);
  index.indexer.set_stopper_strategy(Xapian::TermGenerator::STOP_ALL);
  index.parser.set_stemmer(index.stemmer);
  index.parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  index.parser.set_stopper(&index.stopper);
  index.parser.set_default_op(Xapian::Query::OP_OR);

  std::unordered_map<std::string, std::size_t> subtheme;  // id -> index in subthemes
  std::unordered_map<std::string, const matcher::Theme*> domain;
  for (const matcher::Theme& theme : dataset.themes) {
    if (theme.parent.empty()) {
      domain[theme.id] = &theme;
    } else {
      subtheme[theme.id] = index.subthemes.size();
      index.subthemes.push_back(theme);
    }
  }

  // The synonyms of each sub-theme go into its taxonomy document; every synonym expands queries.
  std::map<std::string, std::string> theme_synonyms;
  if (options.synonyms) {
    for (const SynonymEntry& entry : SynonymEntries()) {
      theme_synonyms[entry.theme] += " " + entry.term;
      index.synonyms.push_back({index.Stems(Split(entry.term)), entry.means});
    }
  }

  // (a) The taxonomy: a sub-theme's label, its domain's label and its synonyms.
  for (std::size_t t = 0; t < index.subthemes.size(); ++t) {
    const matcher::Theme& theme = index.subthemes[t];
    std::string text = theme.label;
    if (auto parent = domain.find(theme.parent); parent != domain.end())
      text += " " + parent->second->label;
    if (auto words = theme_synonyms.find(theme.id); words != theme_synonyms.end())
      text += words->second;
    index.Add("taxonomy", theme.id, text, {{t, 1.0}});
  }

  // (b) Needs with a description: their themes, weighted relative to their main theme.
  std::unordered_map<std::string, const matcher::Need*> needs;
  for (const matcher::Need& need : dataset.needs) {
    needs[need.id] = &need;
    if (need.description.empty()) continue;
    double top = 0;
    for (const matcher::NeedTheme& theme : need.themes) top = std::max(top, theme.weight);
    std::vector<std::pair<std::size_t, double>> themes;
    for (const matcher::NeedTheme& theme : need.themes) {
      auto found = subtheme.find(theme.theme);
      if (found != subtheme.end() && top > 0)
        themes.emplace_back(found->second, theme.weight / top);
    }
    index.Add("need", need.id, need.description, std::move(themes));
  }

  // (c) Missions: their need's description (when the need is known) -> the mission's themes.
  for (const matcher::Mission& mission : dataset.missions) {
    auto need = needs.find(mission.need);
    if (need == needs.end() || need->second->description.empty()) continue;
    std::vector<std::pair<std::size_t, double>> themes;
    for (const std::string& theme : mission.themes) {
      if (auto found = subtheme.find(theme); found != subtheme.end())
        themes.emplace_back(found->second, 1.0);
    }
    index.Add("mission", mission.id, need->second->description, std::move(themes));
  }
  index.db.commit();
}

ThemeSuggester::~ThemeSuggester() = default;
ThemeSuggester::ThemeSuggester(ThemeSuggester&&) noexcept = default;
ThemeSuggester& ThemeSuggester::operator=(ThemeSuggester&&) noexcept = default;

std::size_t ThemeSuggester::documents() const { return index_ ? index_->voters.size() : 0; }

std::vector<ThemeSuggestion> ThemeSuggester::Suggest(std::string_view text, std::size_t k) const {
  if (!index_ || k == 0) return {};
  Index& index = *index_;
  // Folding leaves letters, digits and single spaces: no query syntax reaches the parser.
  const std::string folded = Fold(text);
  const std::vector<std::string> words = Split(folded);
  if (words.empty()) return {};

  struct Match {
    std::size_t voter;
    double relevance;
    std::vector<std::string> terms;  // as typed (folded), in text order
  };
  std::vector<Match> matches;
  {
    std::lock_guard lock(index.mutex);
    const std::vector<std::string> stems = index.Stems(words);
    // Each stem of the query, and the words of the text it stands for (their first position).
    std::unordered_map<std::string, std::pair<std::size_t, std::string>> typed;
    for (std::size_t w = 0; w < words.size(); ++w) {
      if (!index.stop_words.contains(words[w])) typed.try_emplace(stems[w], w, words[w]);
    }
    std::string query_text = folded;
    for (const Synonym& synonym : index.synonyms) {
      const std::size_t n = synonym.stems.size();
      for (std::size_t w = 0; n > 0 && w + n <= stems.size(); ++w) {
        if (!std::equal(synonym.stems.begin(), synonym.stems.end(), stems.begin() + w)) continue;
        std::string phrase = words[w];
        for (std::size_t i = 1; i < n; ++i) phrase += " " + words[w + i];
        query_text += " " + synonym.means;
        for (const std::string& stem : index.Stems(Split(synonym.means)))
          typed.try_emplace(stem, w, phrase);
        break;
      }
    }

    Xapian::Query query;
    try {
      query = index.parser.parse_query(query_text, 0);
    } catch (const Xapian::QueryParserError&) {
      // Not expected on folded text; plain stemmed terms then.
      std::vector<Xapian::Query> terms;
      for (const std::string& word : Split(query_text)) {
        if (!index.stop_words.contains(word)) terms.emplace_back(kStemPrefix + index.stemmer(word));
      }
      query = Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
    }
    if (query.empty()) return {};
    Xapian::Enquire enquire(index.db);
    enquire.set_query(query);
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(index.options.voters));
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
      Match match{*it - 1, it.get_weight(), {}};
      std::vector<std::pair<std::size_t, std::string>> found;
      for (auto term = enquire.get_matching_terms_begin(it);
           term != enquire.get_matching_terms_end(it); ++term) {
        std::string name = *term;
        if (!name.empty() && name[0] == kStemPrefix) name.erase(0, 1);
        if (auto word = typed.find(name); word != typed.end()) found.push_back(word->second);
      }
      std::sort(found.begin(), found.end());
      found.erase(std::unique(found.begin(), found.end()), found.end());
      // A synonym's phrase ("banque de cereales") stands for the words it contains.
      auto within_phrase = [&found](const std::string& word) {
        for (const auto& other : found) {
          if (other.second != word &&
              (" " + other.second + " ").find(" " + word + " ") != std::string::npos)
            return true;
        }
        return false;
      };
      for (const auto& [position, word] : found) {
        if (!within_phrase(word) &&
            std::find(match.terms.begin(), match.terms.end(), word) == match.terms.end())
          match.terms.push_back(word);
      }
      matches.push_back(std::move(match));
    }
  }

  // Votes: each document gives each of its themes weight × relevance.
  struct Tally {
    double score = 0;
    std::vector<std::pair<double, std::size_t>> votes;  // (vote, index in matches)
  };
  std::map<std::size_t, Tally> tallies;
  for (std::size_t m = 0; m < matches.size(); ++m) {
    for (const auto& [theme, weight] : index.voters[matches[m].voter].themes) {
      Tally& tally = tallies[theme];
      tally.score += weight * matches[m].relevance;
      tally.votes.emplace_back(weight * matches[m].relevance, m);
    }
  }
  std::vector<std::pair<std::size_t, Tally*>> ranked;
  for (auto& [theme, tally] : tallies) {
    if (tally.score > 0) ranked.emplace_back(theme, &tally);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second->score > b.second->score; });
  if (ranked.size() > k) ranked.resize(k);

  constexpr std::size_t kMaxEvidence = 3;
  std::vector<ThemeSuggestion> suggestions;
  for (const auto& [theme, tally] : ranked) {
    ThemeSuggestion suggestion;
    suggestion.theme = index.subthemes[theme].id;
    suggestion.label = index.subthemes[theme].label;
    suggestion.score = tally->score / ranked.front().second->score;
    std::stable_sort(tally->votes.begin(), tally->votes.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t v = 0; v < tally->votes.size() && v < kMaxEvidence; ++v) {
      const Match& match = matches[tally->votes[v].second];
      const Voter& voter = index.voters[match.voter];
      suggestion.evidence.push_back({voter.source, voter.id, match.terms});
    }
    suggestions.push_back(std::move(suggestion));
  }
  return suggestions;
}

}  // namespace expectmatch::understanding
