// Diagnostics before solving (see assignment.h): French sentences naming needs and authorities.
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_set>

#include "assignment_network.h"
#include "expectmatch/matcher/assignment.h"

namespace expectmatch::matcher {
namespace internal {

std::string Quoted(const std::string& id) { return "« " + id + " »"; }

std::string QuotedList(const std::vector<std::string>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size() && i < 5; ++i) out += (i ? ", " : "") + Quoted(ids[i]);
  if (ids.size() > 5) out += ", … (" + std::to_string(ids.size()) + " en tout)";
  return out;
}

namespace {

std::string Plural(int64_t n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n == 1 || n == -1 ? singular : plural);
}

}  // namespace

Diagnosis DiagnoseProblem(const AssignmentProblem& p) {
  Diagnosis d;
  auto malformed = [&](std::string sentence) {
    d.sentences.push_back(std::move(sentence));
    d.malformed = d.infeasible = true;
  };
  const size_t n = p.needs.size(), m = p.authorities.size();
  if (!p.demand.empty() && p.demand.size() != n) {
    malformed("Données incohérentes : " + std::to_string(p.demand.size()) + " demandes pour " +
              std::to_string(n) + " besoins.");
  }
  if (!p.min_load.empty() && p.min_load.size() != m) {
    malformed("Données incohérentes : " + std::to_string(p.min_load.size()) +
              " charges minimales pour " + std::to_string(m) + " collectivités.");
  }
  if (!p.max_load.empty() && p.max_load.size() != m) {
    malformed("Données incohérentes : " + std::to_string(p.max_load.size()) +
              " charges maximales pour " + std::to_string(m) + " collectivités.");
  }
  {
    std::set<std::string> seen;
    for (const std::string& id : p.needs) {
      if (!seen.insert(id).second) malformed("Le besoin " + Quoted(id) + " figure deux fois.");
    }
    seen.clear();
    for (const std::string& id : p.authorities) {
      if (!seen.insert(id).second)
        malformed("La collectivité " + Quoted(id) + " figure deux fois.");
    }
  }
  for (size_t e = 0; e < p.edges.size(); ++e) {
    const AssignmentProblem::Edge& edge = p.edges[e];
    if (edge.need >= n || edge.authority >= m) {
      malformed("Le couple n°" + std::to_string(e + 1) +
                " désigne un besoin ou une collectivité inexistant.");
    } else if (!std::isfinite(edge.score) || std::abs(edge.score) > kMaxAbsScore) {
      malformed("Le score du couple " + Quoted(p.needs[edge.need]) + " → " +
                Quoted(p.authorities[edge.authority]) +
                " n'est pas un nombre fini entre -1000000 et 1000000.");
    }
  }
  for (const auto& [need, authority] : p.forced) {
    if (need >= n || authority >= m)
      malformed("Une affectation imposée désigne un besoin ou une collectivité inexistant.");
  }
  if (d.malformed) return d;

  auto demand = [&](size_t i) -> int64_t { return p.demand.empty() ? 1 : p.demand[i]; };
  auto min_load = [&](size_t j) -> int64_t { return p.min_load.empty() ? 0 : p.min_load[j]; };
  const int64_t unbounded = std::numeric_limits<int64_t>::max() / 4;
  auto max_load = [&](size_t j) -> int64_t {
    return p.max_load.empty() ? unbounded : p.max_load[j];
  };
  for (size_t i = 0; i < n; ++i) {
    if (demand(i) < 0)
      malformed("Le besoin " + Quoted(p.needs[i]) + " a une demande négative (" +
                std::to_string(demand(i)) + ").");
  }
  for (size_t j = 0; j < m; ++j) {
    if (min_load(j) < 0 || max_load(j) < 0) {
      malformed("La collectivité " + Quoted(p.authorities[j]) + " a une charge négative.");
    }
  }
  if (d.malformed) return d;

  auto infeasible = [&](std::string sentence) {
    d.sentences.push_back(std::move(sentence));
    d.infeasible = true;
  };
  // Needs in id order, authorities in id order, so the sentences come out in a stable order.
  std::vector<uint32_t> need_order(n), authority_order(m);
  for (size_t i = 0; i < n; ++i) need_order[i] = static_cast<uint32_t>(i);
  for (size_t j = 0; j < m; ++j) authority_order[j] = static_cast<uint32_t>(j);
  std::sort(need_order.begin(), need_order.end(),
            [&](uint32_t a, uint32_t b) { return p.needs[a] < p.needs[b]; });
  std::sort(authority_order.begin(), authority_order.end(),
            [&](uint32_t a, uint32_t b) { return p.authorities[a] < p.authorities[b]; });

  std::vector<uint32_t> need_rank(n), authority_rank(m);
  for (uint32_t r = 0; r < n; ++r) need_rank[need_order[r]] = r;
  for (uint32_t r = 0; r < m; ++r) authority_rank[authority_order[r]] = r;
  // Eligible pairs, without duplicates, each list in id order.
  std::vector<std::vector<uint32_t>> by_need(n), by_authority(m);
  {
    std::unordered_set<uint64_t> seen;
    seen.reserve(p.edges.size());
    for (const AssignmentProblem::Edge& edge : p.edges) {
      if (!seen.insert(uint64_t{edge.need} << 32 | edge.authority).second) continue;
      by_need[edge.need].push_back(edge.authority);
      by_authority[edge.authority].push_back(edge.need);
    }
    for (auto& list : by_need)
      std::sort(list.begin(), list.end(),
                [&](uint32_t a, uint32_t b) { return authority_rank[a] < authority_rank[b]; });
    for (auto& list : by_authority)
      std::sort(list.begin(), list.end(),
                [&](uint32_t a, uint32_t b) { return need_rank[a] < need_rank[b]; });
  }
  int64_t total_demand = 0, total_max = 0, total_min = 0;
  for (size_t i = 0; i < n; ++i) total_demand += demand(i);
  bool max_unbounded = p.max_load.empty();
  for (size_t j = 0; j < m; ++j) {
    total_min += min_load(j);
    if (!max_unbounded) total_max += max_load(j);
  }
  if (!max_unbounded && total_demand > total_max) {
    infeasible("La demande totale (" + Plural(total_demand, "affectation", "affectations") +
               ") dépasse la capacité maximale totale des collectivités (" +
               std::to_string(total_max) + ").");
  }
  for (uint32_t i : need_order) {
    if (demand(i) == 0) continue;
    std::vector<std::string> usable;
    for (uint32_t j : by_need[i]) {
      if (max_load(j) > 0) usable.push_back(p.authorities[j]);
    }
    if (by_need[i].empty()) {
      infeasible("Le besoin " + Quoted(p.needs[i]) + " n'a aucune collectivité éligible.");
    } else if (usable.empty()) {
      infeasible("Le besoin " + Quoted(p.needs[i]) +
                 " n'a aucune collectivité éligible disposant de capacité.");
    } else if (static_cast<int64_t>(usable.size()) < demand(i)) {
      infeasible("Le besoin " + Quoted(p.needs[i]) + " demande " +
                 Plural(demand(i), "collectivité", "collectivités") + " mais n'en a que " +
                 std::to_string(usable.size()) + " éligible" + (usable.size() == 1 ? "" : "s") +
                 " (" + QuotedList(usable) + ").");
    }
  }
  for (uint32_t j : authority_order) {
    if (min_load(j) == 0) continue;
    if (min_load(j) > max_load(j)) {
      infeasible("La collectivité " + Quoted(p.authorities[j]) + " a une charge minimale (" +
                 std::to_string(min_load(j)) + ") supérieure à sa charge maximale (" +
                 std::to_string(max_load(j)) + ").");
      continue;
    }
    std::vector<std::string> eligible;
    for (uint32_t i : by_authority[j]) {
      if (demand(i) > 0) eligible.push_back(p.needs[i]);
    }
    if (static_cast<int64_t>(eligible.size()) < min_load(j)) {
      infeasible("La collectivité " + Quoted(p.authorities[j]) + " doit recevoir au moins " +
                 Plural(min_load(j), "besoin", "besoins") +
                 (eligible.empty()
                      ? " mais n'est éligible pour aucun besoin."
                      : " mais n'est éligible que pour " + std::to_string(eligible.size()) + " (" +
                            QuotedList(eligible) + ")."));
    }
  }
  if (total_min > total_demand) {
    infeasible("La somme des charges minimales (" + std::to_string(total_min) +
               ") dépasse la demande totale (" + std::to_string(total_demand) + ").");
  }
  // Forced pairs.
  std::set<std::pair<uint32_t, uint32_t>> forced(p.forced.begin(), p.forced.end());
  std::vector<int64_t> forced_per_need(n), forced_per_authority(m);
  std::vector<std::pair<std::string, std::string>> not_eligible;
  for (const auto& [i, j] : forced) {
    if (!std::binary_search(by_need[i].begin(), by_need[i].end(), j, [&](uint32_t a, uint32_t b) {
          return authority_rank[a] < authority_rank[b];
        })) {
      not_eligible.emplace_back(p.needs[i], p.authorities[j]);
    }
    ++forced_per_need[i];
    ++forced_per_authority[j];
  }
  std::sort(not_eligible.begin(), not_eligible.end());
  for (const auto& [need, authority] : not_eligible) {
    infeasible("L'affectation imposée " + Quoted(need) + " → " + Quoted(authority) +
               " n'est pas éligible (conflit ou filtre).");
    d.forced_invalid = true;
  }
  for (uint32_t i : need_order) {
    if (forced_per_need[i] > demand(i)) {
      infeasible("Le besoin " + Quoted(p.needs[i]) + " a " +
                 Plural(forced_per_need[i], "affectation imposée", "affectations imposées") +
                 " pour une demande de " + std::to_string(demand(i)) + ".");
      d.forced_invalid = true;
    }
  }
  for (uint32_t j : authority_order) {
    if (forced_per_authority[j] > max_load(j)) {
      infeasible("La collectivité " + Quoted(p.authorities[j]) + " a " +
                 Plural(forced_per_authority[j], "affectation imposée", "affectations imposées") +
                 " pour une charge maximale de " + std::to_string(max_load(j)) + ".");
      d.forced_invalid = true;
    }
  }
  return d;
}

}  // namespace internal

std::vector<std::string> Diagnose(const AssignmentProblem& problem) {
  return internal::DiagnoseProblem(problem).sentences;
}

}  // namespace expectmatch::matcher
