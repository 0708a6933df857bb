// The labelled authorities as records: list with filters, read, create or replace.
// Thread-safe.
#pragma once

#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/live_snapshot.h"
#include "expectmatch/service/needs.h"
#include "expectmatch/service/status.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

class Collectivites {
 public:
  // Both must outlive this object.
  Collectivites(store::Store& store, const LiveSnapshot& snapshots)
      : store_(store), snapshots_(snapshots) {}

  // GET /v1/collectivites: filters region, kind, theme, language; paging.
  Status List(const QueryParameters& query, datasets::Json* page) const;
  // GET /v1/collectivites/{id}: a collectivité's key reads its own record only (another's
  // answers as an unknown one).
  Status Get(const Principal* caller, const std::string& id, datasets::Json* collectivite) const;
  // PUT /v1/collectivites/{id}: validates and stores `body` (its id defaults to `id`); the next
  // ranking sees it. `*created` tells whether the record is new. The label changes are appended
  // to the label history in the same transaction, made `by` (a key id).
  Status Put(const std::string& id, datasets::Json body, datasets::Json* collectivite,
             bool* created, const std::string& by = "cli") const;

 private:
  store::Store& store_;
  const LiveSnapshot& snapshots_;
};

}  // namespace expectmatch::service
