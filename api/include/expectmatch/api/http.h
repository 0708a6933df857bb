// Transport-neutral HTTP messages. Handlers take and return these, so they are tested without
// a socket; only http_server.cc knows cpp-httplib.
#pragma once

#include <map>
#include <string>

namespace expectmatch::api {

struct HttpRequest {
  std::string method;                         // "GET", "POST", ...
  std::string path;                           // without the query string
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The header's value, or "" when absent. REQUIRES: `name` in lower case.
  std::string Header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;  // extra headers (e.g. Allow)
};

}  // namespace expectmatch::api
