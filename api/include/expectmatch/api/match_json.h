// The match request and response bodies (POST /v1/match, `expectmatch match --json`).
#pragma once

#include <optional>
#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/matcher/ranker.h"

namespace expectmatch::api {

inline constexpr size_t kMaxK = 100;

struct MatchRequest {
  std::string need_id;                     // a stored need, or
  std::optional<matcher::Need> need;       // an inline need (id "inline" unless given)
  size_t k = 10;                           // 1..kMaxK
  bool explain = true;                     // French reasons per candidate
  bool include_excluded = false;           // list the excluded authorities and their filter
  std::string profile = "default";
};

// Decodes and validates a match request body; every problem lands in `errors` with its JSON
// pointer. Unknown top-level fields are refused (they are usually typos of real ones).
std::optional<MatchRequest> DecodeMatchRequest(const datasets::Json& body, const datasets::References& refs,
                                               datasets::FieldErrors* errors);

// The response body for a ranking of `need`.
datasets::Json EncodeRanking(const matcher::Ranking& ranking, const matcher::Catalogue& catalogue,
                             const matcher::Need& need, bool explain);

}  // namespace expectmatch::api
