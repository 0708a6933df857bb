#include "expectmatch/matcher/cooperation_graph.h"

#include <algorithm>
#include <limits>

namespace expectmatch::matcher {
namespace {

std::string PartnerKey(const std::string& country, const Partner& partner) {
  return partner.id.empty() ? "name:" + country + ":" + partner.name : "id:" + partner.id;
}

bool Active(const CooperationGraph::EdgeValidity& validity, int day) {
  return validity.since <= day && day <= validity.until;
}

}  // namespace

double ProximityValue(ProximityLevel level) {
  switch (level) {
    case ProximityLevel::kDirectPartner:
      return 1.0;
    case ProximityLevel::kPartnerOfPartner:
      return 0.5;
    case ProximityLevel::kSameCountry:
      return 0.25;
    case ProximityLevel::kNone:
      return 0.0;
  }
  return 0.0;
}

CooperationGraph::CooperationGraph(size_t authorities, const std::vector<Cooperation>& links,
                                   const std::vector<int>& authority_of)
    : graph_(authorities), authorities_(authorities) {
  // Partners first, then countries, so that vertex ranges stay contiguous.
  std::vector<uint32_t>& link_partner = link_partner_;
  link_partner.resize(links.size());
  for (size_t i = 0; i < links.size(); ++i) {
    std::string key = PartnerKey(links[i].country, links[i].partner);
    auto [it, inserted] =
        partner_vertex_.emplace(key, static_cast<uint32_t>(authorities_ + partner_names_.size()));
    if (inserted) {
      partner_names_.push_back(links[i].partner.name);
      boost::add_vertex(graph_);
    }
    link_partner[i] = it->second;
  }
  std::vector<std::string> partner_country(partner_names_.size());
  for (size_t i = 0; i < links.size(); ++i)
    partner_country[link_partner[i] - authorities_] = links[i].country;
  for (size_t p = 0; p < partner_country.size(); ++p) {
    auto [it, inserted] = country_vertex_.emplace(
        partner_country[p], static_cast<uint32_t>(boost::num_vertices(graph_)));
    if (inserted) boost::add_vertex(graph_);
    boost::add_edge(static_cast<uint32_t>(authorities_ + p), it->second,
                    EdgeValidity{std::numeric_limits<int>::min(), std::numeric_limits<int>::max()},
                    graph_);
  }
  for (size_t i = 0; i < links.size(); ++i) {
    if (authority_of[i] < 0) continue;
    EdgeValidity validity{links[i].since.days,
                          links[i].until ? links[i].until->days : std::numeric_limits<int>::max()};
    boost::add_edge(static_cast<uint32_t>(authority_of[i]), link_partner[i], validity, graph_);
  }
}

int CooperationGraph::FindPartner(const std::string& country, const Partner& partner) const {
  auto it = partner_vertex_.find(PartnerKey(country, partner));
  return it == partner_vertex_.end() ? -1 : static_cast<int>(it->second);
}

int CooperationGraph::FindCountry(const std::string& country) const {
  auto it = country_vertex_.find(country);
  return it == country_vertex_.end() ? -1 : static_cast<int>(it->second);
}

CooperationGraph::Neighbourhood CooperationGraph::PartnerNeighbourhood(int partner_vertex,
                                                                       Date day) const {
  Neighbourhood out;
  if (partner_vertex < 0) return out;
  const int today = day.days;
  const auto partner = static_cast<uint32_t>(partner_vertex);
  for (auto [e, end] = boost::out_edges(partner, graph_); e != end; ++e) {
    uint32_t a = static_cast<uint32_t>(boost::target(*e, graph_));
    if (a < authorities_ && Active(graph_[*e], today)) out.direct.push_back(a);
  }
  std::sort(out.direct.begin(), out.direct.end());
  out.direct.erase(std::unique(out.direct.begin(), out.direct.end()), out.direct.end());
  for (uint32_t a : out.direct) {
    for (auto [e, end] = boost::out_edges(a, graph_); e != end; ++e) {
      uint32_t p = static_cast<uint32_t>(boost::target(*e, graph_));
      if (p != partner && Active(graph_[*e], today)) out.second_partners.push_back(p);
    }
  }
  std::sort(out.second_partners.begin(), out.second_partners.end());
  out.second_partners.erase(std::unique(out.second_partners.begin(), out.second_partners.end()),
                            out.second_partners.end());
  return out;
}

}  // namespace expectmatch::matcher
