// Text helpers shared by the CSV readers (private to datasets/).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace expectmatch::datasets::internal {

// Decodes the code point at text[*i] and advances *i; nullopt (advancing one byte) on an
// invalid sequence (overlong, surrogate, beyond U+10FFFF, truncated).
std::optional<char32_t> NextCodePoint(std::string_view text, size_t* i);
bool IsValidUtf8(std::string_view text);
void AppendUtf8(char32_t cp, std::string* out);
// Windows-1252 bytes (Excel's plain "CSV" save) as UTF-8.
std::string Cp1252ToUtf8(std::string_view bytes);
std::string AsciiLower(std::string_view text);
// Blanks a cell may carry around its value: ASCII white space, no-break space (U+00A0) and
// narrow no-break space (U+202F); BlankLength is the byte length of the one at `at` (0: none).
size_t BlankLength(std::string_view text, size_t at);
std::string Trim(std::string_view text);
// « text », as French messages quote values.
std::string Guillemets(std::string_view text);

}  // namespace expectmatch::datasets::internal
