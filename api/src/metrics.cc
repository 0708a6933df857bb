#include "expectmatch/api/metrics.h"

#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <tuple>

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

HttpMetrics::~HttpMetrics() {
  for (size_t i = 0; i < kSlots; ++i) delete slots_[i].load(std::memory_order_relaxed);
}

HttpMetrics::Series* HttpMetrics::Find(std::string_view method, std::string_view route,
                                       int status) {
  auto same = [&](const Series* series) {
    return series->status == status && series->method == method && series->route == route;
  };
  size_t hash = std::hash<std::string_view>()(route) * 31 + std::hash<std::string_view>()(method);
  hash = hash * 31 + static_cast<size_t>(status);
  for (size_t probe = 0; probe < kSlots; ++probe) {
    std::atomic<Series*>& slot = slots_[(hash + probe) & (kSlots - 1)];
    Series* series = slot.load(std::memory_order_acquire);
    if (series == nullptr) {
      auto created = std::make_unique<Series>(method, route, status);
      if (slot.compare_exchange_strong(series, created.get(), std::memory_order_acq_rel,
                                       std::memory_order_acquire)) {
        return created.release();
      }
      // Another thread filled the slot first: `series` is now its series.
    }
    if (same(series)) return series;
  }
  std::lock_guard lock(overflow_mutex_);
  for (const auto& series : overflow_) {
    if (same(series.get())) return series.get();
  }
  overflow_.push_back(std::make_unique<Series>(method, route, status));
  return overflow_.back().get();
}

void HttpMetrics::Observe(std::string_view method, std::string_view route, int status,
                          double seconds) {
  method = MethodLabel(method);
  if (route.empty()) route = kUnmatchedRoute;
  if (!(seconds >= 0)) seconds = 0;
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  Series* series = Find(method, route, status);
  series->counts[bucket].fetch_add(1, std::memory_order_relaxed);
  series->sum.fetch_add(seconds, std::memory_order_relaxed);
}

std::string HttpMetrics::Render(const std::vector<ScalarMetric>& extra) const {
  // Each series' buckets are read once; its request counter and its share of the route's
  // histogram both come from what was read, so they agree within one scrape.
  struct Histogram {
    std::array<uint64_t, kBuckets.size() + 1> counts{};  // per bucket, not cumulative
    double sum = 0;
    uint64_t count = 0;
  };
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests;
  std::map<std::pair<std::string, std::string>, Histogram> durations;
  auto add = [&](const Series& series) {
    Histogram read;
    for (size_t i = 0; i < read.counts.size(); ++i) {
      read.counts[i] = series.counts[i].load(std::memory_order_relaxed);
      read.count += read.counts[i];
    }
    read.sum = series.sum.load(std::memory_order_relaxed);
    if (read.count == 0) return;  // created, not yet counted
    requests[{series.method, series.route, series.status}] += read.count;
    Histogram& histogram = durations[{series.method, series.route}];
    for (size_t i = 0; i < read.counts.size(); ++i) histogram.counts[i] += read.counts[i];
    histogram.sum += read.sum;
    histogram.count += read.count;
  };
  for (size_t i = 0; i < kSlots; ++i) {
    if (const Series* series = slots_[i].load(std::memory_order_acquire)) add(*series);
  }
  {
    std::lock_guard lock(overflow_mutex_);
    for (const auto& series : overflow_) add(*series);
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
