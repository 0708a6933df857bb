// The network transport: cpp-httplib serving a Service. The only place that knows httplib.
//
// Besides dispatching to the Service, the transport
// - serves GET /metrics itself (Prometheus text format 0.0.4, see metrics.h): request counts
//   and durations by route pattern, plus whatever `ServerOptions::metrics` samples;
// - writes one JSON access-log line per request when `access_log` is on (see AccessLogLine);
// - stops gracefully: Stop() closes the listening socket, lets the requests being served (and
//   connections already accepted) finish, then Run returns.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "expectmatch/api/connection_limits.h"
#include "expectmatch/api/metrics.h"
#include "expectmatch/api/service.h"

namespace expectmatch::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see HttpServer::port())
  // Worker threads for new connections (each serves a connection until it is idle); the
  // requests of idle connections that wake up are served by min(threads, request slots)
  // workers of their own.
  size_t threads = 8;
  size_t max_body_bytes = 1 << 20;  // larger bodies get 413
  // Slow and oversized clients: idle and slow clients are dropped after the read, write and
  // keep-alive timeouts; a request's line, headers and body must arrive within
  // request_timeout_seconds (else 408), its line and headers within max_header_bytes (else
  // 431). Workers grow up to max_connections while every worker is held (by a slow client),
  // so slow clients do not starve the others. Between two requests a keep-alive connection
  // holds no thread.
  ConnectionLimits limits;
  size_t max_connections = 256;
  // API handlers running at once; other requests, once read, wait in arrival order (see
  // expectmatch/api/request_gate.h: this keeps the latency tail short under load). 0: twice the cores.
  size_t max_active_requests = 0;
  // HTTPS when both are set (PEM files); Bind fails when they cannot be loaded.
  std::string tls_cert_file;
  std::string tls_key_file;
  bool access_log = false;  // one JSON line per request (see AccessLogLine)
  // Where access-log lines go (one call per line, without the newline); null: stderr.
  std::function<void(const std::string&)> access_log_sink;
  // Extra values for /metrics, sampled at each scrape (catalogue size, snapshot age, ...).
  ScalarMetricsProvider metrics;
};

// What the access log records about one request. Never a header value, a query string or a
// body: `path` is the path alone, and `fields` are the response's log_fields (safe facts such
// as the caller's role and key id).
struct AccessLogEntry {
  double unix_time = 0;  // when the request's headers were read (seconds since the epoch)
  std::string method;
  std::string route;  // matched pattern; "unmatched" when none
  std::string path;
  int status = 0;
  double duration_ms = 0;
  size_t bytes = 0;  // response body bytes sent
  std::string remote;
  std::string request_id;  // the response's X-Request-Id, if any
  std::map<std::string, std::string> fields;
};
// One JSON object on one line: {"time": "2026-03-01T12:00:00.123Z", "method", "route", "path",
// "status", "duration_ms", "bytes", "remote", "request_id" (when known), then each of `fields`
// (a field named like one of those keys is dropped). The path is cut at 512 bytes.
std::string AccessLogLine(const AccessLogEntry& entry);

class HttpServer {
 public:
  // REQUIRES: `service` outlives the server.
  HttpServer(const Service& service, ServerOptions options);
  ~HttpServer();

  // Binds the socket; returns false (with `error`) when the address is unavailable.
  bool Bind(std::string* error);
  // The bound port (useful with port 0). REQUIRES: Bind succeeded.
  int port() const { return port_; }
  // Serves until Stop(); blocks the calling thread. Returns after the requests in progress
  // have been answered and the worker threads joined. Returns at once if Stop() came first.
  void Run();
  // Thread-safe, idempotent, callable before, during or after Run: stops accepting
  // connections and makes Run return once the requests being served are answered (idle
  // keep-alive connections are closed then, without waiting for their timeout).
  void Stop();

  const HttpMetrics& metrics() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  ServerOptions options_;
  int port_ = 0;
  std::atomic<bool> run_started_{false}, run_finished_{false}, stop_requested_{false},
      stopped_{false};
};

}  // namespace expectmatch::api
