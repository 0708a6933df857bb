// The thematic taxonomy: domains and their sub-themes, and how close two themes are.
//
// Immutable after construction; safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "expectmatch/matcher/model.h"

namespace expectmatch::matcher {

// How a label's theme relates to a requested theme, from closest to farthest.
enum class ThemeRelation {
  kExact,       // same theme, or the label covers a whole domain the requested theme belongs to
  kSibling,     // two sub-themes of the same parent
  kSameDomain,  // same top-level domain otherwise (e.g. the request names a whole domain)
  kUnrelated,
};

// Similarity credited to each relation by the `thematic` feature: 1, 1/2, 1/4, 0.
double ThemeSimilarity(ThemeRelation relation);

class Taxonomy {
 public:
  Taxonomy() = default;
  // REQUIRES: ids unique, every parent id present (the datasets validator guarantees it).
  explicit Taxonomy(std::vector<Theme> themes);

  bool Contains(std::string_view id) const;
  // REQUIRES: Contains(id).
  const Theme& Get(std::string_view id) const;
  // The top-level domain of `id` (itself for a domain). REQUIRES: Contains(id).
  const std::string& DomainOf(std::string_view id) const;
  // True when `ancestor` is `id` or one of its ancestors.
  bool IsSelfOrAncestor(std::string_view ancestor, std::string_view id) const;
  // Relation of a label on `label_theme` to a request for `requested`.
  ThemeRelation Relate(std::string_view requested, std::string_view label_theme) const;

  const std::vector<Theme>& themes() const { return themes_; }

 private:
  std::vector<Theme> themes_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<size_t> domain_;  // per theme, index of its top-level domain
};

}  // namespace expectmatch::matcher
