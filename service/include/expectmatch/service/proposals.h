// Proposals: DAECT proposes a need to a labelled authority, which accepts or declines it.
//
// A proposal is made on a submitted or shortlisted need (the need becomes `proposed`), to an
// authority that passes every hard filter for it; it waits until the authority answers or its
// `respond_by` day has passed. Accepting it is the decision (the need becomes `assigned` and
// holds the authority's capacity); declining it, letting it expire or DAECT withdrawing it sends
// the need back to `shortlisted`, and an authority that declined is left out of the need's next
// rankings (the `declined` hard filter). Every proposal and its answer stay in the store: a
// need's history. Each event writes the e-mail it causes in its own transaction (the outbox).
//
// A collectivité's key sees the proposals made to its own authority only: another's answers as an
// unknown one, word for word. Thread-safe.
#pragma once

#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/matcher/ranker.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/service/live_snapshot.h"
#include "expectmatch/service/needs.h"
#include "expectmatch/service/profiles.h"
#include "expectmatch/service/status.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

// Where an authority stands for a need under the default profile: the hard filter that
// excludes it, or its place in the ranking with its score and French reasons.
struct StandingForNeed {
  std::optional<matcher::Filter> filter;
  size_t rank = 0;  // 1-based among the eligible, when not filtered
  size_t eligible = 0;
  matcher::Candidate candidate;
};

// REQUIRES: `need` is valid against the snapshot's catalogue; `collectivite` is in it.
StandingForNeed StandingOf(const Snapshot& snapshot, const matcher::Need& need,
                           const matcher::Profile& profile, const std::string& collectivite);

// The stored "why" of a proposal (JSON text): rank, eligible, score and reasons by feature.
std::string WhyJson(const Snapshot& snapshot, const StandingForNeed& standing);

// The outbox message telling `proposal.collectivite` of a new proposal of `need` (French).
store::OutboxRow ProposalMadeMail(const Snapshot& snapshot, const matcher::Need& need,
                                  const store::ProposalRow& proposal);

// The e-mails ending a proposal with `proposal.status` (accepted, declined, expired, withdrawn)
// causes (French): DAECT is told of every answer and expiry, the authority of an expiry and of a
// withdrawal.
std::vector<store::OutboxRow> ProposalAnswerMail(const Snapshot& snapshot,
                                                 const store::ProposalRow& proposal,
                                                 const std::string& status);

class Proposals {
 public:
  // All must outlive this object.
  Proposals(store::Store& store, const LiveSnapshot& snapshots, const ProfileResolver& profiles)
      : store_(store), snapshots_(snapshots), profiles_(profiles) {}

  // POST /v1/needs/{id}/proposals: {"collectivite", "message"?, "respond_by"}.
  Status Propose(const Principal* caller, const std::string& need, const datasets::Json& body,
                 datasets::Json* proposal) const;
  // GET /v1/needs/{id}/proposals: the need's proposals, newest first.
  Status OfNeed(const Principal* caller, const std::string& need, datasets::Json* page) const;
  // GET /v1/proposals: filters status, collectivite, need; paging. A collectivité: its own.
  Status List(const Principal* caller, const QueryParameters& query, datasets::Json* page) const;
  // GET /v1/proposals/{id}.
  Status Get(const Principal* caller, const std::string& id, datasets::Json* proposal) const;
  // POST /v1/proposals/{id}/accept: {"note"?}. The authority's answer (or DAECT's on its
  // behalf).
  Status Accept(const Principal* caller, const std::string& id, const datasets::Json& body,
                datasets::Json* proposal) const;
  // POST /v1/proposals/{id}/decline: {"reason"}.
  Status Decline(const Principal* caller, const std::string& id, const datasets::Json& body,
                 datasets::Json* proposal) const;
  // POST /v1/proposals/{id}/withdraw: {"reason"?} (DAECT).
  Status Withdraw(const Principal* caller, const std::string& id, const datasets::Json& body,
                  datasets::Json* proposal) const;
  // Expires the waiting proposals whose respond_by is before `today` (YYYY-MM-DD): each need goes
  // back to shortlisted, DAECT and the authority are told. Returns how many expired.
  size_t ExpireDue(const std::string& today) const;

 private:
  // The proposal `id` if `caller` may see it; NotFound alike when unknown or not visible.
  Status Find(const Principal* caller, const std::string& id, store::ProposalRow* row) const;
  // Ends a waiting proposal (`status`: accepted, declined, expired or withdrawn) with the need's
  // move and the e-mails; Conflict when it is no longer waiting or the need changed.
  Status Close(const Principal* caller, store::ProposalRow row, const std::string& status,
               const std::string& reason, datasets::Json* out) const;
  datasets::Json View(const store::ProposalRow& row, bool with_need) const;

  store::Store& store_;
  const LiveSnapshot& snapshots_;
  const ProfileResolver& profiles_;
};

}  // namespace expectmatch::service
