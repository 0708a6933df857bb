#include "text.h"

#include <array>

namespace expectmatch::datasets::internal {

// Decodes the code point at text[*i] and advances *i; nullopt (advancing one byte) on an
// invalid sequence (overlong, surrogate, beyond U+10FFFF, truncated).
std::optional<char32_t> NextCodePoint(std::string_view text, size_t* i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(*i);
  if (lead < 0x80) {
    ++*i;
    return lead;
  }
  size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    ++*i;
    return std::nullopt;
  }
  if (*i + length > text.size()) {
    ++*i;
    return std::nullopt;
  }
  for (size_t k = 1; k < length; ++k) {
    if ((byte(*i + k) & 0xC0) != 0x80) {
      ++*i;
      return std::nullopt;
    }
    cp = (cp << 6) | (byte(*i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return std::nullopt;
  }
  *i += length;
  return cp;
}

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (!NextCodePoint(text, &i)) return false;
  }
  return true;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Windows-1252 bytes 0x80-0x9F (0xFFFD where the code page defines nothing); the others are
// Latin-1.
constexpr std::array<char32_t, 32> kCp1252High = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

std::string Cp1252ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char ch : bytes) {
    auto byte = static_cast<unsigned char>(ch);
    AppendUtf8(byte >= 0x80 && byte < 0xA0 ? kCp1252High[byte - 0x80] : char32_t{byte}, &out);
  }
  return out;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

std::string Guillemets(std::string_view text) {
  std::string out = "« ";
  out.append(text);
  out += " »";
  return out;
}

// Blanks a cell may carry around its value: ASCII white space, no-break space (U+00A0) and
// narrow no-break space (U+202F), which French-locale spreadsheets put in numbers.
size_t BlankLength(std::string_view text, size_t at) {
  if (at >= text.size()) return 0;
  char ch = text[at];
  if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') return 1;
  if (text.substr(at, 2) == "\xC2\xA0") return 2;
  if (text.substr(at, 3) == "\xE2\x80\xAF") return 3;
  return 0;
}

std::string Trim(std::string_view text) {
  size_t begin = 0;
  while (size_t n = BlankLength(text, begin)) begin += n;
  size_t end = text.size();
  while (end > begin) {
    size_t n = 0;
    for (size_t k : {size_t{1}, size_t{2}, size_t{3}}) {
      if (end >= begin + k && BlankLength(text, end - k) == k) n = k;
    }
    if (n == 0) break;
    end -= n;
  }
  return std::string(text.substr(begin, end - begin));
}

}  // namespace expectmatch::datasets::internal
