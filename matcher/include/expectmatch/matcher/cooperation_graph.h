// The decentralised-cooperation network as a graph (Boost.Graph), and the proximity of French
// authorities to a foreign partner in it.
//
// Vertices are French authorities [0, A), foreign partner authorities [A, A + P) and countries
// [A + P, A + P + C). Each cooperation link is an edge authority–partner carrying its validity;
// each partner is joined to its country. Built once per catalogue snapshot; immutable after,
// so any number of threads may query it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "expectmatch/matcher/date.h"
#include "expectmatch/matcher/model.h"

namespace expectmatch::matcher {

// How close an authority is to the need's partner, from closest to farthest.
enum class ProximityLevel : uint8_t {
  kNone = 0,
  kSameCountry,       // cooperates (actively) with some partner in the need's country
  kPartnerOfPartner,  // cooperates with a partner that shares a French authority with the need's partner
  kDirectPartner,     // cooperates with the need's partner itself
};

// Value credited by `partner_history`: 1, 1/2, 1/4, 0.
double ProximityValue(ProximityLevel level);

struct ProximityHit {
  uint32_t authority = 0;
  ProximityLevel level = ProximityLevel::kNone;
  uint32_t via = 0;  // vertex through which the level was reached (a partner)
};

class CooperationGraph {
 public:
  struct EdgeValidity {
    int since = 0;
    int until = 0;  // inclusive; INT32_MAX when open-ended
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property, EdgeValidity>;

  CooperationGraph() = default;
  // `authority_of` maps each cooperation to its authority index (-1 to skip the link).
  CooperationGraph(size_t authorities, const std::vector<Cooperation>& links, const std::vector<int>& authority_of);

  // The partner's vertex: by id when the partner has one, else by country and name; -1 when
  // the network does not know it.
  int FindPartner(const std::string& country, const Partner& partner) const;
  int FindCountry(const std::string& country) const;
  const std::string& PartnerName(uint32_t vertex) const { return partner_names_[vertex - authorities_]; }

  // Every authority with a cooperation active on `day` directly with `partner_vertex`, or with
  // a partner that shares such an authority (partner of a partner), at its best level; sorted
  // by authority. A bounded breadth-first search: partner → its authorities (direct) → their
  // other partners → those partners' authorities. Empty when partner_vertex < 0.
  std::vector<ProximityHit> PartnerProximity(int partner_vertex, Date day) const;
  // Whether `authority` has a cooperation active on `day` with a partner in the country of
  // `country_vertex`; `via` receives the first such partner's vertex.
  bool CooperatesInCountry(uint32_t authority, int country_vertex, Date day, uint32_t* via) const;

  const Graph& graph() const { return graph_; }
  size_t authorities() const { return authorities_; }

 private:
  Graph graph_;
  size_t authorities_ = 0;
  std::unordered_map<std::string, uint32_t> partner_vertex_;  // partner key → vertex
  std::unordered_map<std::string, uint32_t> country_vertex_;  // ISO code → vertex
  std::vector<std::string> partner_names_;                    // by vertex − authorities_
  std::vector<uint32_t> partner_country_;                     // country vertex, by vertex − authorities_
};

}  // namespace expectmatch::matcher
