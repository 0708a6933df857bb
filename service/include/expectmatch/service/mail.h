// E-mail messages as the outbox sends them: the RFC 5322 text (UTF-8 subject in RFC 2047
// encoded words, body in quoted-printable, CRLF line ends) and its delivery over SMTP through
// libcurl (the one place that includes curl.h: service/src/smtp.cc). No HTTP here: libcurl is
// only the SMTP client.
#pragma once

#include <atomic>
#include <ctime>
#include <memory>
#include <string>

namespace expectmatch::service {

struct MailMessage {
  std::string from;        // a bare address, "expe-ct@example.org"
  std::string to;          // a bare address
  std::string subject;     // UTF-8
  std::string body;        // UTF-8, lines ended by "\n" (or "\r\n")
  std::string message_id;  // the local part of Message-ID: <message_id@expectmatch>
  std::time_t date = 0;    // the Date header (UTC)
};

// The message as sent: headers, a blank line and the encoded body, every line ended by CRLF.
// The DATA phase's dot-stuffing is left to the SMTP client. REQUIRES: `from` and `to` are
// plausible addresses (datasets::IsPlausibleEmail).
std::string FormatMessage(const MailMessage& message);

// Pieces of FormatMessage, exposed for tests.
// "Mon, 30 Nov 2026 14:05:26 +0000" (RFC 5322 section 3.3, English names whatever the locale).
std::string Rfc5322Date(std::time_t time);
// The Subject header's value: as is when it is short printable ASCII, else RFC 2047 "B" encoded
// words of whole UTF-8 characters, folded with CRLF SP. Control characters become spaces.
std::string EncodeSubject(const std::string& subject);
// Quoted-printable (RFC 2045 section 6.7) with CRLF line ends and lines of at most 76 characters.
std::string QuotedPrintable(const std::string& text);

struct SmtpOptions {
  std::string url;       // smtp://host:port or smtps://host:port
  std::string user;      // empty: no authentication
  std::string password;  // with `user`; over smtp:// STARTTLS is then required
  long connect_timeout_seconds = 10;
  long timeout_seconds = 60;
  // When set and true, a transfer under way is abandoned (so that stopping the service does
  // not wait for a slow server); the message then counts as not sent.
  const std::atomic<bool>* cancel = nullptr;
};

// One SMTP connection (kept open between messages when the server allows). Not thread-safe:
// one sender thread owns it.
class SmtpClient {
 public:
  explicit SmtpClient(SmtpOptions options);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // Sends `text` (FormatMessage's output) from `from` to `to`. Returns an empty string once the
  // server accepted the message (its reply to the end of DATA), else what went wrong.
  std::string Send(const std::string& from, const std::string& to, const std::string& text);

 private:
  SmtpOptions options_;
  void* curl_ = nullptr;  // CURL*
};

}  // namespace expectmatch::service
