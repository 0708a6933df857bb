// Transport-neutral HTTP messages. Handlers take and return these, so they are tested without
// a socket; only http_server.cc knows cpp-httplib.
#pragma once

#include <functional>
#include <map>
#include <string>

namespace expectmatch::api {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string remote_addr;  // the client's address, as the socket gives it (empty if unknown)
  // Set on streaming routes only (the report document upload), whose body the transport has
  // not read: the handler reads it, up to Content-Length. Returns the bytes read, 0 at the end
  // of the body, -1 when it cannot be read (timeout, closed connection). Unset: `body` is it.
  std::function<long long(char* buffer, size_t size)> read_body;

  // The header's value, or "" when absent. REQUIRES: `name` in lower case.
  std::string Header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;  // extra headers (e.g. Allow)
  // When set, the body is this file's content, streamed from disk by the transport
  // (`content_type` still applies; `body` is ignored).
  std::string body_file;
  // For metrics and the access log, not sent: the route pattern that matched
  // ("/v1/needs/{id}"; empty when none did) and safe facts about the caller (e.g. "role",
  // "key_id" — never a key or other secret).
  std::string route;
  std::map<std::string, std::string> log_fields;
};

}  // namespace expectmatch::api
