// The cross-check engine (tests and benchmarks): Boost.Graph's successive shortest paths on the
// explicitly transformed network.
//
// Transformation:
// 1. Lower bounds: an arc u→v with bounds [l, up] sends l units mandatorily (b(u) −= l,
//    b(v) += l) and keeps capacity up − l.
// 2. Negative costs: node potentials π from Bellman-Ford (a virtual root at distance 0 from
//    every node, over the arcs with capacity left) make every reduced cost c + π(u) − π(v)
//    nonnegative; for fixed supplies they change the total cost by the constant Σ π(v) b(v), so
//    the optimal flows are the same. Should the arcs hold a negative cycle (never in the
//    assignment networks, which are acyclic), negative-cost arcs are instead saturated and
//    offered back reversed at cost −c.
// 3. A super source S feeds each node with b > 0, each node with b < 0 drains into a super sink T;
//    a max flow S→T of minimum cost is computed; the original problem is feasible iff it
//    saturates S's arcs. Flow on an original arc = mandatory part ± solver flow.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>

#include <algorithm>

#include "assignment_network.h"

namespace expectmatch::matcher::internal {
namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using Graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<
        boost::edge_capacity_t, int64_t,
        boost::property<boost::edge_residual_capacity_t, int64_t,
                        boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                        boost::property<boost::edge_weight_t, int64_t>>>>>;
using Edge = Traits::edge_descriptor;

class Builder {
 public:
  explicit Builder(size_t vertices) : graph_(vertices) {}

  Edge Add(size_t from, size_t to, int64_t capacity, int64_t cost) {
    Edge forward = boost::add_edge(from, to, graph_).first;
    Edge backward = boost::add_edge(to, from, graph_).first;
    boost::put(boost::edge_capacity, graph_, forward, capacity);
    boost::put(boost::edge_capacity, graph_, backward, 0);
    boost::put(boost::edge_weight, graph_, forward, cost);
    boost::put(boost::edge_weight, graph_, backward, -cost);
    boost::put(boost::edge_reverse, graph_, forward, backward);
    boost::put(boost::edge_reverse, graph_, backward, forward);
    return forward;
  }
  Graph& graph() { return graph_; }

 private:
  Graph graph_;
};

}  // namespace

std::optional<FlowSolution> SolveSuccessiveShortestPath(const FlowNetwork& network) {
  const size_t n = static_cast<size_t>(network.nodes);
  const size_t source = n, sink = n + 1;
  Builder builder(n + 2);
  std::vector<int64_t> balance = network.supply;
  // Potentials by Bellman-Ford; `reverse_negative` when a negative cycle prevents them.
  std::vector<int64_t> pi(n, 0);
  bool reverse_negative = true;
  for (size_t pass = 0; pass <= n; ++pass) {
    bool changed = false;
    for (const FlowNetwork::Arc& arc : network.arcs) {
      if (arc.upper - arc.lower <= 0) continue;
      const int64_t through = pi[static_cast<size_t>(arc.from)] + arc.cost;
      if (through < pi[static_cast<size_t>(arc.to)]) {
        pi[static_cast<size_t>(arc.to)] = through;
        changed = true;
      }
    }
    if (!changed) {
      reverse_negative = false;
      break;
    }
  }
  if (reverse_negative) std::fill(pi.begin(), pi.end(), 0);
  std::vector<int64_t> mandatory(network.arcs.size());
  std::vector<bool> reversed(network.arcs.size());
  std::vector<Edge> edges;
  edges.reserve(network.arcs.size());
  for (size_t a = 0; a < network.arcs.size(); ++a) {
    const FlowNetwork::Arc& arc = network.arcs[a];
    if (arc.lower > arc.upper) return std::nullopt;
    const int64_t cost =
        arc.cost + pi[static_cast<size_t>(arc.from)] - pi[static_cast<size_t>(arc.to)];
    reversed[a] = cost < 0;
    mandatory[a] = reversed[a] ? arc.upper : arc.lower;
    balance[static_cast<size_t>(arc.from)] -= mandatory[a];
    balance[static_cast<size_t>(arc.to)] += mandatory[a];
    const int64_t capacity = arc.upper - arc.lower;
    edges.push_back(reversed[a] ? builder.Add(static_cast<size_t>(arc.to),
                                              static_cast<size_t>(arc.from), capacity, -cost)
                                : builder.Add(static_cast<size_t>(arc.from),
                                              static_cast<size_t>(arc.to), capacity, cost));
  }
  int64_t required = 0;
  for (size_t v = 0; v < n; ++v) {
    if (balance[v] > 0) {
      builder.Add(source, v, balance[v], 0);
      required += balance[v];
    } else if (balance[v] < 0) {
      builder.Add(v, sink, -balance[v], 0);
    }
  }
  Graph& graph = builder.graph();
  boost::successive_shortest_path_nonnegative_weights(graph, source, sink);
  int64_t delivered = 0;
  for (auto [it, end] = boost::out_edges(source, graph); it != end; ++it) {
    delivered += boost::get(boost::edge_capacity, graph, *it) -
                 boost::get(boost::edge_residual_capacity, graph, *it);
  }
  if (delivered != required) return std::nullopt;
  FlowSolution solution;
  solution.flow.resize(network.arcs.size());
  for (size_t a = 0; a < network.arcs.size(); ++a) {
    const int64_t sent = boost::get(boost::edge_capacity, graph, edges[a]) -
                         boost::get(boost::edge_residual_capacity, graph, edges[a]);
    solution.flow[a] = reversed[a] ? mandatory[a] - sent : mandatory[a] + sent;
  }
  return solution;
}

}  // namespace expectmatch::matcher::internal
