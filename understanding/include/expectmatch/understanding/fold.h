// Text as people type it, reduced to a form two spellings of the same name share.
//
// Folding uses ICU (Unicode normalisation, case folding, Latin transliteration), never a
// hand-written accent table. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace expectmatch::understanding {

// `text` (UTF-8) transliterated to Latin, decomposed, stripped of combining marks and
// case-folded; every run of characters that are neither letters nor digits (spaces,
// hyphens, apostrophes, punctuation) becomes one space; no leading or trailing space.
// "Commune de Dédougou" -> "commune de dedougou"; "Fada N'Gourma" -> "fada n gourma";
// "ŒUVRE" -> "oeuvre". Invalid UTF-8 sequences are dropped.
std::string Fold(std::string_view text);

// Fold(text) split on spaces.
std::vector<std::string> FoldedWords(std::string_view text);

}  // namespace expectmatch::understanding
