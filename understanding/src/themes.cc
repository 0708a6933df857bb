#include "expectmatch/understanding/themes.h"

namespace expectmatch::understanding {

// Placeholder until the suggester lands.
struct ThemeSuggester::Index {};

ThemeSuggester::ThemeSuggester() = default;
ThemeSuggester::ThemeSuggester(const matcher::Dataset&) : index_(std::make_unique<Index>()) {}
ThemeSuggester::~ThemeSuggester() = default;
ThemeSuggester::ThemeSuggester(ThemeSuggester&&) noexcept = default;
ThemeSuggester& ThemeSuggester::operator=(ThemeSuggester&&) noexcept = default;

std::vector<ThemeSuggestion> ThemeSuggester::Suggest(std::string_view, std::size_t) const {
  return {};
}

}  // namespace expectmatch::understanding
