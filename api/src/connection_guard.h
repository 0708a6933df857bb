// How the transport holds its connections against slow, idle and oversized clients.
// Private to http_server.cc, which includes it right after httplib.h.
//
// cpp-httplib serves each connection on one worker thread, reading with a per-recv timeout
// only: a client dripping one byte every few seconds (slowloris), or sending headers without
// end, would hold its worker for ever, and a handful of them would starve the pool. Here:
// - GuardedServer replaces httplib's per-connection loop with one over GuardedStream, a
//   non-blocking socket (or TLS session) whose reads stop at a per-request deadline (the
//   request line, headers and body must all arrive within `request_timeout`: 408 otherwise)
//   and at a header budget (`max_header_bytes` for the request line and headers: 431);
//   a TLS handshake must end within `read_timeout`;
// - between two requests, a connection waits in ConnectionParker (connection_parker.h), not on
//   a thread: an idle keep-alive connection is closed there after `keep_alive_timeout`, and at
//   once when the server stops;
// - ElasticPool (expectmatch/api/elastic_pool.h) keeps `threads` workers for new connections and adds more, up
//   to `max_connections`, whenever every worker holds one, so that slow clients cost threads,
//   not service; the parker's own workers serve the requests of the connections it wakes.
#pragma once

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "connection_parker.h"
#include "expectmatch/api/connection_limits.h"
#include "expectmatch/api/elastic_pool.h"

namespace expectmatch::api::internal {

using GuardClock = std::chrono::steady_clock;

using api::ConnectionLimits;

// What the connection loop learned about the request being read on this worker thread, for
// the error handler (which turns httplib's plain 400 into 431 or 408).
struct ReadBudget {
  bool headers_done = false;
  size_t header_bytes = 0;
  bool header_limit_hit = false;
  bool deadline_hit = false;
  bool close_connection = false;  // set by the error handler: the request was not read whole
  // With close_connection: read and drop what the client still sends (for a short while)
  // before closing, so that closing over unread bytes does not reset the connection before
  // the client has read the answer.
  bool linger = false;
};
inline thread_local ReadBudget t_read_budget;
// The stream of the request being served on this worker thread, for the streaming routes
// that read their body themselves (http_server.cc).
inline thread_local httplib::Stream* t_stream = nullptr;

// Milliseconds from now until `deadline` (rounded up, at least 0), capped at `cap_ms`.
inline int MillisUntil(GuardClock::time_point deadline, int cap_ms) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - GuardClock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, cap_ms));
}

inline bool WaitFor(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  int n;
  do {
    n = ::poll(&p, 1, timeout_ms);
  } while (n < 0 && errno == EINTR);
  return n > 0;
}

class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(int fd, SSL* ssl, const ConnectionLimits& limits)
      : fd_(fd), ssl_(ssl), limits_(limits) {}

  // A new request starts: its reads must end by `deadline`, its headers stay within budget.
  void StartRequest() {
    deadline_ = GuardClock::now() + std::chrono::seconds(limits_.request_timeout_seconds);
    t_read_budget = ReadBudget{};
    newline_run_ = 0;
    head_.clear();
    no_body_ = false;
  }

  // Whether the next request has started to arrive (or the client has closed): false when the
  // connection is idle, and may be parked until it is not.
  bool ReadableNow() const { return Buffered() || WaitFor(fd_, POLLIN, 0); }

  bool is_readable() const override {
    if (!held_.empty()) const_cast<GuardedStream*>(this)->FlushHeld();
    return Buffered() || WaitFor(fd_, POLLIN, limits_.read_timeout_seconds * 1000);
  }
  bool is_writable() const override {
    return WaitFor(fd_, POLLOUT, limits_.write_timeout_seconds * 1000);
  }

  ssize_t read(char* ptr, size_t size) override {
    if (size == 0) return 0;
    ReadBudget& budget = t_read_budget;
    // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112
    // §6.3); httplib would read one until the client closes (`curl -X POST` without -d waited
    // for the read timeout, then got 400). The end of its body is here, at once.
    if (budget.headers_done && no_body_) return 0;
    if (!held_.empty() && !FlushHeld()) return -1;
    if (begin_ == end_ && !Fill()) return -1;
    size_t n = std::min(size, end_ - begin_);
    if (!budget.headers_done) {
      // Headers end at the first empty line ("\r\n\r\n", or "\n\n" as httplib also accepts).
      for (size_t i = 0; i < n; ++i) {
        char ch = buffer_[begin_ + i];
        if (ch == '\n') {
          if (++newline_run_ == 2) {
            budget.headers_done = true;
            n = i + 1;
            break;
          }
        } else if (ch != '\r') {
          newline_run_ = 0;
        }
      }
      budget.header_bytes += n;
      if (budget.header_bytes > limits_.max_header_bytes) {
        budget.header_limit_hit = true;
        return -1;
      }
      head_.append(buffer_ + begin_, n);
      if (budget.headers_done) no_body_ = !DeclaresBody(head_);
    }
    std::memcpy(ptr, buffer_ + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (broken_) return -1;
    if (!ssl_) {
      if (held_.empty() && size > 0 && size <= kMaxHeld) {
        held_.assign(ptr, size);
        return static_cast<ssize_t>(size);
      }
      if (!held_.empty()) return SendHeld(ptr, size);
    }
    const auto until = GuardClock::now() + std::chrono::seconds(limits_.write_timeout_seconds);
    while (true) {
      short wait = POLLOUT;
      if (ssl_) {
        int n = SSL_write(ssl_, ptr, static_cast<int>(std::min<size_t>(size, 1 << 30)));
        if (n > 0) return n;
        int error = SSL_get_error(ssl_, n);
        if (error == SSL_ERROR_WANT_READ) {
          wait = POLLIN;
        } else if (error != SSL_ERROR_WANT_WRITE) {
          return -1;
        }
      } else {
        ssize_t n = ::send(fd_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) return n;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
      }
      if (!WaitFor(fd_, wait, MillisUntil(until, 1 << 30))) return -1;
    }
  }

  // httplib asks for both addresses on every request: they are looked up once a connection.
  // Sends what write() held back. False when it cannot be sent.
  bool FlushHeld() {
    if (held_.empty()) return !broken_;
    return SendHeld(nullptr, 0) >= 0;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    if (remote_port_ < 0) Address(true, remote_ip_, remote_port_);
    ip = remote_ip_;
    port = remote_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    if (local_port_ < 0) Address(false, local_ip_, local_port_);
    ip = local_ip_;
    port = local_port_;
  }
  socket_t socket() const override { return fd_; }

 private:
  // Sends the held bytes, then as much of [ptr, ptr + size) as the socket takes, in one
  // sendmsg where it can. Returns the bytes of `ptr` sent (0 to size), -1 on failure.
  ssize_t SendHeld(const char* ptr, size_t size) {
    const auto until = GuardClock::now() + std::chrono::seconds(limits_.write_timeout_seconds);
    size_t held_sent = 0;
    while (true) {
      iovec pieces[2];
      int count = 0;
      if (held_sent < held_.size())
        pieces[count++] = {held_.data() + held_sent, held_.size() - held_sent};
      if (size > 0) pieces[count++] = {const_cast<char*>(ptr), size};
      msghdr message{};
      message.msg_iov = pieces;
      message.msg_iovlen = static_cast<size_t>(count);
      const ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n >= 0) {
        const size_t from_held = std::min(static_cast<size_t>(n), held_.size() - held_sent);
        held_sent += from_held;
        if (held_sent == held_.size()) {
          held_.clear();
          return n - static_cast<ssize_t>(from_held);
        }
        continue;
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) break;
      if (!WaitFor(fd_, POLLOUT, MillisUntil(until, 1 << 30))) break;
    }
    held_.clear();
    broken_ = true;
    return -1;
  }

  bool Buffered() const { return begin_ != end_ || (ssl_ && SSL_pending(ssl_) > 0); }

  // Whether a request head (request line and headers) has a Content-Length or a
  // Transfer-Encoding header, the two ways a request says it has a body.
  static bool DeclaresBody(std::string_view head) {
    // `name` is `lower` (lower case) whatever its case.
    auto is = [](std::string_view name, std::string_view lower) {
      return std::equal(name.begin(), name.end(), lower.begin(), lower.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == b;
      });
    };
    for (size_t end = head.find('\n'); end != std::string_view::npos;) {  // after the request line
      const size_t begin = end + 1;
      end = head.find('\n', begin);
      const std::string_view line =
          head.substr(begin, end == std::string_view::npos ? end : end - begin);
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string_view name = line.substr(0, colon);
      if (is(name, "content-length") || is(name, "transfer-encoding")) return true;
    }
    return false;
  }

  // Reads what is available into the buffer, waiting at most the read timeout and never past
  // the request's deadline.
  bool Fill() {
    begin_ = end_ = 0;
    while (true) {
      if (GuardClock::now() >= deadline_) {
        t_read_budget.deadline_hit = true;
        return false;
      }
      short wait = POLLIN;
      if (ssl_) {
        int n = SSL_read(ssl_, buffer_, sizeof buffer_);
        if (n > 0) {
          end_ = static_cast<size_t>(n);
          return true;
        }
        int error = SSL_get_error(ssl_, n);
        if (error == SSL_ERROR_WANT_WRITE) {
          wait = POLLOUT;
        } else if (error != SSL_ERROR_WANT_READ) {
          return false;
        }
      } else {
        ssize_t n = ::recv(fd_, buffer_, sizeof buffer_, MSG_DONTWAIT);
        if (n > 0) {
          end_ = static_cast<size_t>(n);
          return true;
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return false;
      }
      const int read_timeout = limits_.read_timeout_seconds * 1000;
      const int timeout = MillisUntil(deadline_, read_timeout);
      if (!WaitFor(fd_, wait, timeout)) {
        // Nothing came: the read timeout expired, or the request's deadline came first.
        if (timeout < read_timeout) t_read_budget.deadline_hit = true;
        return false;
      }
    }
  }

  void Address(bool remote, std::string& ip, int& port) const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    int rc = remote ? getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length)
                    : getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    if (rc != 0) return;
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    if (getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host, sizeof host, service,
                    sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host;
      port = std::atoi(service);
    }
  }

  int fd_;
  SSL* ssl_;
  const ConnectionLimits& limits_;
  mutable std::string remote_ip_, local_ip_;
  mutable int remote_port_ = -1, local_port_ = -1;
  // A small write held back (the status line and headers of a response) to leave with the
  // next one (its body) in one sendmsg: one system call and one TCP segment fewer per answer.
  // Sent before any read or wait for the client, and by FlushHeld at the end of each request.
  static constexpr size_t kMaxHeld = 8 << 10;
  std::string held_;
  bool broken_ = false;  // a held write could not be sent
  GuardClock::time_point deadline_ = GuardClock::now();
  int newline_run_ = 0;
  std::string head_;      // the current request's line and headers, as read
  bool no_body_ = false;  // its headers are done and declare no body
  char buffer_[16 << 10];
  size_t begin_ = 0, end_ = 0;
};

// httplib's server (plain or TLS) with the connection loop above.
template <typename Base>
class GuardedServer final : public Base {
 public:
  // `workers`: the threads that serve the requests of parked connections, at least; more join
  // them, up to `max_workers`, when a request waits for one (ElasticPool, kWhenStalled).
  template <typename... Args>
  GuardedServer(const ConnectionLimits& limits, size_t workers, size_t max_workers, Args&&... args)
      : Base(std::forward<Args>(args)...),
        limits_(limits),
        parker_({[this](Connection* connection) { Serve(connection); },
                 [this](Connection* connection) { Close(connection, false); }},
                std::chrono::seconds(limits.keep_alive_timeout_seconds), workers, max_workers) {
    this->set_keep_alive_max_count(
        limits.keep_alive_max_requests);  // what the Keep-Alive header says
  }

  // Once the accept loop has ended: closes the parked connections and waits for the requests
  // being served. Before the handlers' objects go (and at the latest when parker_ goes, before
  // the httplib server it serves with).
  void Drain() { parker_.Stop(); }

  // The accept queue httplib sets (5) drops the SYNs of a burst of clients: make it longer.
  void WidenBacklog() {
    if (this->svr_sock_ != INVALID_SOCKET) ::listen(this->svr_sock_, SOMAXCONN);
  }

 private:
  // A connection and the requests it has left (keep_alive_max_requests at first).
  struct Connection {
    Connection(int socket, SSL* tls, const ConnectionLimits& limits)
        : fd(socket), ssl(tls), stream(socket, tls, limits), left(limits.keep_alive_max_requests) {}
    int fd;
    SSL* ssl;
    GuardedStream stream;
    size_t left;
  };

  bool process_and_close_socket(socket_t sock) override {
    int flags = fcntl(sock, F_GETFL, 0);
    fcntl(sock, F_SETFL, flags | O_NONBLOCK);
    SSL* ssl = nullptr;
    if constexpr (std::is_base_of_v<httplib::SSLServer, Base>) {
      ssl = SSL_new(this->ssl_context());
      if (ssl == nullptr || SSL_set_fd(ssl, sock) != 1 || !Handshake(ssl, sock)) {
        if (ssl) SSL_free(ssl);
        ERR_clear_error();
        ::shutdown(sock, SHUT_RDWR);
        ::close(sock);
        return false;
      }
    }
    Serve(new Connection(sock, ssl, limits_));
    return true;
  }

  // Serves the requests that have arrived on `connection`, then parks it until the next one
  // arrives, or closes it.
  void Serve(Connection* connection) {
    GuardedStream& stream = connection->stream;
    bool linger = false;
    int served = 0;  // requests served in this call
    while (connection->left > 0 && !Stopping()) {
      if (!stream.FlushHeld()) break;
      if (!stream.ReadableNow()) {
        if (parker_.Park(connection->fd, connection)) return;
        break;
      }
      // The next request has already arrived: behind the connections waiting, if any.
      if (served > 0 && parker_.YieldIfOthersWait(connection)) return;
      ++served;
      stream.StartRequest();
      bool closed = false;
      t_stream = &stream;
      const bool ok = this->process_request(stream, connection->left == 1, closed, nullptr);
      t_stream = nullptr;
      --connection->left;
      // After headers that could not be read (431, 400) or a 408, the rest of the request is
      // still unread: never parse it as the next one.
      const ReadBudget& budget = t_read_budget;
      linger = budget.linger;
      if (!stream.FlushHeld() || !ok || closed || !budget.headers_done || budget.deadline_hit ||
          budget.close_connection)
        break;
    }
    Close(connection, linger);
  }

  bool Stopping() const { return this->svr_sock_ == INVALID_SOCKET; }

  void Close(Connection* connection, bool linger) {
    if (linger && !connection->ssl) Linger(connection->fd);
    if (connection->ssl) {
      SSL_shutdown(connection->ssl);
      SSL_free(connection->ssl);
      ERR_clear_error();
    }
    ::shutdown(connection->fd, SHUT_RDWR);
    ::close(connection->fd);
    delete connection;
  }

  // Tells the client no more is coming, then drops what it still sends for at most half a
  // second (and 1 MiB), or until it closes.
  static void Linger(int sock) {
    ::shutdown(sock, SHUT_WR);
    const auto until = GuardClock::now() + std::chrono::milliseconds(500);
    char buffer[16 << 10];
    for (size_t dropped = 0; dropped < (1u << 20);) {
      if (!WaitFor(sock, POLLIN, MillisUntil(until, 500))) break;
      ssize_t n = ::recv(sock, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) break;
      dropped += static_cast<size_t>(n);
    }
  }

  // A non-blocking TLS handshake that must end within the read timeout.
  bool Handshake(SSL* ssl, int sock) {
    const auto until = GuardClock::now() + std::chrono::seconds(limits_.read_timeout_seconds);
    while (true) {
      int n = SSL_accept(ssl);
      if (n == 1) return true;
      int error = SSL_get_error(ssl, n);
      short wait;
      if (error == SSL_ERROR_WANT_READ) {
        wait = POLLIN;
      } else if (error == SSL_ERROR_WANT_WRITE) {
        wait = POLLOUT;
      } else {
        return false;
      }
      if (!WaitFor(sock, wait, MillisUntil(until, 1 << 30))) return false;
    }
  }

  ConnectionLimits limits_;
  ConnectionParker<Connection> parker_;
};

// httplib's task queue (its accept loop's: one job per new connection) on an ElasticPool that
// grows whenever every worker is busy.
class PoolTaskQueue final : public httplib::TaskQueue {
 public:
  PoolTaskQueue(size_t min, size_t max) : pool_(min, max, ElasticPool::Growth::kWhenBusy) {}
  void enqueue(std::function<void()> fn) override { pool_.enqueue(std::move(fn)); }
  void shutdown() override { pool_.shutdown(); }

 private:
  ElasticPool pool_;
};

}  // namespace expectmatch::api::internal
