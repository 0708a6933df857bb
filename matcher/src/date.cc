#include "expectmatch/matcher/date.h"

#include <chrono>
#include <cstdio>

namespace expectmatch::matcher {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;
using std::chrono::year_month_day_last;

year_month_day ToYmd(Date date) { return year_month_day{sys_days{std::chrono::days{date.days}}}; }

bool ParseDigits(std::string_view text, size_t pos, size_t count, int* out) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

}  // namespace

int Date::Year() const { return static_cast<int>(ToYmd(*this).year()); }

Date Date::AddMonths(int months) const {
  year_month_day ymd = ToYmd(*this);
  auto ym = std::chrono::year_month{ymd.year(), ymd.month()} + std::chrono::months{months};
  auto last = year_month_day_last{ym.year(), std::chrono::month_day_last{ym.month()}}.day();
  auto d = ymd.day() > last ? last : ymd.day();
  return Date{static_cast<int>(
      sys_days{year_month_day{ym.year(), ym.month(), d}}.time_since_epoch().count())};
}

Date Date::FromYmd(int y, unsigned m, unsigned d) {
  return Date{static_cast<int>(
      sys_days{year_month_day{year{y}, month{m}, day{d}}}.time_since_epoch().count())};
}

std::optional<Date> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!ParseDigits(text, 0, 4, &y) || !ParseDigits(text, 5, 2, &m) ||
      !ParseDigits(text, 8, 2, &d)) {
    return std::nullopt;
  }
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return Date{static_cast<int>(sys_days{ymd}.time_since_epoch().count())};
}

std::optional<Date> ParseIsoDateOrDateTime(std::string_view text) {
  if (text.size() == 10) return ParseIsoDate(text);
  // YYYY-MM-DDThh:mm:ss then optional fraction, then Z or an offset.
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't')) return std::nullopt;
  int hh = 0, mm = 0, ss = 0;
  if (text[13] != ':' || text[16] != ':' || !ParseDigits(text, 11, 2, &hh) ||
      !ParseDigits(text, 14, 2, &mm) || !ParseDigits(text, 17, 2, &ss) || hh > 23 || mm > 59 ||
      ss > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (text[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  std::string_view zone = text.substr(pos);
  if (zone != "Z" && zone != "z") {
    int oh = 0, om = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' ||
        !ParseDigits(zone, 1, 2, &oh) || !ParseDigits(zone, 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
  }
  return ParseIsoDate(text.substr(0, 10));
}

std::string FormatIsoDate(Date date) {
  year_month_day ymd = ToYmd(date);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

}  // namespace expectmatch::matcher
