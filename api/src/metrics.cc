#include "expectmatch/api/metrics.h"

#include <charconv>
#include <cmath>

namespace expectmatch::api {

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char ch : value) {
    switch (ch) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Shortest round-trip digits; plain decimals ("0.0001", not "1e-04") in the usual range.
  const double magnitude = std::fabs(value);
  const bool plain = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
  char buffer[64];
  auto [end, ec] =
      plain ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed)
            : std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : "NaN";
}

std::string_view HttpMetrics::MethodLabel(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "OTHER";
}

void HttpMetrics::Begin() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
void HttpMetrics::End() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }

void HttpMetrics::Observe(std::string_view method, std::string_view route, int status,
                          double seconds) {
  method = MethodLabel(method);
  if (route.empty()) route = kUnmatchedRoute;
  if (!(seconds >= 0)) seconds = 0;
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;

  std::lock_guard lock(mutex_);
  auto request =
      requests_.find(std::tuple<std::string_view, std::string_view, int>(method, route, status));
  if (request == requests_.end()) {
    request = requests_.emplace(RequestKey(method, route, status), 0).first;
  }
  ++request->second;
  auto duration = durations_.find(std::pair<std::string_view, std::string_view>(method, route));
  if (duration == durations_.end()) {
    duration = durations_.emplace(RouteKey(method, route), Histogram{}).first;
  }
  Histogram& histogram = duration->second;
  ++histogram.counts[bucket];
  histogram.sum += seconds;
  ++histogram.count;
}

std::string HttpMetrics::Render(const std::vector<ScalarMetric>& extra) const {
  // Copy under the lock, format without it: a scrape never holds up requests for long.
  decltype(requests_) requests;
  decltype(durations_) durations;
  {
    std::lock_guard lock(mutex_);
    requests = requests_;
    durations = durations_;
  }
  std::string out;
  out.reserve(256 + requests.size() * 96 + durations.size() * (kBuckets.size() + 3) * 110);
  auto labels = [](const std::string& method, const std::string& route) {
    return "method=\"" + EscapeLabelValue(method) + "\",route=\"" + EscapeLabelValue(route) + "\"";
  };

  out +=
      "# HELP expectmatch_http_requests_total HTTP requests served, by method, route pattern and "
      "status.\n";
  out += "# TYPE expectmatch_http_requests_total counter\n";
  for (const auto& [key, count] : requests) {
    const auto& [method, route, status] = key;
    out += "expectmatch_http_requests_total{" + labels(method, route) + ",status=\"" +
           std::to_string(status) + "\"} " + std::to_string(count) + "\n";
  }

  out +=
      "# HELP expectmatch_http_request_duration_seconds Time from the request's headers to its "
      "response written.\n";
  out += "# TYPE expectmatch_http_request_duration_seconds histogram\n";
  for (const auto& [key, histogram] : durations) {
    const std::string common = labels(key.first, key.second);
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kBuckets.size(); ++i) {
      cumulative += histogram.counts[i];
      const std::string le = i < kBuckets.size() ? FormatSampleValue(kBuckets[i]) : "+Inf";
      out += "expectmatch_http_request_duration_seconds_bucket{" + common + ",le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "expectmatch_http_request_duration_seconds_sum{" + common + "} " +
           FormatSampleValue(histogram.sum) + "\n";
    out += "expectmatch_http_request_duration_seconds_count{" + common + "} " +
           std::to_string(histogram.count) + "\n";
  }

  out += "# HELP expectmatch_http_requests_in_flight HTTP requests being served.\n";
  out += "# TYPE expectmatch_http_requests_in_flight gauge\n";
  out += "expectmatch_http_requests_in_flight " +
         std::to_string(in_flight_.load(std::memory_order_relaxed)) + "\n";

  for (const ScalarMetric& metric : extra) {
    out += "# HELP " + metric.name + " " + metric.help + "\n";
    out += "# TYPE " + metric.name +
           (metric.kind == ScalarMetric::Kind::kCounter ? " counter\n" : " gauge\n");
    out += metric.name + " " + FormatSampleValue(metric.value) + "\n";
  }
  return out;
}

}  // namespace expectmatch::api
