// How long the server waits for a client, and how much it reads before the body: the limits
// every connection is held to (see api/src/connection_guard.h for how they are enforced).
#pragma once

#include <cstddef>

namespace expectmatch::api {

struct ConnectionLimits {
  int read_timeout_seconds = 5;        // longest wait for the next bytes of a request
  int write_timeout_seconds = 5;       // longest wait for the client to take response bytes
  int keep_alive_timeout_seconds = 5;  // longest wait for the next request on a connection
  int request_timeout_seconds = 30;    // a request's line, headers and body arrive within this
  size_t max_header_bytes = 16 << 10;  // request line + headers
  size_t keep_alive_max_requests = 10000;
};

}  // namespace expectmatch::api
