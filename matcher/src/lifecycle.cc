#include "expectmatch/matcher/lifecycle.h"

#include <algorithm>

namespace expectmatch::matcher {

const std::vector<NeedStatus>& AllowedMoves(NeedStatus from) {
  using S = NeedStatus;
  static const std::vector<S> kSubmitted = {S::kShortlisted, S::kProposed, S::kAssigned,
                                            S::kCancelled};
  static const std::vector<S> kShortlisted = {S::kSubmitted, S::kProposed, S::kAssigned,
                                              S::kCancelled};
  static const std::vector<S> kProposed = {S::kShortlisted, S::kAssigned, S::kCancelled};
  static const std::vector<S> kAssigned = {S::kShortlisted, S::kInMission, S::kCancelled};
  static const std::vector<S> kInMission = {S::kReportDue, S::kClosed, S::kCancelled};
  static const std::vector<S> kReportDue = {S::kClosed};
  static const std::vector<S> kNone = {};
  switch (from) {
    case S::kSubmitted:
      return kSubmitted;
    case S::kShortlisted:
      return kShortlisted;
    case S::kProposed:
      return kProposed;
    case S::kAssigned:
      return kAssigned;
    case S::kInMission:
      return kInMission;
    case S::kReportDue:
      return kReportDue;
    case S::kClosed:
    case S::kCancelled:
      return kNone;
  }
  return kNone;
}

bool CanMove(NeedStatus from, NeedStatus to) {
  const auto& moves = AllowedMoves(from);
  return std::find(moves.begin(), moves.end(), to) != moves.end();
}

}  // namespace expectmatch::matcher
