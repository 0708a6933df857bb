// POST /v1/match bodies: DecodeMatchRequest on its own (then the profile and a ranking of an
// inline need), and the whole handler through Service::Handle.
#include "expectmatch/matcher/profile.h"
#include "expectmatch/matcher/ranker.h"
#include "expectmatch/service/match_json.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace expectmatch;
  fuzz::Harness& harness = fuzz::Harness::Get();
  const std::string text(reinterpret_cast<const char*>(data), size);
  datasets::Json body = datasets::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!body.is_discarded()) {
    const service::Snapshot& snapshot = harness.snapshot();
    datasets::FieldErrors errors;
    std::optional<service::MatchRequest> request =
        service::DecodeMatchRequest(body, snapshot.references(), &errors);
    fuzz::Check(request.has_value() == errors.empty(),
                "DecodeMatchRequest: result and errors disagree");
    if (request) {
      std::optional<matcher::Profile> profile =
          service::EffectiveProfile(matcher::DefaultProfile(), *request, &errors);
      if (profile && request->need) {
        matcher::RankOptions options;
        options.k = request->k;
        options.max_per_region = request->max_per_region;
        options.list_excluded = request->include_excluded;
        matcher::Ranking ranking =
            matcher::RankNeed(snapshot.catalogue, *request->need, *profile, options);
        fuzz::Check(ranking.candidates.size() <= request->k, "more candidates than k");
        // The answer is written as text (api/src/json_writer.h): it must parse back, as an object.
        const std::string encoded = service::EncodeRanking(
            ranking, snapshot.catalogue, *request->need, request->explain, &*request);
        fuzz::Check(datasets::Json::parse(encoded, nullptr, false).is_object(),
                    "the ranking is not a JSON object");
      }
    }
  }
  harness.Send("POST", "/v1/match", text);
  return 0;
}
