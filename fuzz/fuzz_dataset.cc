// The data set loader: five documents (themes, collectivites, cooperations, missions, needs)
// separated by a line "@@" in the input, decoded and cross-checked by DecodeDataset; an
// accepted data set is turned into a catalogue and its first needs are ranked.
#include "expectmatch/matcher/profile.h"
#include "expectmatch/matcher/ranker.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace expectmatch;
  const std::string text(reinterpret_cast<const char*>(data), size);
  datasets::DatasetDocuments documents;
  size_t start = 0;
  for (const char* file : datasets::kDatasetFiles) {
    if (start > text.size()) break;
    size_t end = text.find("\n@@\n", start);
    std::string part =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    datasets::Json json = datasets::Json::parse(part, nullptr, /*allow_exceptions=*/false);
    if (!json.is_discarded()) documents[file] = std::move(json);
    start = end == std::string::npos ? text.size() + 1 : end + 4;
  }
  datasets::LoadResult loaded = datasets::DecodeDataset(documents);
  if (!loaded.ok()) {
    for (const std::string& error : loaded.errors)
      fuzz::Check(!error.empty(), "an empty error message");
    return 0;
  }
  service::Snapshot snapshot(loaded.dataset);
  size_t ranked = 0;
  for (const matcher::Need& need : snapshot.catalogue.needs()) {
    if (++ranked > 3) break;
    matcher::RankOptions options;
    options.k = 5;
    options.list_excluded = true;
    matcher::Ranking ranking =
        matcher::RankNeed(snapshot.catalogue, need, matcher::DefaultProfile(), options);
    fuzz::Check(ranking.candidates.size() <= 5, "more candidates than k");
    for (const matcher::Candidate& candidate : ranking.candidates) {
      fuzz::Check(candidate.score >= 0 && candidate.score <= 1.0000001, "a score outside [0, 1]");
    }
  }
  return 0;
}
