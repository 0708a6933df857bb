// The one translation unit that includes httplib.h. It must see the CPPHTTPLIB_*_SUPPORT
// definitions Debian's libcpp-httplib was built with (they come from its pkg-config target).
#include "expectmatch/api/http_server.h"

#include <httplib.h>

#include <cstdio>

#include "expectmatch/api/problem.h"

namespace expectmatch::api {
namespace {

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
  return out;
}

void Write(const HttpResponse& in, httplib::Response& out) {
  out.status = in.status;
  for (const auto& [name, value] : in.headers) out.set_header(name, value);
  out.set_content(in.body, in.content_type);
}

}  // namespace

struct HttpServer::Impl {
  httplib::Server server;
};

HttpServer::HttpServer(const Service& service, ServerOptions options)
    : impl_(std::make_unique<Impl>()), options_(std::move(options)) {
  httplib::Server& server = impl_->server;
  const size_t threads = options_.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_tcp_nodelay(true);
  server.set_payload_max_length(options_.max_body_bytes);
  server.set_read_timeout(options_.read_timeout_seconds, 0);
  server.set_write_timeout(options_.write_timeout_seconds, 0);
  server.set_keep_alive_timeout(options_.keep_alive_timeout_seconds);

  auto dispatch = [&service](const httplib::Request& request, httplib::Response& response) {
    Write(service.Handle(ToRequest(request)), response);
  };
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
      [max = options_.max_body_bytes](const httplib::Request&, httplib::Response& response) {
    if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string detail = response.status == 413 ? "the request body exceeds " + std::to_string(max) + " bytes"
                                                 : "the request could not be processed";
    Write(Problem(response.status, detail), response);
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
    Write(Problem(500, "internal error; the request was not applied"), response);
  });
  if (options_.access_log) {
    server.set_logger([](const httplib::Request& request, const httplib::Response& response) {
      std::fprintf(stderr, "%s %s %d\n", request.method.c_str(), request.path.c_str(), response.status);
    });
  }
}

HttpServer::~HttpServer() = default;

bool HttpServer::Bind(std::string* error) {
  httplib::Server& server = impl_->server;
  if (options_.port == 0) {
    port_ = server.bind_to_any_port(options_.host);
  } else {
    port_ = server.bind_to_port(options_.host, options_.port) ? options_.port : -1;
  }
  if (port_ <= 0) {
    if (error) *error = "cannot listen on " + options_.host + ":" + std::to_string(options_.port);
    return false;
  }
  return true;
}

void HttpServer::Run() { impl_->server.listen_after_bind(); }

void HttpServer::Stop() { impl_->server.stop(); }

}  // namespace expectmatch::api
