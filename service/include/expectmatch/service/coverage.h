// Where labels are missing: the use case behind GET /v1/coverage.
//
// Over the needs of a period, for each country and theme in demand: how many needs, which
// labelled authorities could take them (every hard filter passed for at least one of those
// needs, the ranking of the match endpoint on the current snapshot with the default profile),
// and the needs no one could take, with the filters that removed their candidates. Per country:
// needs, uncovered needs and their share. Per theme in demand: the labelled authorities of each
// French région, so that DAECT sees whom to invite to apply. Thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/matcher/catalogue.h"
#include "expectmatch/matcher/date.h"
#include "expectmatch/matcher/profile.h"
#include "expectmatch/service/live_snapshot.h"
#include "expectmatch/service/needs.h"
#include "expectmatch/service/profiles.h"
#include "expectmatch/service/status.h"

namespace expectmatch::service {

// The longest period a coverage may span, in years.
inline constexpr int kMaxCoverageYears = 5;
// The best authorities named for each country and theme.
inline constexpr size_t kCoverageTop = 3;

struct CoverageQuery {
  matcher::Date from;
  matcher::Date to;   // from <= to, at most kMaxCoverageYears later
  std::string theme;  // empty: every theme; else that theme and its sub-themes
};

// Reads `from`, `to` (YYYY-MM-DD, both required) and `theme` (a theme of `catalogue`).
// InvalidArgument naming every parameter at fault: missing or invalid date, `to` before
// `from`, a span over kMaxCoverageYears years, an unknown theme, an unknown parameter.
Status ParseCoverageQuery(const QueryParameters& parameters, const matcher::Catalogue& catalogue,
                          CoverageQuery* query);

// The coverage document (api/openapi.json, Coverage). A need counts when its period
// intersects [from, to] and it is not cancelled; it counts under each of its themes that the
// theme filter keeps (a need with none kept is left out). The theme × région table counts, for
// each theme in demand, the authorities holding a label on it (or on its domain) valid on at
// least one day of [from, to]. Pure: a function of its arguments.
datasets::Json ComputeCoverage(const matcher::Catalogue& catalogue, const matcher::Profile& profile,
                               const CoverageQuery& query);

class Coverage {
 public:
  // Both must outlive this object.
  Coverage(const LiveSnapshot& snapshots, const ProfileResolver& profiles)
      : snapshots_(snapshots), profiles_(profiles) {}

  // GET /v1/coverage on the current snapshot with the latest `default` profile.
  Status Get(const QueryParameters& parameters, datasets::Json* coverage) const;

 private:
  const LiveSnapshot& snapshots_;
  const ProfileResolver& profiles_;
};

}  // namespace expectmatch::service
