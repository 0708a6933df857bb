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

std::string NewRequestId() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()));
  return buffer;
}

std::string NewTimeOrderedId() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%012llx%016llx%04llx",
                static_cast<unsigned long long>(millis) & 0xffffffffffffULL,
                static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()) & 0xffffULL);
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
