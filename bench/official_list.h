// The official list of French local authorities for the national-scale benchmarks: when CMake
// knows where the installed package is (EXPECTMATCH_OFFICIAL_LIST_DIR), the 36,000-authority
// data sets are drawn from it (real names, régions, kinds and populations); otherwise, and for
// the other sizes, the generator invents them as before.
#pragma once

#include <cstdio>
#include <vector>

#include "expectmatch/datasets/official_list.h"

namespace expectmatch::bench {

inline const std::vector<datasets::OfficialAuthority>& OfficialListFor(size_t authorities) {
  static const std::vector<datasets::OfficialAuthority> kNone;
#ifdef EXPECTMATCH_OFFICIAL_LIST_DIR
  static const datasets::OfficialList kList = [] {
    datasets::OfficialList list = datasets::ReadOfficialList(EXPECTMATCH_OFFICIAL_LIST_DIR);
    if (!list.ok()) std::fprintf(stderr, "official list unreadable: %s\n", list.errors[0].c_str());
    return list;
  }();
  if (authorities == 36000) return kList.authorities;
#else
  (void)authorities;
#endif
  return kNone;
}

}  // namespace expectmatch::bench
