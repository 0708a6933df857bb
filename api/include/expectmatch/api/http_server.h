// The network transport: cpp-httplib serving a Service. The only place that knows httplib.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "expectmatch/api/service.h"

namespace expectmatch::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                          // 0: any free port (see HttpServer::port())
  size_t threads = 8;                       // worker threads (each holds one connection at a time)
  size_t max_body_bytes = 1 << 20;          // larger bodies get 413
  int read_timeout_seconds = 5;             // slow or idle clients are dropped after this
  int write_timeout_seconds = 5;
  int keep_alive_timeout_seconds = 5;
  bool access_log = false;                  // one line per request on stderr
};

class HttpServer {
 public:
  // REQUIRES: `service` outlives the server.
  HttpServer(const Service& service, ServerOptions options);
  ~HttpServer();

  // Binds the socket; returns false (with `error`) when the address is unavailable.
  bool Bind(std::string* error);
  // The bound port (useful with port 0). REQUIRES: Bind succeeded.
  int port() const { return port_; }
  // Serves until Stop(); blocks the calling thread.
  void Run();
  // Thread-safe; makes Run return.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  ServerOptions options_;
  int port_ = 0;
};

}  // namespace expectmatch::api
