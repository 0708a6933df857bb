#include "french.h"

#include <nlohmann/json.hpp>
#include <string_view>

#include "expectmatch/understanding/fold.h"

namespace expectmatch::understanding::internal {

// understanding/data/french_stopwords.json, embedded at build time (cmake/embed_json.cmake).
extern const unsigned char kFrenchStopwordsJson[];
extern const std::size_t kFrenchStopwordsJsonSize;

const std::vector<std::string>& FrenchStopWords() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> out;
    nlohmann::json doc = nlohmann::json::parse(std::string_view(
        reinterpret_cast<const char*>(kFrenchStopwordsJson), kFrenchStopwordsJsonSize));
    for (const nlohmann::json& word : doc.at("words")) out.push_back(Fold(word.get<std::string>()));
    return out;
  }();
  return words;
}

void AddFrenchStopWords(Xapian::SimpleStopper& stopper) {
  for (const std::string& word : FrenchStopWords()) stopper.add(word);
}

}  // namespace expectmatch::understanding::internal
