#include "expectmatch/api/access_log.h"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <map>
#include <memory>
#include <utility>

namespace expectmatch::api {
namespace internal {
namespace {

constexpr size_t kMaxLoggedPath = 512;

// A JSON string as nlohmann's dump() writes it (no ASCII escaping, invalid UTF-8 replaced):
// written here when it is printable ASCII without a quote or a backslash (methods, routes,
// addresses, ids, nearly every path), else left to nlohmann.
void AppendString(std::string_view text, std::string* out) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char ch) {
    return ch >= 0x20 && ch <= 0x7e && ch != '"' && ch != '\\';
  });
  if (plain) {
    out->push_back('"');
    out->append(text);
    out->push_back('"');
    return;
  }
  out->append(nlohmann::json(std::string(text))
                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

template <typename Integer>
void AppendInteger(Integer value, std::string* out) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out->append(buffer, ec == std::errc() ? end : buffer);
}

// A double as nlohmann writes it: the shortest digits that read back the same, "2.0" for a
// whole number. In the range a duration takes that is to_chars' shortest fixed notation.
void AppendDouble(double value, std::string* out) {
  const double magnitude = std::fabs(value);
  if (magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e15)) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    if (ec == std::errc()) {
      out->append(buffer, end);
      if (std::find(buffer, end, '.') == end) out->append(".0");
      return;
    }
  }
  out->append(nlohmann::json(value).dump());
}

void AppendKey(std::string_view key, std::string* out) {
  out->push_back(out->size() > 1 ? ',' : '{');
  AppendString(key, out);
  out->push_back(':');
}

// "2026-03-01T12:00:00.123Z". The date and time of the second are formatted once a second
// per thread.
void AppendTime(double unix_time, std::string* out) {
  thread_local std::time_t cached_second = -1;
  thread_local char cached[24];
  const double whole = std::floor(unix_time);
  const std::time_t second = static_cast<std::time_t>(whole);
  int millis = static_cast<int>((unix_time - whole) * 1000);
  if (millis > 999) millis = 999;
  if (second != cached_second) {
    std::tm utc{};
    gmtime_r(&second, &utc);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &utc);
    cached_second = second;
  }
  char text[40];
  const int n = std::snprintf(text, sizeof text, "\"%s.%03dZ\"", cached, millis);
  out->append(text, static_cast<size_t>(std::max(n, 0)));
}

}  // namespace

void AppendAccessLogLine(const AccessLogView& entry, std::string* out) {
  const size_t start = out->size();
  std::string line_storage;  // only when `out` is not empty: AppendKey looks at the line alone
  std::string* line = out;
  if (start != 0) line = &line_storage;
  AppendKey("time", line);
  AppendTime(entry.unix_time, line);
  AppendKey("method", line);
  AppendString(entry.method, line);
  AppendKey("route", line);
  AppendString(entry.route.empty() ? HttpMetrics::kUnmatchedRoute : entry.route, line);
  AppendKey("path", line);
  AppendString(entry.path.substr(0, kMaxLoggedPath), line);
  AppendKey("status", line);
  AppendInteger(entry.status, line);
  AppendKey("duration_ms", line);
  AppendDouble(std::round(entry.duration_ms * 1000) / 1000, line);
  AppendKey("bytes", line);
  AppendInteger(entry.bytes, line);
  AppendKey("remote", line);
  AppendString(entry.remote, line);
  if (!entry.request_id.empty()) {
    AppendKey("request_id", line);
    AppendString(entry.request_id, line);
  }
  if (entry.fields != nullptr) {
    for (const auto& [name, value] : *entry.fields) {
      // A field named like a key already written is dropped.
      if (name == "time" || name == "method" || name == "route" || name == "path" ||
          name == "status" || name == "duration_ms" || name == "bytes" || name == "remote" ||
          (name == "request_id" && !entry.request_id.empty()))
        continue;
      AppendKey(name, line);
      AppendString(value, line);
    }
  }
  line->push_back('}');
  if (line != out) out->append(*line);
}

// One thread's lines: a ring of bytes with one writer (the thread) and one reader (the drainer,
// under drain_mutex_). `head` and `tail` only grow; the bytes between them are whole lines.
struct AccessLogWriter::Ring {
  explicit Ring(size_t bytes) : data(new char[bytes]), size(bytes) {}
  std::unique_ptr<char[]> data;
  const size_t size;
  alignas(64) std::atomic<size_t> head{0};  // written by the thread
  alignas(64) std::atomic<size_t> tail{0};  // written by the drainer
  std::atomic<bool> retired{false};         // the thread has ended (or moved to another writer)
};

namespace {
std::atomic<uint64_t> g_next_writer_id{1};
}  // namespace

AccessLogWriter::AccessLogWriter(int fd, std::function<void(const std::string&)> sink,
                                 std::chrono::milliseconds interval, size_t ring_bytes)
    : fd_(fd),
      sink_(std::move(sink)),
      interval_(interval),
      ring_bytes_(std::bit_ceil(std::max<size_t>(ring_bytes, 4096))),
      id_(g_next_writer_id.fetch_add(1)) {
  thread_ = std::thread([this] { Run(); });
}

AccessLogWriter::~AccessLogWriter() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  DrainAll();
}

AccessLogWriter::Ring& AccessLogWriter::ThisThreadRing() {
  struct Cache {
    uint64_t writer = 0;
    std::shared_ptr<Ring> ring;
    ~Cache() {
      if (ring) ring->retired.store(true, std::memory_order_release);
    }
  };
  thread_local Cache cache;
  if (cache.writer != id_) {
    if (cache.ring) cache.ring->retired.store(true, std::memory_order_release);
    cache.ring = std::make_shared<Ring>(ring_bytes_);
    cache.writer = id_;
    std::lock_guard lock(rings_mutex_);
    rings_.push_back(cache.ring);
  }
  return *cache.ring;
}

void AccessLogWriter::Append(std::string_view line) {
  const size_t need = line.size() + 1;
  if (need > ring_bytes_) {
    std::lock_guard lock(drain_mutex_);
    Drain(ThisThreadRing());  // this thread's earlier lines first
    Emit(line.data(), line.size(), "\n", 1);
    return;
  }
  Ring& ring = ThisThreadRing();
  const size_t head = ring.head.load(std::memory_order_relaxed);
  while (ring.size - (head - ring.tail.load(std::memory_order_acquire)) < need) {
    wake_.notify_one();  // the drainer is behind: wake it and wait for room
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  const size_t at = head & (ring.size - 1);
  const size_t first = std::min(line.size(), ring.size - at);
  std::memcpy(ring.data.get() + at, line.data(), first);
  std::memcpy(ring.data.get(), line.data() + first, line.size() - first);
  ring.data[(head + line.size()) & (ring.size - 1)] = '\n';
  ring.head.store(head + need, std::memory_order_release);
}

void AccessLogWriter::Flush() { DrainAll(); }

void AccessLogWriter::Run() {
  std::unique_lock lock(wake_mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_);
    lock.unlock();
    DrainAll();
    lock.lock();
  }
}

void AccessLogWriter::DrainAll() {
  std::lock_guard drain(drain_mutex_);
  std::vector<std::shared_ptr<Ring>> rings;
  {
    std::lock_guard lock(rings_mutex_);
    rings = rings_;
  }
  bool retired_any = false;
  for (const auto& ring : rings) {
    const bool retired = ring->retired.load(std::memory_order_acquire);
    Drain(*ring);
    retired_any = retired_any || retired;
  }
  if (retired_any) {
    // A retired ring, once drained, gets no more lines: forget it.
    std::lock_guard lock(rings_mutex_);
    std::erase_if(rings_, [](const std::shared_ptr<Ring>& ring) {
      return ring->retired.load(std::memory_order_acquire) &&
             ring->head.load(std::memory_order_acquire) ==
                 ring->tail.load(std::memory_order_relaxed);
    });
  }
}

void AccessLogWriter::Drain(Ring& ring) {
  const size_t tail = ring.tail.load(std::memory_order_relaxed);
  const size_t head = ring.head.load(std::memory_order_acquire);
  if (head == tail) return;
  const size_t at = tail & (ring.size - 1);
  const size_t length = head - tail;
  const size_t first = std::min(length, ring.size - at);
  Emit(ring.data.get() + at, first, ring.data.get(), length - first);
  ring.tail.store(head, std::memory_order_release);
}

void AccessLogWriter::Emit(const char* first, size_t first_size, const char* second,
                           size_t second_size) {
  const uint64_t lines = static_cast<uint64_t>(std::count(first, first + first_size, '\n') +
                                               std::count(second, second + second_size, '\n'));
  if (sink_) {
    for (const auto& [data, size] :
         {std::pair(first, first_size), std::pair(second, second_size)}) {
      for (const char* p = data; p != data + size; ++p) {
        if (*p != '\n') {
          pending_line_.push_back(*p);
          continue;
        }
        try {
          sink_(pending_line_);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "access log: %s\n", e.what());
        }
        pending_line_.clear();
      }
    }
  } else {
    // One writev for the two pieces: whole lines reach the file together.
    iovec pieces[2] = {{const_cast<char*>(first), first_size},
                       {const_cast<char*>(second), second_size}};
    iovec* piece = pieces;
    int count = second_size > 0 ? 2 : 1;
    while (count > 0) {
      const ssize_t n = ::writev(fd_, piece, count);
      if (n < 0) {
        if (errno == EINTR) continue;
        break;  // the log cannot be written (closed stderr): its lines are dropped
      }
      size_t done = static_cast<size_t>(n);
      while (count > 0 && done >= piece->iov_len) {
        done -= piece->iov_len;
        ++piece;
        --count;
      }
      if (count > 0) {
        piece->iov_base = static_cast<char*>(piece->iov_base) + done;
        piece->iov_len -= done;
      }
    }
  }
  written_.fetch_add(lines, std::memory_order_release);
}

}  // namespace internal

std::string AccessLogLine(const AccessLogEntry& entry) {
  internal::AccessLogView view;
  view.unix_time = entry.unix_time;
  view.method = entry.method;
  view.route = entry.route;
  view.path = entry.path;
  view.status = entry.status;
  view.duration_ms = entry.duration_ms;
  view.bytes = entry.bytes;
  view.remote = entry.remote;
  view.request_id = entry.request_id;
  view.fields = &entry.fields;
  std::string line;
  internal::AppendAccessLogLine(view, &line);
  return line;
}

}  // namespace expectmatch::api
