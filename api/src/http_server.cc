// The one translation unit that includes httplib.h. It must see the CPPHTTPLIB_*_SUPPORT
// definitions Debian's libcpp-httplib was built with (they come from its pkg-config target).
#include "expectmatch/api/http_server.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include <unistd.h>

#include "expectmatch/api/problem.h"
#include "web_assets.h"

// Last: httplib.h brings <resolv.h>, whose `_res` macro breaks Eigen's headers when they come later.
#include <httplib.h>

#include "connection_guard.h"
#include "expectmatch/api/access_log.h"
#include "expectmatch/api/request_gate.h"

namespace expectmatch::api {
namespace {

constexpr const char* kMetricsPath = "/metrics";
constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

HttpRequest ToRequest(const httplib::Request& in) {
  HttpRequest out;
  out.method = in.method;
  out.path = in.path;
  for (const auto& [name, value] : in.params) out.query.emplace(name, value);
  for (const auto& [name, value] : in.headers) {
    std::string lower = name;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out.headers[lower] = value;
  }
  out.body = in.body;
  out.remote_addr = in.remote_addr;
  return out;
}

// Moves the answer into httplib's response: the body (a match answer is 15-17 kB) is moved,
// not copied, from the handler to the buffer httplib writes to the socket.
void Write(HttpResponse&& in, httplib::Response& out) {
  if (!in.body_file.empty()) {
    // A stored file, streamed from disk in pieces (a report document: up to 20 MiB).
    auto file = std::make_shared<std::ifstream>(in.body_file, std::ios::binary);
    std::error_code error;
    const auto size = std::filesystem::file_size(in.body_file, error);
    if (!*file || error) {
      std::fprintf(stderr, "error: cannot read %s\n", in.body_file.c_str());
      Write(Problem(500, "internal error; the request was not applied"), out);
      return;
    }
    out.status = in.status;
    for (const auto& [name, value] : in.headers) out.set_header(name, value);
    out.set_content_provider(
        static_cast<size_t>(size), in.content_type,
        [file](size_t offset, size_t length, httplib::DataSink& sink) {
          char buffer[64 << 10];
          file->seekg(static_cast<std::streamoff>(offset));
          file->read(buffer, static_cast<std::streamsize>(std::min(length, sizeof buffer)));
          const std::streamsize got = file->gcount();
          if (got <= 0) return false;
          return sink.write(buffer, static_cast<size_t>(got));
        });
    return;
  }
  out.status = in.status;
  for (const auto& [name, value] : in.headers) out.set_header(name, value);
  // What set_content does, without its copy of the body.
  out.body = std::move(in.body);
  out.headers.erase("Content-Type");
  out.set_header("Content-Type", in.content_type);
}

// What the transport learns about the request a worker thread is serving, from the
// pre-routing hook (which runs once the headers are read) to the logger (which runs once the
// response is written). Both run on the worker serving the connection, one request at a time.
struct RequestContext {
  bool started = false;
  std::chrono::steady_clock::time_point start;
  std::chrono::system_clock::time_point wall;
  std::string route;
  std::map<std::string, std::string> log_fields;
  std::string accept_encoding;  // the request's Accept-Encoding, taken from httplib (see below)
};
thread_local RequestContext t_request;

// ServerOptions::max_active_requests, 0 meaning twice the cores (at least 2).
size_t ActiveRequestSlots(size_t configured) {
  if (configured > 0) return configured;
  return std::max<size_t>(2, 2 * std::thread::hardware_concurrency());
}

// The end of a request: its metrics, then its access-log line, with neither a lock nor an
// allocation once the worker thread has served a request (the line is formatted into a
// buffer of the thread's and queued in its ring, see access_log.h).
[[gnu::noinline]] void LogRequest(const httplib::Request& request,
                                  const httplib::Response& response, HttpMetrics& metrics,
                                  internal::AccessLogWriter* log) {
  RequestContext& context = t_request;
  double seconds = 0;
  if (context.started) {
    seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - context.start).count();
    metrics.End();
  }
  metrics.Observe(request.method, context.route, response.status, seconds);
  if (log != nullptr) {
    try {
      const auto wall = context.started ? context.wall : std::chrono::system_clock::now();
      internal::AccessLogView entry;
      entry.unix_time = std::chrono::duration<double>(wall.time_since_epoch()).count();
      entry.method = request.method;
      entry.route = context.route;
      entry.path = request.path;
      entry.status = response.status;
      entry.duration_ms = seconds * 1000;
      entry.bytes = request.method == "HEAD" ? 0 : response.body.size();
      entry.remote = request.remote_addr;
      const auto id = response.headers.find("X-Request-Id");
      if (id != response.headers.end()) entry.request_id = id->second;
      entry.fields = &context.log_fields;
      thread_local std::string line;
      line.clear();
      internal::AppendAccessLogLine(entry, &line);
      log->Append(line);
    } catch (const std::exception& e) {
      // The logger runs outside httplib's exception handling: never let a log failure escape.
      std::fprintf(stderr, "access log: %s\n", e.what());
    }
  }
  // Ready for the next request on this thread, keeping the strings' buffers.
  context.started = false;
  context.route.clear();
  context.log_fields.clear();
  context.accept_encoding.clear();
}

}  // namespace

struct HttpServer::Impl {
  // Plain HTTP, or HTTPS when a certificate and key are configured; either way with the
  // guarded connection loop of connection_guard.h.
  explicit Impl(const ServerOptions& options)
      : log(options.access_log ? std::make_unique<internal::AccessLogWriter>(
                                     STDERR_FILENO, options.access_log_sink)
                               : nullptr),
        owned(MakeServer(options)),
        server(*owned),
        gate(ActiveRequestSlots(options.max_active_requests)) {}
  static std::unique_ptr<httplib::Server> MakeServer(const ServerOptions& options) {
    const ConnectionLimits& limits = options.limits;
    // The requests of parked connections: as many workers as request slots, so that under
    // load a worker goes from one request to the next rather than waiting at the gate.
    const size_t workers = std::min(ActiveRequestSlots(options.max_active_requests),
                                    std::max<size_t>(options.threads, 1));
    const size_t max_workers = std::max({options.max_connections, options.threads, workers});
    if (options.tls_cert_file.empty())
      return std::make_unique<internal::GuardedServer<httplib::Server>>(limits, workers,
                                                                        max_workers);
    return std::make_unique<internal::GuardedServer<httplib::SSLServer>>(
        limits, workers, max_workers, options.tls_cert_file.c_str(), options.tls_key_file.c_str());
  }
  // `action` on the server as its GuardedServer type (plain or TLS).
  template <typename Action>
  void OnGuarded(const Action& action) {
    if (auto* plain = dynamic_cast<internal::GuardedServer<httplib::Server>*>(owned.get()))
      action(*plain);
    if (auto* tls = dynamic_cast<internal::GuardedServer<httplib::SSLServer>*>(owned.get()))
      action(*tls);
  }
  // Once the accept loop has ended: the parked connections closed, the requests being served
  // answered (their handlers use the members below).
  void Drain() {
    OnGuarded([](auto& guarded) { guarded.Drain(); });
  }
  void WidenBacklog() {
    OnGuarded([](auto& guarded) { guarded.WidenBacklog(); });
  }
  // First, hence destroyed last: it writes the lines of the last requests when it goes.
  std::unique_ptr<internal::AccessLogWriter> log;
  std::unique_ptr<httplib::Server> owned;
  httplib::Server& server;
  HttpMetrics metrics;
  RequestGate gate;
};

HttpServer::HttpServer(const Service& service, ServerOptions options)
    : impl_(std::make_unique<Impl>(options)), options_(std::move(options)) {
  httplib::Server& server = impl_->server;
  HttpMetrics& metrics = impl_->metrics;
  RequestGate& gate = impl_->gate;
  const size_t threads = options_.threads;
  const size_t max_connections = std::max(options_.max_connections, threads);
  server.new_task_queue = [threads, max_connections] {
    return new internal::PoolTaskQueue(threads, max_connections);
  };
  server.set_tcp_nodelay(true);
  server.set_payload_max_length(options_.max_body_bytes);
  server.set_read_timeout(options_.limits.read_timeout_seconds, 0);
  server.set_write_timeout(options_.limits.write_timeout_seconds, 0);
  server.set_keep_alive_timeout(options_.limits.keep_alive_timeout_seconds);

  // Runs once the request line and headers are read, before the body: the request's start.
  server.set_pre_routing_handler([&metrics](const httplib::Request& request, httplib::Response&) {
    t_request.route.clear();
    t_request.log_fields.clear();
    t_request.started = true;
    // httplib compresses every text or JSON response for a client that accepts it, with brotli
    // at quality 11: over a second for the page's stylesheet, tens of milliseconds for a
    // shortlist, on every request. The page's assets are sent already compressed
    // (web_assets.cc) and the API's answers as they are, so the header is taken out of
    // httplib's sight. The request object is httplib's own, not a constant (hence the cast).
    t_request.accept_encoding = request.get_header_value("Accept-Encoding");
    const_cast<httplib::Request&>(request).headers.erase("Accept-Encoding");
    t_request.start = std::chrono::steady_clock::now();
    t_request.wall = std::chrono::system_clock::now();
    metrics.Begin();
    return httplib::Server::HandlerResponse::Unhandled;
  });

  const ScalarMetricsProvider& provider = options_.metrics;
  auto dispatch = [&service, &metrics, &provider, &gate](const httplib::Request& request,
                                                         httplib::Response& response) {
    if (request.path == kMetricsPath) {
      t_request.route = kMetricsPath;
      if (request.method != "GET" && request.method != "HEAD") {
        HttpResponse refused =
            Problem(405, "method " + request.method + " is not allowed on " + kMetricsPath);
        refused.headers["Allow"] = "GET, HEAD";
        Write(std::move(refused), response);
        return;
      }
      response.status = 200;
      std::vector<ScalarMetric> extra = provider ? provider() : std::vector<ScalarMetric>{};
      extra.push_back({"expectmatch_http_request_slots",
                       "API requests whose handler may run at once (--active-requests).",
                       ScalarMetric::Kind::kGauge, static_cast<double>(gate.slots())});
      extra.push_back({"expectmatch_http_requests_waiting",
                       "API requests read and waiting for a handler slot.",
                       ScalarMetric::Kind::kGauge, static_cast<double>(gate.waiting())});
      response.set_content(metrics.Render(extra), kMetricsContentType);
      return;
    }
    // The DAECT web page (web/, embedded): served beside the API's routes, not in its table.
    if (IsWebPath(request.path)) {
      HttpResponse page = ServeWebAsset(request.method, request.path, t_request.accept_encoding,
                                        request.get_header_value("If-None-Match"));
      t_request.route = std::move(page.route);
      Write(std::move(page), response);
      return;
    }
    HttpResponse answer;
    {
      RequestGate::Slot slot(gate);
      answer = service.Handle(ToRequest(request));
    }
    t_request.route = std::move(answer.route);
    t_request.log_fields = std::move(answer.log_fields);
    Write(std::move(answer), response);
  };
  // The report document upload reads its own body, piece by piece, from the guarded stream
  // (up to 20 MiB, never whole in memory): registered with a content reader so that httplib
  // leaves the body unread, and before the catch-all. Its handler reads the body itself rather
  // than through httplib's ContentReader, which applies the server-wide body limit (1 MiB) and
  // would read an oversized body whole to skip it. It runs outside the request gate: its time
  // goes to waiting for the client and the disk.
  const httplib::Server::HandlerWithContentReader streamed(
      [&service](const httplib::Request& request, httplib::Response& response,
                 const httplib::ContentReader&) {
        HttpRequest call = ToRequest(request);
        long long remaining = 0;  // unread body bytes; -1: unknown (chunked)
        if (request.has_header("Content-Length")) {
          remaining = -1;
          const std::string text = request.get_header_value("Content-Length");
          if (!text.empty() && text.size() <= 18 &&
              text.find_first_not_of("0123456789") == std::string::npos)
            remaining = std::stoll(text);
        } else if (request.has_header("Transfer-Encoding")) {
          remaining = -1;
        }
        call.read_body = [&remaining](char* buffer, size_t size) -> long long {
          if (remaining <= 0) return 0;
          httplib::Stream* stream = internal::t_stream;
          if (stream == nullptr) return -1;
          const ssize_t n = stream->read(buffer, static_cast<size_t>(std::min<long long>(
                                                     remaining, static_cast<long long>(size))));
          if (n <= 0) {
            remaining = -1;  // the rest cannot be read: close the connection
            return -1;
          }
          remaining -= n;
          return n;
        };
        HttpResponse answer = service.Handle(call);
        if (remaining != 0) {
          // The body was not read whole: what is left must not be taken for the
          // next request.
          internal::ReadBudget& budget = internal::t_read_budget;
          budget.close_connection = true;
          budget.linger = true;
          answer.headers["Connection"] = "close";
        }
        t_request.route = std::move(answer.route);
        t_request.log_fields = std::move(answer.log_fields);
        Write(std::move(answer), response);
      });
  server.Put(R"(/v1/needs/[^/]+/report/document)", streamed);
  // A label application's documents: the same streamed upload.
  server.Post(R"(/v1/label-applications/[^/]+/documents)", streamed);
  for (const char* pattern : {R"(/.*)"}) {
    server.Get(pattern, dispatch);
    server.Post(pattern, dispatch);
    server.Put(pattern, dispatch);
    server.Patch(pattern, dispatch);
    server.Delete(pattern, dispatch);
  }
  // Errors httplib raises itself (oversized body, malformed request line, unknown method):
  // answer them as problem documents too, unless a handler already wrote a body.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [max = options_.max_body_bytes, max_headers = options_.limits.max_header_bytes,
       request_timeout = options_.limits.request_timeout_seconds](const httplib::Request& request,
                                                                  httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        internal::ReadBudget& budget = internal::t_read_budget;
        // httplib parses multipart bodies itself and answers 400 when they are malformed; the API
        // takes JSON only.
        const std::string type = request.get_header_value("Content-Type");
        if (response.status == 400 && type.rfind("multipart/", 0) == 0) {
          budget.close_connection = true;
          response.status = 415;
          Write(Problem(415, "the request body must be JSON (Content-Type: application/json)",
                        {{"", "Content-Type", "unsupported media type"}}),
                response);
          return httplib::Server::HandlerResponse::Handled;
        }
        // What the guarded stream saw while reading (connection_guard.h): httplib reports both
        // cases as a plain 400.
        if (budget.header_limit_hit ||
            (response.status == 400 && !budget.headers_done && budget.header_bytes > 8192)) {
          response.status = 431;
          if (request.get_header_value("Connection") != "close")
            response.set_header("Connection", "close");
          Write(Problem(
                    431,
                    "the request line and headers exceed " + std::to_string(max_headers) + " bytes",
                    {{"", "headers", "too large"}}),
                response);
          return httplib::Server::HandlerResponse::Handled;
        }
        if (budget.deadline_hit) {
          response.status = 408;
          if (request.get_header_value("Connection") != "close")
            response.set_header("Connection", "close");
          Write(Problem(408, "the request did not arrive within " +
                                 std::to_string(request_timeout) + " seconds"),
                response);
          return httplib::Server::HandlerResponse::Handled;
        }
        std::string detail = response.status == 413
                                 ? "the request body exceeds " + std::to_string(max) + " bytes"
                             : response.status == 414 ? "the request target exceeds 8192 bytes"
                                                      : "the request could not be processed";
        // The rest of a request httplib refused to read must not be taken for the next request.
        if (response.status == 414 || response.status == 400) budget.close_connection = true;
        std::vector<ProblemField> fields;
        if (response.status == 413)
          fields.push_back({"", "Content-Length", "at most " + std::to_string(max) + " bytes"});
        if (response.status == 414) fields.push_back({"", "path", "too long"});
        Write(Problem(response.status, detail, fields), response);
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        Write(Problem(500, "internal error; the request was not applied"), response);
      });

  // Runs once the response is written (for every response, httplib's own errors included).
  server.set_logger([&metrics, log = impl_->log.get()](const httplib::Request& request,
                                                       const httplib::Response& response) {
    LogRequest(request, response, metrics, log);
  });
}

HttpServer::~HttpServer() = default;

const HttpMetrics& HttpServer::metrics() const { return impl_->metrics; }

bool HttpServer::Bind(std::string* error) {
  httplib::Server& server = impl_->server;
  if (!server.is_valid()) {
    if (error)
      *error = "cannot load the TLS certificate " + options_.tls_cert_file + " or its key " +
               options_.tls_key_file;
    return false;
  }
  if (options_.port == 0) {
    port_ = server.bind_to_any_port(options_.host);
  } else {
    port_ = server.bind_to_port(options_.host, options_.port) ? options_.port : -1;
  }
  if (port_ <= 0) {
    if (error) *error = "cannot listen on " + options_.host + ":" + std::to_string(options_.port);
    return false;
  }
  impl_->WidenBacklog();
  return true;
}

void HttpServer::Run() {
  run_started_ = true;
  if (!stop_requested_) impl_->server.listen_after_bind();
  impl_->Drain();
  run_finished_ = true;
}

void HttpServer::Stop() {
  stop_requested_ = true;
  if (stopped_.exchange(true)) return;  // httplib's stop() must run once
  // httplib's stop() does nothing until the listener runs: when Run has started but not yet
  // entered the accept loop, wait for it (a matter of microseconds). If Run has not started,
  // it will see stop_requested_ and return at once.
  while (run_started_ && !run_finished_ && !impl_->server.is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // Closes the listening socket; the accept loop then ends, the thread pool finishes the
  // connections it holds (ThreadPool::shutdown runs the queued jobs before joining), and Run
  // closes the parked connections once the requests being served are answered.
  impl_->server.stop();
}

}  // namespace expectmatch::api
