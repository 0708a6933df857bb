// French text as the understanding module's Xapian indexes see it (private to understanding/):
// one stemmer language and one list of stop words, shared by the theme suggester and the
// report index so that a word is reduced the same way in both.
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

namespace expectmatch::understanding::internal {

// Snowball's French stemmer, by the name Xapian knows it.
inline constexpr const char* kFrenchStemmer = "french";

// The French stop words (understanding/data/french_stopwords.json), folded as the text they
// are compared with.
const std::vector<std::string>& FrenchStopWords();

// A stopper holding FrenchStopWords(); immutable once built, but Xapian objects are not
// thread-safe: each index keeps its own and uses it under its own lock.
void AddFrenchStopWords(Xapian::SimpleStopper& stopper);

}  // namespace expectmatch::understanding::internal
