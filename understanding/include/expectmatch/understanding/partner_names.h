// The normalisation and similarity of partner names the PartnerResolver is built on, exposed
// for its tests and tools. The word lists come from understanding/data/partner_prefixes.json,
// built into the library.
#pragma once

#include <string>
#include <string_view>

namespace expectmatch::understanding::internal {

// A name reduced to what two spellings of the same authority share: folded (Fold), elided
// articles (d', l') dropped, generic prefixes ("Commune urbaine de", "Prefeitura municipal de",
// "City of", then "la", "the"...) and suffixes ("County") removed, Saint/St/Ste/San/São... as
// "saint" before another word. `compact` is the words joined without spaces (hyphens and spaces
// alike), `sorted` the same words in alphabetical order, joined.
// "Commune de Saint-Louis" -> {"saintlouis", "louissaint"}; "Ville d'Erevan" -> {"erevan", ...}.
struct NormalisedName {
  std::string compact;
  std::string sorted;
};
NormalisedName NormaliseName(std::string_view name);

// The id part made from a name known without id: folded, elisions and generic prefix removed
// (articles kept), words joined by hyphens. "Commune de Kédougou" -> "kedougou".
std::string PartnerSlug(std::string_view name);

// Damerau–Levenshtein distance restricted to non-overlapping edits (optimal string alignment):
// insertion, deletion, substitution, transposition of two adjacent bytes each cost 1.
int OptimalStringAlignment(std::string_view a, std::string_view b);

// 1 - OptimalStringAlignment(a, b) / longest length; 0 when both are empty.
double EditSimilarity(std::string_view a, std::string_view b);

}  // namespace expectmatch::understanding::internal
