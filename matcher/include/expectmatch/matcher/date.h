// Calendar dates as a count of days since 1970-01-01 (proleptic Gregorian).
//
// A Date is a plain value; it is cheap to copy and compare. Thread-safe: no shared state.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace expectmatch::matcher {

struct Date {
  int days = 0;  // days since 1970-01-01

  auto operator<=>(const Date&) const = default;

  int Year() const;
  // Same day `months` calendar months later, clamped to the month's last day
  // (2026-12-31 + 2 months = 2027-02-28).
  Date AddMonths(int months) const;

  static Date FromYmd(int year, unsigned month, unsigned day);
};

// Parses "YYYY-MM-DD" exactly (no time part, no surrounding blanks); nullopt when it is not a
// valid calendar date.
std::optional<Date> ParseIsoDate(std::string_view text);
// Parses "YYYY-MM-DD" or an RFC 3339 date-time ("YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)"), keeping
// only the date part. Used for timestamps such as `submitted_at`.
std::optional<Date> ParseIsoDateOrDateTime(std::string_view text);
std::string FormatIsoDate(Date date);

}  // namespace expectmatch::matcher
