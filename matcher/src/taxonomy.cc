#include "expectmatch/matcher/taxonomy.h"

namespace expectmatch::matcher {

double ThemeSimilarity(ThemeRelation relation) {
  switch (relation) {
    case ThemeRelation::kExact:
      return 1.0;
    case ThemeRelation::kSibling:
      return 0.5;
    case ThemeRelation::kSameDomain:
      return 0.25;
    case ThemeRelation::kUnrelated:
      return 0.0;
  }
  return 0.0;
}

Taxonomy::Taxonomy(std::vector<Theme> themes) : themes_(std::move(themes)) {
  const size_t n = themes_.size();
  index_.reserve(n);
  for (size_t i = 0; i < n; ++i) index_.emplace(themes_[i].id, static_cast<ThemeIndex>(i));
  parent_.assign(n, kNoTheme);
  for (size_t i = 0; i < n; ++i) {
    if (!themes_[i].parent.empty()) parent_[i] = Find(themes_[i].parent);
  }
  domain_.resize(n);
  domain_members_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    ThemeIndex current = static_cast<ThemeIndex>(i);
    // Bounded walk: a validated taxonomy has no cycles, the bound only guards against misuse.
    for (size_t steps = 0; steps < n && parent_[static_cast<size_t>(current)] != kNoTheme;
         ++steps) {
      current = parent_[static_cast<size_t>(current)];
    }
    domain_[i] = current;
    domain_members_[static_cast<size_t>(current)].push_back(static_cast<ThemeIndex>(i));
  }
}

ThemeIndex Taxonomy::Find(std::string_view id) const {
  auto it = index_.find(std::string(id));
  return it == index_.end() ? kNoTheme : it->second;
}

bool Taxonomy::IsSelfOrAncestor(ThemeIndex ancestor, ThemeIndex theme) const {
  for (size_t steps = 0; theme != kNoTheme && steps <= themes_.size(); ++steps) {
    if (theme == ancestor) return true;
    theme = parent_[static_cast<size_t>(theme)];
  }
  return false;
}

bool Taxonomy::IsSelfOrAncestor(std::string_view ancestor, std::string_view id) const {
  ThemeIndex a = Find(ancestor), t = Find(id);
  return a != kNoTheme && t != kNoTheme && IsSelfOrAncestor(a, t);
}

ThemeRelation Taxonomy::Relate(ThemeIndex requested, ThemeIndex label_theme) const {
  if (IsSelfOrAncestor(label_theme, requested)) return ThemeRelation::kExact;
  ThemeIndex parent = parent_[static_cast<size_t>(requested)];
  if (parent != kNoTheme && parent == parent_[static_cast<size_t>(label_theme)])
    return ThemeRelation::kSibling;
  if (domain_[static_cast<size_t>(requested)] == domain_[static_cast<size_t>(label_theme)])
    return ThemeRelation::kSameDomain;
  return ThemeRelation::kUnrelated;
}

ThemeRelation Taxonomy::Relate(std::string_view requested, std::string_view label_theme) const {
  ThemeIndex a = Find(requested), b = Find(label_theme);
  if (a == kNoTheme || b == kNoTheme) return ThemeRelation::kUnrelated;
  return Relate(a, b);
}

}  // namespace expectmatch::matcher
