// A JSON text written as it goes, for the answers served at request rate (POST /v1/match):
// building an nlohmann::json tree first cost more than ranking itself (bench/service_bench.cc).
// The text is what nlohmann's dump() gives for the same values (compact, UTF-8 kept as is,
// numbers by its own shortest-round-trip formatter), so both kinds of answers read alike.
// Keys are written in the order given: callers that mirror an nlohmann::json object give them
// sorted.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace expectmatch::service {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }

  // The next member's name (inside an object); its value follows.
  JsonWriter& Key(std::string_view name) {
    Separate();
    Quoted(name);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  JsonWriter& String(std::string_view text) {
    Separate();
    Quoted(text);
    return *this;
  }
  JsonWriter& Null() {
    Separate();
    out_ += "null";
    return *this;
  }
  JsonWriter& Bool(bool value) {
    Separate();
    out_ += value ? "true" : "false";
    return *this;
  }
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  JsonWriter& Number(T value) {
    Separate();
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out_.append(buffer, static_cast<size_t>(end - buffer));
    return *this;
  }
  JsonWriter& Number(double value) {
    Separate();
    if (!std::isfinite(value)) {
      out_ += "null";  // as nlohmann's dump()
      return *this;
    }
    // nlohmann's own formatter (Grisu2, "1.0" for whole numbers): the same text as dump().
    char buffer[64];
    char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
    out_.append(buffer, static_cast<size_t>(end - buffer));
    return *this;
  }
  // Shorthands for a member: Key(name) then its value.
  JsonWriter& Member(std::string_view name, std::string_view text) {
    return Key(name).String(text);
  }
  JsonWriter& Member(std::string_view name, const char* text) { return Key(name).String(text); }
  JsonWriter& Member(std::string_view name, const std::string& text) {
    return Key(name).String(text);
  }
  template <typename T,
            std::enable_if_t<std::is_arithmetic_v<T> && !std::is_same_v<T, bool>, int> = 0>
  JsonWriter& Member(std::string_view name, T value) {
    return Key(name).Number(value);
  }

 private:
  JsonWriter& Open(char bracket) {
    Separate();
    out_ += bracket;
    first_.push_back(true);
    return *this;
  }
  JsonWriter& Close(char bracket) {
    first_.pop_back();
    out_ += bracket;
    return *this;
  }
  // A comma before every value of a container but the first (a member's value follows its key).
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
  // Whether one of the eight bytes of `word` must be escaped: below 0x20, '"' or '\\'. Exact
  // for the word as a whole (the classic "has a byte less than n" and "has a zero byte" tests;
  // bytes of 0x80 and above, UTF-8's, are never flagged).
  static bool AnyToEscape(uint64_t word) {
    constexpr uint64_t kOnes = 0x0101010101010101ull;
    constexpr uint64_t kHigh = 0x8080808080808080ull;
    const uint64_t quote = word ^ (kOnes * '"');
    const uint64_t backslash = word ^ (kOnes * '\\');
    const uint64_t below_space = (word - kOnes * 0x20) & ~word;
    const uint64_t is_quote = (quote - kOnes) & ~quote;
    const uint64_t is_backslash = (backslash - kOnes) & ~backslash;
    return ((below_space | is_quote | is_backslash) & kHigh) != 0;
  }

  // The text quoted with the escapes of nlohmann's dump() with ensure_ascii off: quote,
  // backslash, the C0 controls. Bytes that need no escape (nearly all) are copied in runs,
  // found eight at a time: a match answer is mostly quoted text.
  void Quoted(std::string_view text) {
    out_ += '"';
    const char* data = text.data();
    const size_t size = text.size();
    size_t run = 0;  // start of the bytes not yet copied
    size_t i = 0;
    while (i < size) {
      for (uint64_t word; i + 8 <= size; i += 8) {
        std::memcpy(&word, data + i, 8);
        if (AnyToEscape(word)) break;
      }
      // The word that holds an escape, or the tail shorter than a word: byte by byte.
      for (const size_t stop = std::min(size, i + 8); i < stop; ++i) {
        const auto byte = static_cast<unsigned char>(data[i]);
        if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
        out_.append(data + run, i - run);
        run = i + 1;
        Escape(byte);
      }
    }
    out_.append(data + run, size - run);
    out_ += '"';
  }

  void Escape(unsigned char byte) {
    switch (byte) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\b':
        out_ += "\\b";
        break;
      case '\f':
        out_ += "\\f";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out_ += "\\u00";
        out_ += kHex[byte >> 4];
        out_ += kHex[byte & 0xF];
      }
    }
  }

  std::string& out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace expectmatch::service
