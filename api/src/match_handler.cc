// POST /v1/match.
#include "expectmatch/api/match_json.h"
#include "expectmatch/api/service.h"
#include "expectmatch/matcher/ranker.h"
#include "handler_util.h"

namespace expectmatch::api {

using internal::Json;

HttpResponse Service::PostMatch(const Call& call) const {
  Json body;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  auto snap = snapshot();
  datasets::FieldErrors errors;
  std::optional<MatchRequest> match = DecodeMatchRequest(body, snap->references(), &errors);
  if (!match) return Problem(422, "the match request is invalid", errors);

  // The need: inline, in the snapshot, or (written since the snapshot was built) in the store.
  std::optional<matcher::Need> stored;
  const matcher::Need* need = match->need ? &*match->need : nullptr;
  if (!need) {
    if (int index = snap->catalogue.FindNeed(match->need_id); index >= 0) {
      need = &snap->catalogue.needs()[static_cast<size_t>(index)];
    } else if (std::optional<store::NeedRow> row = store_.GetNeed(match->need_id)) {
      datasets::FieldErrors stored_errors;
      stored = datasets::DecodeNeed(Json::parse(row->json), datasets::FieldPath(), snap->references(), &stored_errors);
      if (stored) need = &*stored;
    }
    if (!need) return Problem(404, "unknown need \"" + match->need_id + "\"", {{"/need_id", "", "no need with this id"}});
  }
  const Principal* caller = call.principal;
  if (caller && caller->role == Role::kEmbassy && need->country != caller->country) {
    return Problem(403, "this key may only match needs of " + caller->country,
                   {{match->need ? "/need/country" : "/need_id", "", "the need is in " + need->country}});
  }

  std::optional<matcher::Profile> base = LookUpProfile(match->profile, match->profile_version);
  if (!base) {
    std::string known;
    for (const auto& [name, profile] : *profiles()) known += (known.empty() ? "" : ", ") + name;
    return Problem(404, "unknown profile \"" + match->profile + "\"" +
                            (match->profile_version ? " version " + std::to_string(*match->profile_version) : ""),
                   {{match->profile_version ? "/profile_version" : "/profile", "", "known profiles: " + known}});
  }
  std::optional<matcher::Profile> profile = EffectiveProfile(*base, *match, &errors);
  if (!profile) return Problem(422, "the match request is invalid", errors);

  matcher::RankOptions options;
  options.k = match->k;
  options.explain = match->explain;
  options.list_excluded = match->include_excluded;
  options.max_per_region = match->max_per_region;
  matcher::Ranking ranking = matcher::RankNeed(snap->catalogue, *need, *profile, options);

  const std::string request_id = internal::NewRequestId();
  if (log_) {
    log_->Record({request_id, internal::NowRfc3339(), profile->name, profile->version, need->id,
                  datasets::Encode(*need).dump(), EncodeLoggedCandidates(ranking, snap->catalogue)});
  }
  HttpResponse out;
  out.body = EncodeRanking(ranking, snap->catalogue, *need, match->explain, &*match, request_id);
  out.headers["X-Request-Id"] = request_id;
  return out;
}

}  // namespace expectmatch::api
