#include "expectmatch/matcher/cooperation_graph.h"

#include <algorithm>
#include <limits>

namespace expectmatch::matcher {
namespace {

std::string PartnerKey(const std::string& country, const Partner& partner) {
  return partner.id.empty() ? "name:" + country + ":" + partner.name : "id:" + partner.id;
}

bool Active(const CooperationGraph::EdgeValidity& validity, int day) { return validity.since <= day && day <= validity.until; }

}  // namespace

double ProximityValue(ProximityLevel level) {
  switch (level) {
    case ProximityLevel::kDirectPartner: return 1.0;
    case ProximityLevel::kPartnerOfPartner: return 0.5;
    case ProximityLevel::kSameCountry: return 0.25;
    case ProximityLevel::kNone: return 0.0;
  }
  return 0.0;
}

CooperationGraph::CooperationGraph(size_t authorities, const std::vector<Cooperation>& links,
                                   const std::vector<int>& authority_of)
    : graph_(authorities), authorities_(authorities) {
  // Partners first, then countries, so that vertex ranges stay contiguous.
  std::vector<uint32_t> link_partner(links.size());
  for (size_t i = 0; i < links.size(); ++i) {
    std::string key = PartnerKey(links[i].country, links[i].partner);
    auto [it, inserted] = partner_vertex_.emplace(key, static_cast<uint32_t>(authorities_ + partner_names_.size()));
    if (inserted) {
      partner_names_.push_back(links[i].partner.name);
      boost::add_vertex(graph_);
    }
    link_partner[i] = it->second;
  }
  std::vector<std::string> partner_country(partner_names_.size());
  for (size_t i = 0; i < links.size(); ++i) partner_country[link_partner[i] - authorities_] = links[i].country;
  for (size_t p = 0; p < partner_country.size(); ++p) {
    auto [it, inserted] = country_vertex_.emplace(partner_country[p], static_cast<uint32_t>(boost::num_vertices(graph_)));
    if (inserted) boost::add_vertex(graph_);
    partner_country_.push_back(it->second);
    boost::add_edge(static_cast<uint32_t>(authorities_ + p), it->second,
                    EdgeValidity{std::numeric_limits<int>::min(), std::numeric_limits<int>::max()}, graph_);
  }
  for (size_t i = 0; i < links.size(); ++i) {
    if (authority_of[i] < 0) continue;
    EdgeValidity validity{links[i].since.days, links[i].until ? links[i].until->days : std::numeric_limits<int>::max()};
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

std::vector<ProximityHit> CooperationGraph::PartnerProximity(int partner_vertex, Date day) const {
  std::vector<ProximityHit> hits;
  if (partner_vertex < 0) return hits;
  const int today = day.days;
  const auto partner = static_cast<uint32_t>(partner_vertex);
  auto is_authority = [&](uint32_t v) { return v < authorities_; };
  std::vector<uint32_t> direct;
  for (auto [e, end] = boost::out_edges(partner, graph_); e != end; ++e) {
    uint32_t a = static_cast<uint32_t>(boost::target(*e, graph_));
    if (!is_authority(a) || !Active(graph_[*e], today)) continue;
    hits.push_back({a, ProximityLevel::kDirectPartner, partner});
    direct.push_back(a);
  }
  std::sort(direct.begin(), direct.end());
  direct.erase(std::unique(direct.begin(), direct.end()), direct.end());
  std::vector<uint32_t> second;  // partners of the direct authorities, other than the need's
  for (uint32_t a : direct) {
    for (auto [e, end] = boost::out_edges(a, graph_); e != end; ++e) {
      uint32_t p = static_cast<uint32_t>(boost::target(*e, graph_));
      if (p != partner && Active(graph_[*e], today)) second.push_back(p);
    }
  }
  std::sort(second.begin(), second.end());
  second.erase(std::unique(second.begin(), second.end()), second.end());
  for (uint32_t p : second) {
    for (auto [e, end] = boost::out_edges(p, graph_); e != end; ++e) {
      uint32_t a = static_cast<uint32_t>(boost::target(*e, graph_));
      if (is_authority(a) && Active(graph_[*e], today)) hits.push_back({a, ProximityLevel::kPartnerOfPartner, p});
    }
  }
  // Keep each authority's best level; among equals, the smallest via vertex (deterministic).
  std::sort(hits.begin(), hits.end(), [](const ProximityHit& x, const ProximityHit& y) {
    if (x.authority != y.authority) return x.authority < y.authority;
    if (x.level != y.level) return x.level > y.level;
    return x.via < y.via;
  });
  hits.erase(std::unique(hits.begin(), hits.end(),
                         [](const ProximityHit& x, const ProximityHit& y) { return x.authority == y.authority; }),
             hits.end());
  return hits;
}

bool CooperationGraph::CooperatesInCountry(uint32_t authority, int country_vertex, Date day, uint32_t* via) const {
  if (country_vertex < 0) return false;
  for (auto [e, end] = boost::out_edges(authority, graph_); e != end; ++e) {
    uint32_t p = static_cast<uint32_t>(boost::target(*e, graph_));
    if (partner_country_[p - authorities_] == static_cast<uint32_t>(country_vertex) && Active(graph_[*e], day.days)) {
      if (via) *via = p;
      return true;
    }
  }
  return false;
}

}  // namespace expectmatch::matcher
