#include "expectmatch/service/clock.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace expectmatch::service {

std::string NowRfc3339() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string Today() { return NowRfc3339().substr(0, 10); }

namespace {

// 64 random bits from this thread's generator, seeded once per thread.
unsigned long long Random64() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  return static_cast<unsigned long long>(random());
}

}  // namespace

std::string NewRequestId() {
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", Random64(), Random64());
  return buffer;
}

std::string NewTimeOrderedId() {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%012llx%016llx%04llx",
                static_cast<unsigned long long>(millis) & 0xffffffffffffULL, Random64(),
                Random64() & 0xffffULL);
  return buffer;
}

bool IsValidId(const std::string& id) {
  if (id.empty() || id.size() > 64 || !std::isalnum(static_cast<unsigned char>(id[0])))
    return false;
  return std::all_of(id.begin(), id.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-';
  });
}

}  // namespace expectmatch::service
