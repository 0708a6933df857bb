// The thematic taxonomy: domains and their sub-themes, and how close two themes are.
//
// Themes are addressed by id or by their index in themes() (a ThemeIndex), which the engine
// uses on its fast paths. Immutable after construction; safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "expectmatch/matcher/model.h"

namespace expectmatch::matcher {

using ThemeIndex = int;
inline constexpr ThemeIndex kNoTheme = -1;

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
  // REQUIRES: ids unique, every parent id present, no cycles (the datasets validator
  // guarantees it).
  explicit Taxonomy(std::vector<Theme> themes);

  // kNoTheme when unknown.
  ThemeIndex Find(std::string_view id) const;
  bool Contains(std::string_view id) const { return Find(id) != kNoTheme; }
  // REQUIRES: Contains(id).
  const Theme& Get(std::string_view id) const { return themes_[static_cast<size_t>(Find(id))]; }
  const Theme& Get(ThemeIndex theme) const { return themes_[static_cast<size_t>(theme)]; }
  // The top-level domain of `id` (itself for a domain). REQUIRES: Contains(id).
  const std::string& DomainOf(std::string_view id) const {
    return themes_[static_cast<size_t>(Domain(Find(id)))].id;
  }
  // True when `ancestor` is `id` or one of its ancestors.
  bool IsSelfOrAncestor(std::string_view ancestor, std::string_view id) const;
  // Relation of a label on `label_theme` to a request for `requested`; kUnrelated when either
  // is unknown.
  ThemeRelation Relate(std::string_view requested, std::string_view label_theme) const;

  // The same by index. REQUIRES: valid indices.
  ThemeIndex Parent(ThemeIndex theme) const { return parent_[static_cast<size_t>(theme)]; }
  ThemeIndex Domain(ThemeIndex theme) const { return domain_[static_cast<size_t>(theme)]; }
  bool IsSelfOrAncestor(ThemeIndex ancestor, ThemeIndex theme) const;
  ThemeRelation Relate(ThemeIndex requested, ThemeIndex label_theme) const;
  // Every theme of a domain, the domain itself included. REQUIRES: `domain` is a domain.
  const std::vector<ThemeIndex>& ThemesOfDomain(ThemeIndex domain) const {
    return domain_members_[static_cast<size_t>(domain)];
  }

  const std::vector<Theme>& themes() const { return themes_; }
  size_t size() const { return themes_.size(); }

 private:
  std::vector<Theme> themes_;
  std::unordered_map<std::string, ThemeIndex> index_;
  std::vector<ThemeIndex> parent_;
  std::vector<ThemeIndex> domain_;
  std::vector<std::vector<ThemeIndex>> domain_members_;  // indexed by theme; filled for domains
};

}  // namespace expectmatch::matcher
