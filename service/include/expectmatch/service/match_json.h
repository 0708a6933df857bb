// The match request and response bodies (POST /v1/match, `expectmatch match --json`).
#pragma once

#include <optional>
#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/matcher/ranker.h"

namespace expectmatch::service {

struct PartnerRecognition;  // understanding.h

inline constexpr size_t kMaxK = 100;

inline constexpr size_t kMaxPerRegionLimit = 100;

struct MatchRequest {
  std::string need_id;                // a stored need, or
  std::optional<matcher::Need> need;  // an inline need (id "inline" unless given)
  size_t k = 10;                      // 1..kMaxK
  bool explain = true;                // French reasons per candidate
  bool include_excluded = false;      // list the excluded authorities and their filter
  std::string profile = "default";
  std::optional<int> profile_version;  // latest when absent
  // Per-request weights replacing the profile's, each in [kMinWeight, kMaxWeight].
  std::array<std::optional<double>, matcher::kFeatureCount> weights;
  size_t max_per_region = 0;  // diversity cap per French région; 0: off
};

// A weights object ({"thematic": 0.4, ...}) into per-feature values; every key must name a
// feature and every value be a number within [kMinWeight, kMaxWeight]. With `complete`, every
// feature must be present.
std::optional<std::array<std::optional<double>, matcher::kFeatureCount>> DecodeWeights(
    const datasets::Json& json, const datasets::FieldPath& path, bool complete,
    datasets::FieldErrors* errors);
datasets::Json EncodeWeights(const matcher::FeatureVector& weights);

// The profile a request ranks with: `base` with the request's overrides applied. Records an
// error at /weights when every effective weight is zero.
std::optional<matcher::Profile> EffectiveProfile(const matcher::Profile& base,
                                                 const MatchRequest& request,
                                                 datasets::FieldErrors* errors);

// Decodes and validates a match request body; every problem lands in `errors` with its JSON
// pointer. Unknown top-level fields are refused (they are usually typos of real ones).
std::optional<MatchRequest> DecodeMatchRequest(const datasets::Json& body,
                                               const datasets::References& refs,
                                               datasets::FieldErrors* errors);

// The response body (compact JSON text) for a ranking of `need`. `overridden` lists the
// features whose weight `request` replaced; `request_id`, when not empty, is included.
// `partner`, when given, says how the need's partner was recognised: `need.partner` then shows
// it as written with `resolved` ({id, name, score, matched_by} or null).
std::string EncodeRanking(const matcher::Ranking& ranking, const matcher::Catalogue& catalogue,
                          const matcher::Need& need, bool explain,
                          const MatchRequest* request = nullptr,
                          const std::string& request_id = "",
                          const PartnerRecognition* partner = nullptr);

// What the ranking log keeps of the returned candidates (JSON text), in rank order:
// [[collectivite id, score, [feature values in matcher::Feature order]], ...]. (Rows logged
// before were [{rank, collectivite, score, features: {name: value}}]; readers take both.)
std::string EncodeLoggedCandidates(const matcher::Ranking& ranking,
                                   const matcher::Catalogue& catalogue);
// What the ranking log keeps of how a ranking was computed (JSON text): {"weights": the
// effective weights, "overridden": the features the request overrode, "k", "max_per_region"}.
std::string EncodeLoggedServing(const matcher::Profile& effective, const MatchRequest& request);

}  // namespace expectmatch::service
