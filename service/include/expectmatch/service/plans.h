// Batch assignment plans: compute a plan for the open needs of a period (matcher::AssignBatch
// on the current snapshot, scores from a profile), read it back, accept it as DAECT's decisions
// in one transaction. Thread-safe.
#pragma once

#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/service/live_snapshot.h"
#include "expectmatch/service/profiles.h"
#include "expectmatch/service/status.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

class Plans {
 public:
  // All must outlive this object.
  Plans(store::Store& store, const LiveSnapshot& snapshots, const ProfileResolver& profiles)
      : store_(store), snapshots_(snapshots), profiles_(profiles) {}

  // POST /v1/assignments: {period_from?, period_to?, needs?, profile?, profile_version?,
  // weights?, top_k?, alternates?, fairness_floor?}; stores the plan with each need's document
  // at that moment and returns it.
  Status Plan(const Principal* caller, const datasets::Json& body, datasets::Json* plan) const;
  // GET /v1/assignments/{id}.
  Status Get(const std::string& id, datasets::Json* plan) const;
  // POST /v1/assignments/{id}/accept: records the plan's decisions, compare-and-set on every
  // need (Conflict, with nothing recorded, when one changed since the plan). `body` may be null
  // (no note).
  Status Accept(const Principal* caller, const std::string& id, const datasets::Json* body,
                datasets::Json* plan) const;

 private:
  store::Store& store_;
  const LiveSnapshot& snapshots_;
  const ProfileResolver& profiles_;
};

}  // namespace expectmatch::service
