#include "expectmatch/understanding/fold.h"

#include <memory>
#include <stdexcept>

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace expectmatch::understanding {
namespace {

// Any script to Latin, then Latin to ASCII where ICU knows an equivalent (é -> e, œ -> oe,
// ß -> ss), then whatever combining marks remain removed. Created once per thread: ICU's
// transliterators are not safe to share between threads.
const icu::Transliterator& ToLatin() {
  thread_local std::unique_ptr<icu::Transliterator> transliterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> created(icu::Transliterator::createInstance(
        "Any-Latin; Latin-ASCII; NFD; [:Nonspacing Mark:] Remove; NFC", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !created) {
      throw std::runtime_error(std::string("ICU transliterator unavailable: ") +
                               u_errorName(status));
    }
    return created;
  }();
  return *transliterator;
}

}  // namespace

std::string Fold(std::string_view text) {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  ToLatin().transliterate(unicode);
  unicode.foldCase();
  icu::UnicodeString folded;
  bool pending_space = false;
  for (int32_t i = 0; i < unicode.length();) {
    const UChar32 c = unicode.char32At(i);
    i += U16_LENGTH(c);
    if (u_isalnum(c)) {
      if (pending_space && !folded.isEmpty()) folded.append(static_cast<UChar>(u' '));
      pending_space = false;
      folded.append(c);
    } else {
      pending_space = true;
    }
  }
  std::string out;
  folded.toUTF8String(out);
  return out;
}

std::vector<std::string> FoldedWords(std::string_view text) {
  std::vector<std::string> words;
  const std::string folded = Fold(text);
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    words.push_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

}  // namespace expectmatch::understanding
