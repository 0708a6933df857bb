#include <gtest/gtest.h>

#include "expectmatch/matcher/date.h"

namespace expectmatch::matcher {
namespace {

TEST(Date, ParsesAndFormatsIsoDates) {
  auto date = ParseIsoDate("2027-03-01");
  ASSERT_TRUE(date);
  EXPECT_EQ(FormatIsoDate(*date), "2027-03-01");
  EXPECT_EQ(date->Year(), 2027);
  EXPECT_EQ(ParseIsoDate("1970-01-01")->days, 0);
}

TEST(Date, RejectsWhatIsNotACalendarDate) {
  for (const char* text : {"2027-02-29", "2027-13-01", "2027-1-01", "27-01-01", "2027/01/01", "",
                           "2027-01-01T00:00:00Z", " 2027-01-01", "2027-00-10"}) {
    EXPECT_FALSE(ParseIsoDate(text)) << text;
  }
  EXPECT_TRUE(ParseIsoDate("2028-02-29"));
}

TEST(Date, AcceptsRfc3339DateTimesWhereAsked) {
  EXPECT_EQ(FormatIsoDate(*ParseIsoDateOrDateTime("2026-10-02T09:30:00Z")), "2026-10-02");
  EXPECT_EQ(FormatIsoDate(*ParseIsoDateOrDateTime("2026-10-02T09:30:00.123+02:00")), "2026-10-02");
  EXPECT_FALSE(ParseIsoDateOrDateTime("2026-10-02T25:30:00Z"));
  EXPECT_FALSE(ParseIsoDateOrDateTime("2026-10-02T09:30:00"));
}

TEST(Date, AddMonthsClampsToTheMonthsLastDay) {
  EXPECT_EQ(FormatIsoDate(ParseIsoDate("2025-03-05")->AddMonths(2)), "2025-05-05");
  EXPECT_EQ(FormatIsoDate(ParseIsoDate("2026-12-31")->AddMonths(2)), "2027-02-28");
  EXPECT_EQ(FormatIsoDate(ParseIsoDate("2027-11-15")->AddMonths(2)), "2028-01-15");
}

TEST(Date, DayDifferencesUsedByTheRankerTests) {
  // The ranker's hand computations rely on these intervals.
  EXPECT_EQ(ParseIsoDate("2027-03-01")->days - ParseIsoDate("2025-03-05")->days, 726);
  EXPECT_EQ(ParseIsoDate("2027-03-01")->days - ParseIsoDate("2024-06-07")->days, 997);
  EXPECT_EQ(ParseIsoDate("2027-03-01")->days - ParseIsoDate("2026-02-06")->days, 388);
}

}  // namespace
}  // namespace expectmatch::matcher
