#include "expectmatch/service/match.h"

#include "expectmatch/service/clock.h"
#include "expectmatch/service/understanding.h"

namespace expectmatch::service {

using datasets::Json;

Status MatchNeed(const MatchSources& sources, const MatchRequest& request, const Principal* caller,
                 MatchOutcome* outcome) {
  outcome->snapshot = sources.snapshot;
  const Snapshot& snap = *sources.snapshot;
  if (request.need) {
    outcome->owned_need = *request.need;
  } else if (int index = snap.catalogue.FindNeed(request.need_id); index >= 0) {
    outcome->need = &snap.catalogue.needs()[static_cast<size_t>(index)];
    outcome->catalogue_index = index;
  } else if (std::optional<store::NeedRow> row =
                 sources.store ? sources.store->GetNeed(request.need_id) : std::nullopt) {
    datasets::FieldErrors errors;
    outcome->owned_need = datasets::DecodeNeed(ParseStoredDocument(row->json, "needs " + row->id),
                                               datasets::FieldPath(), snap.references(), &errors);
  }
  if (outcome->owned_need && !request.need && sources.store)
    outcome->owned_need->declined = sources.store->DeclinedBy(outcome->owned_need->id);
  if (outcome->owned_need) outcome->need = &*outcome->owned_need;
  // A stored need of another country is answered as an unknown one, word for word (no
  // existence oracle); an inline need's country is the caller's own input.
  if (!outcome->need || (!request.need && caller && !caller->MayActFor(outcome->need->country))) {
    return Status::NotFound("unknown need \"" + request.need_id + "\"",
                            {{"/need_id", "", "no need with this id"}});
  }
  if (caller && !caller->MayActFor(outcome->need->country)) {
    return Status::Forbidden("this key may only match needs of " + caller->country,
                             {{"/need/country", "", "the need is in " + outcome->need->country}});
  }
  if (outcome->need->themes.empty()) {
    // Submitted from a description: DAECT confirms its themes first.
    return Status::InvalidArgument(
               "the need has no themes yet; confirm them (PATCH /v1/needs/{id}) before matching",
               {{request.need ? "/need/themes" : "/themes", "",
                 "no themes: choose them among suggested_themes"}})
        .With("suggested_themes", NeedSuggestedThemesJson(snap, outcome->need->description));
  }
  // The partner as typed is recognised before ranking (on a copy: the catalogue's need stays).
  if (!outcome->owned_need) outcome->owned_need = *outcome->need;
  outcome->need = &*outcome->owned_need;
  outcome->partner = RecognisePartner(snap, &*outcome->owned_need);
  const matcher::Need& need = *outcome->need;
  matcher::Profile base;
  if (Status found = sources.profiles->Resolve(request.profile, request.profile_version, &base);
      !found.ok()) {
    // A profile named in the body is one of its fields (422, not 404), as for batch plans.
    return Status::InvalidArgument("the match request is invalid",
                                   {{found.fields().front().pointer, "", found.message()}});
  }
  datasets::FieldErrors errors;
  std::optional<matcher::Profile> profile = EffectiveProfile(base, request, &errors);
  if (!profile) return Status::InvalidArgument("the match request is invalid", errors);
  outcome->profile = std::move(*profile);

  matcher::RankOptions options;
  options.k = request.k;
  options.explain = request.explain;
  options.list_excluded = request.include_excluded;
  options.max_per_region = request.max_per_region;
  outcome->ranking = matcher::RankNeed(snap.catalogue, need, outcome->profile, options);
  return Status::Ok();
}

Status AnswerMatch(const MatchSources& sources, RankingLog* log, const Json& body,
                   const Principal* caller, MatchAnswer* answer) {
  datasets::FieldErrors errors;
  std::optional<MatchRequest> request =
      DecodeMatchRequest(body, sources.snapshot->references(), &errors);
  if (!request) return Status::InvalidArgument("the match request is invalid", errors);
  MatchOutcome outcome;
  if (Status status = MatchNeed(sources, *request, caller, &outcome); !status.ok()) return status;

  const matcher::Catalogue& catalogue = outcome.snapshot->catalogue;
  const matcher::Need& need = *outcome.need;
  answer->request_id = NewTimeOrderedId();
  if (log) {
    // A stored need by reference (its id and the hash of the need as stored, its partner as
    // typed), an inline one whole (with the partner it was recognised as). A catalogue need's
    // hash is the snapshot's, computed once.
    std::string digest;
    if (outcome.catalogue_index >= 0) {
      digest = outcome.snapshot->CatalogueNeedDigest(static_cast<size_t>(outcome.catalogue_index));
    } else {
      matcher::Need as_found = need;
      as_found.partner = outcome.partner.written;
      as_found.partner_recognised_from.clear();
      digest = NeedDigest(as_found);
    }
    log->Record({answer->request_id, NowRfc3339(), outcome.profile.name, outcome.profile.version,
                 need.id, request->need ? datasets::Encode(need).dump() : std::string(),
                 EncodeLoggedCandidates(outcome.ranking, catalogue),
                 EncodeLoggedServing(outcome.profile, *request), std::move(digest)});
  }
  answer->body = EncodeRanking(outcome.ranking, catalogue, need, request->explain, &*request,
                               answer->request_id, &outcome.partner);
  return Status::Ok();
}

}  // namespace expectmatch::service
