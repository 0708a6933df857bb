// HTTP/1.1 over a bare TCP socket, for tests that send what no client library would: bytes
// that are not UTF-8, oversized headers, bodies a byte at a time, idle connections.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

namespace expectmatch::testing {

// A connection to 127.0.0.1:port with a receive timeout; closed when destroyed.
class RawConnection {
 public:
  explicit RawConnection(int port, int receive_timeout_seconds = 20) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return;
    timeval timeout{receive_timeout_seconds, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  RawConnection(RawConnection&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

  bool ok() const { return fd_ >= 0; }

  bool Send(const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  // True while the server has neither answered nor closed the connection: nothing to read.
  bool Silent() const {
    if (fd_ < 0) return false;
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, 0) == 0;
  }

  // The length of the first response in `wire` (headers and Content-Length body) once it is
  // all there; 0 before.
  static size_t CompleteResponseLength(const std::string& wire) {
    const size_t end = wire.find("\r\n\r\n");
    if (end == std::string::npos) return 0;
    size_t length = 0;
    const size_t at = wire.find("Content-Length: ");
    if (at != std::string::npos && at < end) length = std::stoul(wire.substr(at + 16));
    return wire.size() >= end + 4 + length ? end + 4 + length : 0;
  }

  // One response, read up to the end of its Content-Length body (the connection may stay open);
  // what was received so far on a timeout or a close.
  std::string ReceiveResponse() {
    std::string out;
    char buffer[8192];
    while (true) {
      if (CompleteResponseLength(out) > 0) return out;
      ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return out;
      out.append(buffer, static_cast<size_t>(n));
    }
  }

  // `count` responses in a row (pipelined requests' answers), each read up to the end of its
  // Content-Length body; fewer on a timeout or a close.
  std::vector<std::string> ReceiveResponses(size_t count) {
    std::vector<std::string> out;
    std::string pending;
    char buffer[8192];
    while (out.size() < count) {
      if (const size_t length = CompleteResponseLength(pending); length > 0) {
        out.push_back(pending.substr(0, length));
        pending.erase(0, length);
        continue;
      }
      const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      pending.append(buffer, static_cast<size_t>(n));
    }
    return out;
  }

  // Everything the server sends until it closes the connection (or the receive timeout).
  std::string ReceiveAll() {
    std::string out;
    char buffer[8192];
    ssize_t n;
    while ((n = recv(fd_, buffer, sizeof buffer, 0)) > 0)
      out.append(buffer, static_cast<size_t>(n));
    return out;
  }

 private:
  int fd_ = -1;
};

// A response as read off the wire: status code, headers as written, body.
struct RawResponse {
  int status = 0;  // 0: no response
  std::string head;
  std::string body;
};

inline RawResponse ParseRawResponse(const std::string& wire) {
  RawResponse out;
  if (wire.rfind("HTTP/1.1 ", 0) != 0 || wire.size() < 12) return out;
  out.status = std::stoi(wire.substr(9, 3));
  size_t end = wire.find("\r\n\r\n");
  out.head = wire.substr(0, end);
  if (end != std::string::npos) out.body = wire.substr(end + 4);
  return out;
}

// The value of header `name` (exact case as the server writes it) in a response head.
inline std::string RawHeader(const RawResponse& response, const std::string& name) {
  size_t at = response.head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return response.head.substr(at, response.head.find("\r\n", at) - at);
}

// One request on its own connection (Connection: close), the answer read to the end.
// `headers` are full lines without CRLF ("Authorization: Bearer ..."); Content-Length is added
// when there is a body or the method is POST, PUT or PATCH, unless `headers` has one.
inline RawResponse RawRequest(int port, const std::string& method, const std::string& target,
                              const std::vector<std::string>& headers, const std::string& body) {
  RawConnection connection(port);
  if (!connection.ok()) return {};
  std::string request =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  bool has_length = false;
  for (const std::string& header : headers) {
    request += header + "\r\n";
    has_length = has_length || header.rfind("Content-Length:", 0) == 0;
  }
  if (!has_length && (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")) {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n";
  request += body;
  if (!connection.Send(request)) {
    // The server may answer (413, 431) and close before reading everything: read what it said.
  }
  return ParseRawResponse(connection.ReceiveAll());
}

}  // namespace expectmatch::testing
