// api/src/json_writer.h writes the text nlohmann's dump() would give for the same values (the
// match answers were nlohmann trees before, and clients may compare bodies).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "expectmatch/service/json_writer.h"

namespace expectmatch {
namespace {

using service::JsonWriter;
using Json = nlohmann::json;

std::string Dumped(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::strict);
}

TEST(JsonWriter, NumbersAreWrittenAsNlohmannDumpsThem) {
  std::vector<double> values = {0.0,
                                -0.0,
                                1.0,
                                -1.0,
                                0.1,
                                0.3,
                                1.0 / 3,
                                2.5,
                                100.0,
                                1e15,
                                1e16,
                                1e17,
                                1.5e300,
                                1e-4,
                                1e-5,
                                1.25e-7,
                                0.99951171875,
                                0.1499267578125,
                                123456789.125,
                                std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::min(),
                                std::numeric_limits<double>::denorm_min()};
  std::mt19937_64 random(8);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < 2000; ++i) {
    values.push_back(unit(random));
    values.push_back(std::ldexp(unit(random), static_cast<int>(random() % 200) - 100));
    values.push_back(static_cast<double>(random() % 100000) / 1000);  // scores rounded to 3 places
  }
  for (double value : values) {
    std::string text;
    JsonWriter(text).Number(value);
    EXPECT_EQ(text, Dumped(value)) << value;
  }
  for (double special : {std::nan(""), std::numeric_limits<double>::infinity()}) {
    std::string text;
    JsonWriter(text).Number(special);
    EXPECT_EQ(text, "null");
    EXPECT_EQ(text, Dumped(special));
  }
  for (long long integer : {0LL, 1LL, -1LL, 42LL, std::numeric_limits<long long>::min(),
                            std::numeric_limits<long long>::max()}) {
    std::string text;
    JsonWriter(text).Number(integer);
    EXPECT_EQ(text, Dumped(integer));
  }
  std::string text;
  JsonWriter(text).Number(std::numeric_limits<size_t>::max());
  EXPECT_EQ(text, Dumped(std::numeric_limits<size_t>::max()));
}

TEST(JsonWriter, StringsAreEscapedAsNlohmannDumpsThem) {
  std::string every_control;
  for (int c = 0; c < 0x20; ++c) every_control += static_cast<char>(c);
  for (const std::string& value :
       {std::string(), std::string("plain"), std::string("« Énergie » — coopération 🇲🇱"),
        std::string("quote \" and \\ slash /"), every_control, std::string("\x7f del"),
        std::string("tab\tnew\nline\r")}) {
    std::string text;
    JsonWriter(text).String(value);
    EXPECT_EQ(text, Dumped(value));
  }
}

TEST(JsonWriter, EscapesAreFoundAtEveryPlaceOfALongString) {
  // Strings are scanned eight bytes at a time: an escape must be found in any byte of a word,
  // in the tail shorter than a word, next to multi-byte characters, and several in one word.
  std::vector<std::string> specials = {"\"", "\\", "\x7f", "é", "🇲🇱"};
  for (int c = 0; c < 0x20; ++c) specials.push_back(std::string(1, static_cast<char>(c)));
  for (size_t length = 0; length <= 24; ++length) {
    for (size_t at = 0; at <= length; ++at) {
      for (const std::string& special : specials) {
        for (const std::string& filler : {std::string("a"), std::string("é")}) {
          std::string value;
          for (size_t i = 0; i < length; ++i) value += i == at ? special : filler;
          if (at == length) value += special + "\"" + special;
          std::string text;
          JsonWriter(text).String(value);
          ASSERT_EQ(text, Dumped(value)) << "length " << length << ", at " << at;
        }
      }
    }
  }
}

TEST(JsonWriter, NestedContainersMatchTheTreeTheyMirror) {
  std::string text;
  JsonWriter out(text);
  out.BeginObject();
  out.Key("a").BeginArray().EndArray();
  out.Key("b").BeginObject().EndObject();
  out.Key("c").BeginArray();
  out.BeginObject().Member("x", 1).Member("y", "z").EndObject();
  out.Number(2.5).String("s").Bool(false).Bool(true);
  out.BeginArray().Number(1).BeginArray().EndArray().EndArray();
  out.EndArray();
  out.Member("d", std::string("e"));
  out.EndObject();
  Json tree = {{"a", Json::array()},
               {"b", Json::object()},
               {"c", {{{"x", 1}, {"y", "z"}}, 2.5, "s", false, true, {1, Json::array()}}},
               {"d", "e"}};
  EXPECT_EQ(text, Dumped(tree));
}

}  // namespace
}  // namespace expectmatch
