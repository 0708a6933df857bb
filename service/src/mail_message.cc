// The RFC 5322 text of an outbox message (see mail.h).
#include <cstdio>
#include <string_view>
#include <vector>

#include "expectmatch/service/mail.h"

namespace expectmatch::service {
namespace {

constexpr const char* kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view bytes) {
  std::string out;
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += rest == 2 ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// The length of the UTF-8 sequence starting with `lead` (1 for a stray byte).
size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xF0 && lead < 0xF8) return 4;
  if (lead >= 0xE0) return lead < 0xF0 ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Message-ID's local part: a dot-atom (RFC 5322 atext), anything else becomes '-'.
std::string DotAtom(const std::string& id) {
  std::string out;
  for (char ch : id) {
    const bool atext = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') ||
                       std::string_view("!#$%&'*+/=?^_`{|}~-.").find(ch) != std::string_view::npos;
    out += atext ? ch : '-';
  }
  return out.empty() ? std::string("-") : out;
}

}  // namespace

std::string Rfc5322Date(std::time_t time) {
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm utc{};
  gmtime_r(&time, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[utc.tm_wday],
                utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                utc.tm_sec);
  return buffer;
}

std::string EncodeSubject(const std::string& raw) {
  std::string subject = raw;
  for (char& ch : subject) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) ch = ' ';
  }
  bool plain = subject.size() <= 66 && subject.find("=?") == std::string::npos;
  for (char ch : subject) plain = plain && static_cast<unsigned char>(ch) < 0x80;
  if (plain) return subject;
  // Encoded words of at most 45 bytes (60 base64 characters, 72 with the delimiters: under
  // RFC 2047's 75), never splitting a UTF-8 character.
  std::string out;
  size_t i = 0;
  while (i < subject.size()) {
    size_t end = i;
    while (end < subject.size()) {
      size_t next = end + Utf8Length(static_cast<unsigned char>(subject[end]));
      if (next > subject.size()) next = subject.size();
      if (next - i > 45) break;
      end = next;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(std::string_view(subject).substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string QuotedPrintable(const std::string& text) {
  static const char* const kHex = "0123456789ABCDEF";
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < text.size();) {
    size_t newline = text.find('\n', start);
    if (newline == std::string::npos) newline = text.size();
    lines.emplace_back(text.data() + start, newline - start);
    start = newline + 1;
  }
  std::string out;
  for (std::string_view line : lines) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t column = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      const unsigned char ch = static_cast<unsigned char>(line[i]);
      const bool last_piece = i + 1 == line.size();
      const bool blank = ch == ' ' || ch == '\t';
      std::string piece;
      if ((ch >= 33 && ch <= 126 && ch != '=') || (blank && !last_piece)) {
        piece = static_cast<char>(ch);
      } else {
        piece = {'=', kHex[ch >> 4], kHex[ch & 15]};
      }
      // A soft break ("=" CRLF) keeps every line within 76 characters, the '=' included.
      if (column + piece.size() > (last_piece ? 76u : 75u)) {
        out += "=\r\n";
        column = 0;
      }
      out += piece;
      column += piece.size();
    }
    out += "\r\n";
  }
  return out;
}

std::string FormatMessage(const MailMessage& message) {
  std::string out;
  out += "From: " + message.from + "\r\n";
  out += "To: " + message.to + "\r\n";
  out += "Subject: " + EncodeSubject(message.subject) + "\r\n";
  out += "Date: " + Rfc5322Date(message.date) + "\r\n";
  out += "Message-ID: <" + DotAtom(message.message_id) + "@expectmatch>\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n";
  out += "\r\n";
  out += QuotedPrintable(message.body);
  return out;
}

}  // namespace expectmatch::service
