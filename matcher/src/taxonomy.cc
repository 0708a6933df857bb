#include "expectmatch/matcher/taxonomy.h"

#include <cassert>

namespace expectmatch::matcher {

double ThemeSimilarity(ThemeRelation relation) {
  switch (relation) {
    case ThemeRelation::kExact: return 1.0;
    case ThemeRelation::kSibling: return 0.5;
    case ThemeRelation::kSameDomain: return 0.25;
    case ThemeRelation::kUnrelated: return 0.0;
  }
  return 0.0;
}

Taxonomy::Taxonomy(std::vector<Theme> themes) : themes_(std::move(themes)) {
  index_.reserve(themes_.size());
  for (size_t i = 0; i < themes_.size(); ++i) index_.emplace(themes_[i].id, i);
  domain_.resize(themes_.size());
  for (size_t i = 0; i < themes_.size(); ++i) {
    size_t current = i;
    // Bounded walk: a validated taxonomy has no cycles, the bound only guards against misuse.
    for (size_t steps = 0; steps < themes_.size() && !themes_[current].parent.empty(); ++steps) {
      auto it = index_.find(themes_[current].parent);
      if (it == index_.end()) break;
      current = it->second;
    }
    domain_[i] = current;
  }
}

bool Taxonomy::Contains(std::string_view id) const { return index_.find(std::string(id)) != index_.end(); }

const Theme& Taxonomy::Get(std::string_view id) const {
  auto it = index_.find(std::string(id));
  assert(it != index_.end());
  return themes_[it->second];
}

const std::string& Taxonomy::DomainOf(std::string_view id) const {
  auto it = index_.find(std::string(id));
  assert(it != index_.end());
  return themes_[domain_[it->second]].id;
}

bool Taxonomy::IsSelfOrAncestor(std::string_view ancestor, std::string_view id) const {
  auto it = index_.find(std::string(id));
  if (it == index_.end()) return false;
  size_t current = it->second;
  for (size_t steps = 0; steps <= themes_.size(); ++steps) {
    if (themes_[current].id == ancestor) return true;
    if (themes_[current].parent.empty()) return false;
    auto parent = index_.find(themes_[current].parent);
    if (parent == index_.end()) return false;
    current = parent->second;
  }
  return false;
}

ThemeRelation Taxonomy::Relate(std::string_view requested, std::string_view label_theme) const {
  if (!Contains(requested) || !Contains(label_theme)) return ThemeRelation::kUnrelated;
  if (IsSelfOrAncestor(label_theme, requested)) return ThemeRelation::kExact;
  const Theme& a = Get(requested);
  const Theme& b = Get(label_theme);
  if (!a.parent.empty() && a.parent == b.parent) return ThemeRelation::kSibling;
  if (DomainOf(requested) == DomainOf(label_theme)) return ThemeRelation::kSameDomain;
  return ThemeRelation::kUnrelated;
}

}  // namespace expectmatch::matcher
