// The label history's rows for a change of an authority's labels, the one diff every writer
// uses (PUT /v1/collectivites/{id}, the imports, a decision on a label application).
#pragma once

#include <string>
#include <vector>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

// The rows that take an authority's labels from `before` to `after` (JSON arrays of
// {theme, since, until}, as the record's `labels`; `before` null or empty for a new authority),
// in the order of `after` then of `before`: a theme not held before is `granted`; held before
// until a date and now until a later one (or open-ended), `renewed`; held before with other
// dates, `changed`; held before and no longer, `withdrawn` (with its old dates). An unchanged
// label gives no row.
std::vector<store::LabelHistoryRow> LabelChanges(const std::string& collectivite,
                                                 const datasets::Json& before,
                                                 const datasets::Json& after, const std::string& at,
                                                 const std::string& by);

}  // namespace expectmatch::service
