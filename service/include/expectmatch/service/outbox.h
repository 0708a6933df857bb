// The outbox's e-mails: where each goes, the DAECT view of the queue (GET /v1/outbox), and the
// background sender that delivers them over SMTP.
//
// Delivery guarantee: at least once, with a stable Message-ID (<outbox id@expectmatch>). The
// sender reads due messages (one short read), then for each: talks SMTP with no store lock
// held, and commits `sent` (one short transaction) as soon as the server accepted the message.
// A crash after the message's last byte left and before that commit (the receiving server's
// time to accept it, then one commit) sends the message again after the restart, with the same
// Message-ID, so a receiver can drop the duplicate; a message is never lost (it stays pending
// until a commit says otherwise). SMTP has no idempotency key: exactly once is out of reach.
// Thread-safety: ResolveRecipient and Outbox are thread-safe; MailSender owns one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/mail.h"
#include "expectmatch/service/needs.h"
#include "expectmatch/service/status.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

// The address an outbox recipient stands for: "daect" → `daect_email`; "collectivite:<id>" →
// that authority's contact_email; a literal address → itself. Nullopt when there is none (no
// DAECT address configured, an authority without contact_email or unknown, an implausible
// literal).
std::optional<std::string> ResolveRecipient(store::Store& store, const std::string& daect_email,
                                            const std::string& recipient);

// GET /v1/outbox for DAECT: the messages newest first, each with its resolved address.
class Outbox {
 public:
  // `store` must outlive this object.
  Outbox(store::Store& store, std::string daect_email)
      : store_(store), daect_email_(std::move(daect_email)) {}
  // Query parameters: status (pending, sent, failed), limit (1–200, default 100), offset.
  Status List(const QueryParameters& query, datasets::Json* page) const;

 private:
  store::Store& store_;
  std::string daect_email_;
};

struct MailSenderOptions {
  std::string smtp_url;  // smtp://host:port or smtps://host:port
  std::string smtp_user;
  std::string smtp_password;
  std::string from;         // the envelope and From address
  std::string daect_email;  // where "daect" messages go; empty: they wait
  // How often the thread looks for due messages (and always at start, and at once after a
  // full batch).
  std::chrono::milliseconds poll_interval{1000};
  size_t batch = 20;
  // Retries: the n-th failed attempt waits first_retry · 2^(n−1), at most max_retry; after
  // max_attempts failed attempts the message is `failed` (no more attempts).
  std::chrono::seconds first_retry{30};
  std::chrono::seconds max_retry{3600};
  int max_attempts = 10;
  // A message whose recipient has no address stays pending (attempts unchanged, last_error
  // saying so) and is looked at again after this long.
  std::chrono::seconds no_address_retry{3600};
};

// The delay before the next attempt after `attempts` failed ones (attempts ≥ 1).
std::chrono::seconds RetryDelay(const MailSenderOptions& options, int attempts);

// "2026-11-30T14:05:26Z".
std::string FormatRfc3339(std::time_t time);

class MailSender {
 public:
  // `store` must outlive the sender. `clock` gives the current time (tests inject theirs).
  MailSender(store::Store& store, MailSenderOptions options,
             std::function<std::time_t()> clock = nullptr);
  ~MailSender();  // stops the thread
  MailSender(const MailSender&) = delete;
  MailSender& operator=(const MailSender&) = delete;

  // Starts the background thread: a pass at once, then every poll_interval.
  void Start();
  // Stops the thread, abandoning a transfer under way (that message stays pending, its
  // attempts unchanged); idempotent.
  void Stop();
  // Asks for a pass now (e.g. after messages were enqueued).
  void Wake();

  // One pass over the messages due at clock(): sends each and records the outcome, until none
  // is due or the sender is stopped. Returns how many were sent. Called by the thread; tests
  // call it directly (never both at once).
  size_t SendDue();

 private:
  // Sends one message and records the outcome; true when it was sent.
  bool SendOne(const store::OutboxRow& row);
  void Run();

  store::Store& store_;
  MailSenderOptions options_;
  std::function<std::time_t()> clock_;
  std::unique_ptr<SmtpClient> smtp_;  // null until the first message to send
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace expectmatch::service
