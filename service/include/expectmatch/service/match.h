// Ranking one need: the use case behind POST /v1/match and `expectmatch match`.
//
// MatchNeed finds the need (inline, in the snapshot, or written to the store since the
// snapshot was built), checks the caller may act for its country, resolves the profile and
// applies the request's weight overrides, and ranks. AnswerMatch adds what the endpoint does
// around it: decode the body, log the ranking served, encode the answer. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "expectmatch/matcher/ranker.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/service/match_json.h"
#include "expectmatch/service/profiles.h"
#include "expectmatch/service/ranking_log.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/service/status.h"
#include "expectmatch/service/understanding.h"

namespace expectmatch::service {

// Where a ranking reads from.
struct MatchSources {
  std::shared_ptr<const Snapshot> snapshot;
  const ProfileResolver* profiles = nullptr;
  store::Store* store = nullptr;  // for needs written since the snapshot was built; may be null
};

// A ranking and what it was computed with.
struct MatchOutcome {
  std::shared_ptr<const Snapshot> snapshot;  // keeps the catalogue (and a catalogue need) alive
  std::optional<matcher::Need> owned_need;   // an inline need, or one read from the store
  const matcher::Need* need = nullptr;       // the need ranked
  int catalogue_index = -1;  // the need's index in the snapshot's catalogue; -1: not from it
  matcher::Profile profile;                  // the profile with the request's overrides applied
  matcher::Ranking ranking;
  PartnerRecognition partner;  // how the need's partner was recognised before ranking
};

// The need's partner, typed as a name or an id in any spelling, is recognised first
// (RecognisePartner): the ranking sees the partner it designates. InvalidArgument naming
// `/themes` (with the suggested themes) when the need has no themes yet.
// NotFound when the need is unknown or is a stored need of a country `caller` (null: trusted)
// may not act for (the same answer: no existence oracle), Forbidden for an inline need of such
// a country, InvalidArgument naming /profile or /profile_version when the profile is unknown,
// or when the overrides leave no positive weight.
// REQUIRES: sources.snapshot and sources.profiles are set.
Status MatchNeed(const MatchSources& sources, const MatchRequest& request, const Principal* caller,
                 MatchOutcome* outcome);

struct MatchAnswer {
  std::string request_id;  // also in the body
  std::string body;        // the response document (JSON text)
};

// POST /v1/match without the transport: decodes `body` (InvalidArgument naming every field at
// fault), MatchNeed, records the ranking in `log` (may be null), encodes the answer.
Status AnswerMatch(const MatchSources& sources, RankingLog* log, const datasets::Json& body,
                   const Principal* caller, MatchAnswer* answer);

}  // namespace expectmatch::service
