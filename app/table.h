// French text tables for the command line.
#pragma once

#include <string>

#include "expectmatch/matcher/catalogue.h"
#include "expectmatch/matcher/ranker.h"

namespace expectmatch::app {

// The shortlist as a table (rank, authority, score, one column per feature), each candidate
// followed by its reasons, then the excluded counted per filter.
std::string FormatRankingTable(const matcher::Ranking& ranking, const matcher::Catalogue& catalogue,
                               const matcher::Need& need);

}  // namespace expectmatch::app
