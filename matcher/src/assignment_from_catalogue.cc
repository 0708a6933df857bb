#include <algorithm>
#include <unordered_map>

#include "expectmatch/matcher/assignment.h"
#include "expectmatch/matcher/ranker.h"

namespace expectmatch::matcher {

AssignmentProblem ProblemFromCatalogue(const Catalogue& catalogue,
                                       const std::vector<const Need*>& needs,
                                       const Profile& profile, int year) {
  AssignmentProblem problem;
  std::unordered_map<AuthorityIndex, uint32_t> authority_row;
  RankOptions options;
  options.k = catalogue.size();
  options.explain = false;
  for (const Need* need : needs) {
    const auto need_row = static_cast<uint32_t>(problem.needs.size());
    problem.needs.push_back(need->id);
    problem.demand.push_back(1);
    Ranking ranking = RankNeed(catalogue, *need, profile, options);
    for (const Candidate& candidate : ranking.candidates) {
      auto [it, inserted] = authority_row.emplace(
          candidate.collectivite, static_cast<uint32_t>(problem.authorities.size()));
      if (inserted) {
        const AuthorityIndex c = candidate.collectivite;
        problem.authorities.push_back(catalogue.collectivites()[c].id);
        problem.min_load.push_back(0);
        problem.max_load.push_back(
            std::max(0, catalogue.Capacity(c) - catalogue.CapacityUsed(c, year)));
      }
      problem.edges.push_back({need_row, it->second, candidate.score});
    }
  }
  return problem;
}

bool IsOpenForAssignment(const Need& need) {
  return need.status == NeedStatus::kSubmitted || need.status == NeedStatus::kShortlisted;
}

std::vector<const Need*> OpenNeedsOfPeriod(const Catalogue& catalogue, std::optional<Date> from,
                                           std::optional<Date> to) {
  std::vector<const Need*> out;
  for (const Need& need : catalogue.needs()) {
    if (!IsOpenForAssignment(need) || (from && need.period.end < *from) ||
        (to && need.period.start > *to))
      continue;
    out.push_back(&need);
  }
  return out;
}

int CapacityYear(const std::vector<const Need*>& needs, std::optional<Date> from) {
  if (from) return from->Year();
  int year = needs.front()->period.start.Year();
  for (const Need* need : needs) year = std::min(year, need->period.start.Year());
  return year;
}

}  // namespace expectmatch::matcher
