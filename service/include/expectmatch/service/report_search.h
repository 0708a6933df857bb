// Capitalisation: full-text search over the mission reports, and the reports related to a need.
//
// The index (understanding::ReportIndex) is built from the store's reports and report
// documents, with each report's need, mission and authority taken from the live snapshot. It is
// rebuilt lazily, by the first search that finds the reports changed (Store::ReportsFingerprint)
// or a newer snapshot; searches meanwhile keep the index they started with. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/service/live_snapshot.h"
#include "expectmatch/service/needs.h"
#include "expectmatch/service/status.h"
#include "expectmatch/store/store.h"
#include "expectmatch/understanding/report_index.h"

namespace expectmatch::service {

// The records the index is built from: every stored report, with its document's text, its
// need's country, themes and description and its mission's dates (from `snapshot`, or the
// store for a need written since), and its authority's name. Reports of a need that is known
// nowhere are left out.
std::vector<understanding::ReportRecord> ReportRecords(store::Store& store,
                                                       const Snapshot& snapshot);

class ReportSearch {
 public:
  // Both must outlive this object.
  ReportSearch(store::Store& store, const LiveSnapshot& snapshots)
      : store_(store), snapshots_(snapshots) {}

  // GET /v1/reports: q (at most 500 bytes), theme (repeatable: any of them, each with its
  // sub-themes), country, from and to (the mission's end, YYYY-MM-DD), limit (1–50, default 10),
  // offset. q may be left out when a filter is given. Every invalid parameter is an
  // InvalidArgument naming it.
  Status Search(const QueryParameters& query, datasets::Json* page) const;

  // GET /v1/needs/{id}/related-reports: what earlier missions learnt on a need's subject, by its
  // description and themes, reports of its country and themes first, its own left out; limit
  // 1–10 (default 3). A need `caller` may not read is NotFound, as an unknown one; an embassy
  // gets its own country's reports only.
  Status Related(const Principal* caller, const std::string& need, const QueryParameters& query,
                 datasets::Json* page) const;

  // The current index, rebuilt first when the reports or the snapshot changed since.
  std::shared_ptr<const understanding::ReportIndex> Index() const;

 private:
  store::Store& store_;
  const LiveSnapshot& snapshots_;
  mutable std::mutex mutex_;  // guards the three below and serialises rebuilds
  mutable std::shared_ptr<const understanding::ReportIndex> index_;
  mutable std::string fingerprint_;
  mutable std::weak_ptr<const Snapshot> built_from_;
};

}  // namespace expectmatch::service
