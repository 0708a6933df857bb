// The access log's hot path, private to api/ (http_server.cc and the tests).
//
// A served request writes its line with neither a lock nor an allocation (once its thread has
// written one line): AppendAccessLogLine formats it into a reused buffer, and
// AccessLogWriter::Append copies it into the calling thread's own ring of bytes, which a
// background thread empties every few milliseconds into the file descriptor (one writev per
// ring, whole lines only, so lines never interleave with other writers of the same file) or,
// line by line, into a sink. Lines of one thread keep their order; lines of different threads
// may come out in another order than their requests ended (each carries its time).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "expectmatch/api/http_server.h"

namespace expectmatch::api::internal {

// The fields of one access-log line, as views (nothing copied). See AccessLogLine.
struct AccessLogView {
  double unix_time = 0;
  std::string_view method;
  std::string_view route;  // empty: "unmatched"
  std::string_view path;
  int status = 0;
  double duration_ms = 0;
  size_t bytes = 0;
  std::string_view remote;
  std::string_view request_id;  // empty: no "request_id" key
  const std::map<std::string, std::string>* fields = nullptr;
};

// Appends the line (without a newline) to `out`: the same text as AccessLogLine. Allocates
// only when `out` must grow.
void AppendAccessLogLine(const AccessLogView& entry, std::string* out);

class AccessLogWriter {
 public:
  // Lines go to `sink` (one call per line, without the newline, on the writer's thread) when it
  // is set, else to `fd` (each followed by a newline). `interval`: how often the rings are
  // emptied; `ring_bytes`: each thread's ring (a power of two).
  AccessLogWriter(int fd, std::function<void(const std::string&)> sink,
                  std::chrono::milliseconds interval = std::chrono::milliseconds(10),
                  size_t ring_bytes = 64 << 10);
  // Writes every line appended before.
  ~AccessLogWriter();
  AccessLogWriter(const AccessLogWriter&) = delete;
  AccessLogWriter& operator=(const AccessLogWriter&) = delete;

  // Queues one line (without its newline). No lock and no allocation once the calling thread
  // has its ring; when the ring is full (the writer is behind by ring_bytes), waits for room.
  // A line longer than the ring is written at once, under a lock.
  void Append(std::string_view line);
  // Writes every line appended before the call, then returns.
  void Flush();

  // Lines written so far (for the tests).
  uint64_t written() const { return written_.load(std::memory_order_acquire); }

 private:
  struct Ring;
  Ring& ThisThreadRing();
  void Run();
  void DrainAll();
  void Drain(Ring& ring);
  void Emit(const char* first, size_t first_size, const char* second, size_t second_size);

  const int fd_;
  const std::function<void(const std::string&)> sink_;
  const std::chrono::milliseconds interval_;
  const size_t ring_bytes_;
  const uint64_t id_;  // tells this writer's rings from another's in a thread's cache

  std::mutex rings_mutex_;  // taken once per thread (its first line), and by the drainer
  std::vector<std::shared_ptr<Ring>> rings_;
  std::mutex drain_mutex_;    // one drainer at a time (the thread, Flush, the destructor)
  std::string pending_line_;  // the sink's line being assembled (under drain_mutex_)
  std::atomic<uint64_t> written_{0};

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace expectmatch::api::internal
