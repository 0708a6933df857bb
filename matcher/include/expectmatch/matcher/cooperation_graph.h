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
  kDirectPartner,  // cooperates with the need's partner itself
};

// Value credited by `partner_history`: 1, 1/2, 1/4, 0.
double ProximityValue(ProximityLevel level);

struct ProximityHit {
  ProximityLevel level = ProximityLevel::kNone;
  uint32_t via = 0;  // the partner vertex through which the level was reached
};

class CooperationGraph {
 public:
  struct EdgeValidity {
    int since = 0;
    int until = 0;  // inclusive; INT32_MAX when open-ended
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                      boost::no_property, EdgeValidity>;

  CooperationGraph() = default;
  // `authority_of` maps each cooperation to its authority index (-1 to skip the link).
  CooperationGraph(size_t authorities, const std::vector<Cooperation>& links,
                   const std::vector<int>& authority_of);

  // The partner's vertex: by id when the partner has one, else by country and name; -1 when
  // the network does not know it.
  int FindPartner(const std::string& country, const Partner& partner) const;
  int FindCountry(const std::string& country) const;
  const std::string& PartnerName(uint32_t vertex) const {
    return partner_names_[vertex - authorities_];
  }

  // The need partner's neighbourhood on `day`, by a breadth-first search bounded at two
  // steps: the authorities cooperating with the partner (direct), then the other partners of
  // those authorities (the second ring). An authority cooperating with a second-ring partner
  // is a partner of a partner. Both lists sorted; empty when partner_vertex < 0.
  struct Neighbourhood {
    std::vector<uint32_t> direct;           // authority vertices
    std::vector<uint32_t> second_partners;  // partner vertices, the need's partner excluded
  };
  Neighbourhood PartnerNeighbourhood(int partner_vertex, Date day) const;

  // The partner vertex of each cooperation given to the constructor.
  uint32_t LinkPartner(size_t cooperation) const { return link_partner_[cooperation]; }

  const Graph& graph() const { return graph_; }
  size_t authorities() const { return authorities_; }

 private:
  Graph graph_;
  size_t authorities_ = 0;
  std::unordered_map<std::string, uint32_t> partner_vertex_;  // partner key → vertex
  std::unordered_map<std::string, uint32_t> country_vertex_;  // ISO code → vertex
  std::vector<std::string> partner_names_;                    // by vertex − authorities_
  std::vector<uint32_t> link_partner_;                        // partner vertex, by cooperation
};

}  // namespace expectmatch::matcher
