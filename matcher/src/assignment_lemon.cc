// The production engine: LEMON's NetworkSimplex (lower bounds and supplies handled natively).
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include "assignment_network.h"

namespace expectmatch::matcher::internal {

std::optional<FlowSolution> SolveNetworkSimplex(const FlowNetwork& network) {
  using Graph = lemon::SmartDigraph;
  Graph graph;
  graph.reserveNode(network.nodes);
  graph.reserveArc(static_cast<int>(network.arcs.size()));
  std::vector<Graph::Node> nodes;
  nodes.reserve(static_cast<size_t>(network.nodes));
  for (int v = 0; v < network.nodes; ++v) nodes.push_back(graph.addNode());
  std::vector<Graph::Arc> arcs;
  arcs.reserve(network.arcs.size());
  for (const FlowNetwork::Arc& arc : network.arcs) {
    arcs.push_back(
        graph.addArc(nodes[static_cast<size_t>(arc.from)], nodes[static_cast<size_t>(arc.to)]));
  }
  Graph::ArcMap<int64_t> lower(graph), upper(graph), cost(graph);
  for (size_t a = 0; a < arcs.size(); ++a) {
    lower[arcs[a]] = network.arcs[a].lower;
    upper[arcs[a]] = network.arcs[a].upper;
    cost[arcs[a]] = network.arcs[a].cost;
  }
  Graph::NodeMap<int64_t> supply(graph);
  for (size_t v = 0; v < nodes.size(); ++v) supply[nodes[v]] = network.supply[v];

  lemon::NetworkSimplex<Graph, int64_t, int64_t> simplex(graph);
  simplex.lowerMap(lower).upperMap(upper).costMap(cost).supplyMap(supply);
  if (simplex.run() != lemon::NetworkSimplex<Graph, int64_t, int64_t>::OPTIMAL) return std::nullopt;
  FlowSolution solution;
  solution.flow.resize(arcs.size());
  for (size_t a = 0; a < arcs.size(); ++a) solution.flow[a] = simplex.flow(arcs[a]);
  solution.potential.resize(nodes.size());
  for (size_t v = 0; v < nodes.size(); ++v) solution.potential[v] = simplex.potential(nodes[v]);
  return solution;
}

}  // namespace expectmatch::matcher::internal
