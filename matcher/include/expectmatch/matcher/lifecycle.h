// The life of a need: submitted → shortlisted → proposed (to an authority, which accepts or
// declines) → assigned → in mission → report due → closed, or cancelled from any state before
// closed.
#pragma once

#include <vector>

#include "expectmatch/matcher/model.h"

namespace expectmatch::matcher {

// The states a need may move to from `from`, in a fixed order; empty for closed and cancelled.
//   submitted   → shortlisted, proposed, assigned, cancelled
//   shortlisted → submitted, proposed, assigned, cancelled
//   proposed    → shortlisted (declined, expired or withdrawn), assigned (accepted), cancelled
//   assigned    → shortlisted (the decision is withdrawn), in_mission, cancelled
//   in_mission  → report_due, closed, cancelled
//   report_due  → closed
const std::vector<NeedStatus>& AllowedMoves(NeedStatus from);
bool CanMove(NeedStatus from, NeedStatus to);

}  // namespace expectmatch::matcher
