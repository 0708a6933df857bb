// Transport-neutral HTTP messages. Handlers take and return these, so they are tested without
// a socket; only http_server.cc knows cpp-httplib.
#pragma once

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

  // The header's value, or "" when absent. REQUIRES: `name` in lower case.
  std::string Header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;  // extra headers (e.g. Allow)
  // For metrics and the access log, not sent: the route pattern that matched
  // ("/v1/needs/{id}"; empty when none did) and safe facts about the caller (e.g. "role",
  // "key_id" — never a key or other secret).
  std::string route;
  std::map<std::string, std::string> log_fields;
};

}  // namespace expectmatch::api
