// Suggesting themes of the taxonomy from a need described in French prose.
//
// A Xapian BM25 index (French Snowball stemmer, French stop words) over the taxonomy's labels,
// the descriptions of past needs with their themes, and past missions (their need's description
// with the mission's themes). Domain synonyms (ordures -> déchets, ...) come from a data file
// with its provenance. A suggestion's evidence names the documents that voted for it. Built
// once, immutable afterwards; Suggest is thread-safe: Xapian objects are not, so one mutex
// serialises the search (docs/understanding.md, "Themes").
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expectmatch/matcher/model.h"

namespace expectmatch::understanding {

// How a suggester is built. The defaults are the production settings.
struct ThemeSuggesterOptions {
  bool synonyms = true;     // expand queries with the domain synonyms (theme_synonyms.json)
  std::size_t voters = 20;  // how many of the best-matching documents vote for their themes
};

// A document that voted for a theme.
struct ThemeEvidence {
  std::string source;              // "taxonomy", "need" or "mission"
  std::string id;                  // the theme, need or mission id
  std::vector<std::string> terms;  // the words of the text it matched on (as typed, folded)
};

struct ThemeSuggestion {
  std::string theme;                    // a sub-theme id of the taxonomy
  std::string label;                    // its French label
  double score = 0;                     // in (0, 1], the best suggestion of a text scores 1
  std::vector<ThemeEvidence> evidence;  // strongest first, at most a few
};

class ThemeSuggester {
 public:
  ThemeSuggester();  // suggests nothing
  explicit ThemeSuggester(const matcher::Dataset& dataset);
  ThemeSuggester(const matcher::Dataset& dataset, const ThemeSuggesterOptions& options);
  ~ThemeSuggester();
  ThemeSuggester(ThemeSuggester&&) noexcept;
  ThemeSuggester& operator=(ThemeSuggester&&) noexcept;

  // At most `k` sub-themes for `text`, best first; empty when nothing in the text is known.
  std::vector<ThemeSuggestion> Suggest(std::string_view text, std::size_t k) const;

  // Documents in the index (sub-themes, needs and missions); 0 for an empty suggester.
  std::size_t documents() const;

 private:
  struct Index;
  std::unique_ptr<Index> index_;
};

}  // namespace expectmatch::understanding
