// Needs and their lifecycle: submission, listing, reading, edits and status moves, DAECT's
// decisions, mission outcomes, overdue reports.
//
// Needs are kept as documents in the store; every update is compare-and-set on the stored
// document, so of two concurrent updates the second is a Conflict rather than a silent undo.
// An embassy caller only ever sees and acts on its own country's needs
// (Principal::MayActFor); another country's need is answered as an unknown one, word for word.
// Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/service/live_snapshot.h"
#include "expectmatch/service/status.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

using QueryParameters = std::multimap<std::string, std::string>;

// DAECT's decision on a stored need: `expected` (the stored document) with `collectivite`
// selected and the status assigned, as a compare-and-set update carrying its decision record.
// nullopt (and `errors`) when the result does not decode.
std::optional<store::NeedUpdate> ApplyDecision(const std::string& expected,
                                               const std::string& collectivite,
                                               store::DecisionRow decision,
                                               datasets::FieldErrors* errors);

class Needs {
 public:
  // Both must outlive this object.
  Needs(store::Store& store, const LiveSnapshot& snapshots)
      : store_(store), snapshots_(snapshots) {}

  // GET /v1/needs: filters status, country, theme, period_from, period_to; paging.
  Status List(const Principal* caller, const QueryParameters& query, datasets::Json* page) const;
  // GET /v1/needs/{id}: the need with its decisions and the selected authority's mission.
  Status Get(const Principal* caller, const std::string& id, datasets::Json* need) const;
  // POST /v1/needs: a new need, `submitted` (an id and submitted_at are given when absent).
  // Themes may be left out when there is a description (suggested_themes then proposes some);
  // the answer lists `possible_duplicates`.
  // Ids "<country code in lower case>-..." are that country's: an embassy's needs have its
  // prefix (given, or required of a supplied id), and no one submits one for another country.
  Status Submit(const Principal* caller, datasets::Json body, datasets::Json* need) const;
  // PATCH /v1/needs/{id}: content edits (while submitted or shortlisted) and status moves.
  Status Patch(const Principal* caller, const std::string& id, const datasets::Json& patch,
               datasets::Json* need) const;
  // POST /v1/needs/{id}/decision: {"collectivite", "note"?}.
  Status Decide(const Principal* caller, const std::string& id, const datasets::Json& body,
                datasets::Json* need) const;
  // PUT /v1/needs/{id}/mission: the selected authority's mission dates and experts (by the
  // authority or DAECT), report delivery and rating (DAECT); fields left out keep what was
  // recorded. A collectivité acts on the needs assigned to it only.
  Status RecordMission(const Principal* caller, const std::string& id, const datasets::Json& body,
                       datasets::Json* outcome) const;
  // GET /v1/missions?collectivite=: the needs assigned to an authority, each with its mission as
  // recorded and the report's due date (the mission's end + 2 months). A collectivité: its own.
  Status Missions(const Principal* caller, const QueryParameters& query,
                  datasets::Json* page) const;
  // GET /v1/reports/overdue: missions whose report is missing 2 months after their end.
  datasets::Json OverdueReports() const;

 private:
  // The stored need `id` if `caller` may see it; NotFound alike when unknown or not visible.
  Status Find(const Principal* caller, const std::string& id, store::NeedRow* row) const;
  // The need document as the API shows it: with its decisions and current mission, the
  // partner recognised (`partner_resolved`) and the themes its description suggests.
  datasets::Json View(const datasets::Json& need) const;
  // The open needs of the same country and partner, with an overlapping period and a similar
  // description: [{"id", "status", "similarity"}].
  datasets::Json PossibleDuplicates(const matcher::Need& need) const;

  store::Store& store_;
  const LiveSnapshot& snapshots_;
};

}  // namespace expectmatch::service
