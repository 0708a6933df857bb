#include "expectmatch/service/outbox.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "query.h"

namespace expectmatch::service {

using datasets::Json;

namespace {

constexpr std::string_view kCollectivitePrefix = "collectivite:";

// The address of `recipient`, or why there is none (in `reason`).
std::optional<std::string> Resolve(store::Store& store, const std::string& daect_email,
                                   const std::string& recipient, std::string* reason) {
  if (recipient == "daect") {
    if (daect_email.empty()) {
      *reason = "no DAECT address configured (serve --daect-email)";
      return std::nullopt;
    }
    return daect_email;
  }
  if (recipient.rfind(kCollectivitePrefix, 0) == 0) {
    const std::string id = recipient.substr(kCollectivitePrefix.size());
    std::optional<store::Document> doc = store.GetCollectivite(id);
    if (!doc) {
      *reason = "unknown collectivite \"" + id + "\"";
      return std::nullopt;
    }
    Json json = Json::parse(doc->json, nullptr, /*allow_exceptions=*/false);
    auto it = json.is_object() ? json.find("contact_email") : json.end();
    if (it == json.end() || !it->is_string() ||
        !datasets::IsPlausibleEmail(it->get<std::string>())) {
      *reason = "collectivite \"" + id + "\" has no contact_email";
      return std::nullopt;
    }
    return it->get<std::string>();
  }
  if (datasets::IsPlausibleEmail(recipient)) return recipient;
  *reason = "recipient \"" + recipient + "\" is not an e-mail address";
  return std::nullopt;
}

Json OrNull(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

}  // namespace

std::optional<std::string> ResolveRecipient(store::Store& store, const std::string& daect_email,
                                            const std::string& recipient) {
  std::string reason;
  return Resolve(store, daect_email, recipient, &reason);
}

std::string FormatRfc3339(std::time_t time) {
  std::tm utc{};
  gmtime_r(&time, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

Status Outbox::List(const QueryParameters& parameters, Json* page_out) const {
  store::OutboxQuery query;
  std::vector<FieldIssue> errors;
  for (const auto& [name, value] : parameters) {
    if (name == "status") {
      if (value != "pending" && value != "sent" && value != "failed")
        errors.push_back(
            {"", name, "unknown status \"" + value + "\", expected pending, sent or failed"});
      query.status = value;
    } else if (ParsePaging(name, value, &query.limit, &query.offset, &errors)) {
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Status::Malformed("invalid query parameters", errors);
  store::OutboxPage page = store_.ListOutbox(query);
  std::map<std::string, Json> addresses;  // by recipient, read once per page
  Json items = Json::array();
  for (const store::OutboxRow& row : page.items) {
    auto [it, fresh] = addresses.try_emplace(row.recipient);
    if (fresh)
      it->second = OrNull(ResolveRecipient(store_, daect_email_, row.recipient).value_or(""));
    items.push_back(
        {{"id", row.id},
         {"event", row.event},
         {"recipient", row.recipient},
         {"address", it->second},
         {"subject", row.subject},
         {"body", row.body},
         {"created_at", row.created_at},
         {"status", row.status},
         {"attempts", row.attempts},
         {"next_attempt_at", OrNull(row.status == "pending" ? row.next_attempt_at : "")},
         {"sent_at", OrNull(row.sent_at)},
         {"last_error", OrNull(row.last_error)}});
  }
  *page_out = {
      {"items", items}, {"total", page.total}, {"limit", query.limit}, {"offset", query.offset}};
  return Status::Ok();
}

std::chrono::seconds RetryDelay(const MailSenderOptions& options, int attempts) {
  std::chrono::seconds delay = options.first_retry;
  for (int i = 1; i < attempts && delay < options.max_retry; ++i) delay *= 2;
  return std::min(delay, options.max_retry);
}

MailSender::MailSender(store::Store& store, MailSenderOptions options,
                       std::function<std::time_t()> clock)
    : store_(store), options_(std::move(options)), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::time(nullptr); };
}

MailSender::~MailSender() { Stop(); }

void MailSender::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void MailSender::Stop() {
  stopping_ = true;
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MailSender::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void MailSender::Run() {
  while (!stopping_) {
    try {
      SendDue();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "error: mail sender: %s\n", e.what());
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll_interval, [this] { return woken_ || stopping_.load(); });
    woken_ = false;
  }
}

size_t MailSender::SendDue() {
  size_t sent = 0;
  while (!stopping_) {
    const std::vector<store::OutboxRow> due =
        store_.DueMail(FormatRfc3339(clock_()), options_.batch);
    size_t sent_now = 0;
    for (const store::OutboxRow& row : due) {
      if (stopping_) break;
      if (SendOne(row)) ++sent_now;
    }
    sent += sent_now;
    // Another batch only when this one was full and went through: a failing server is not
    // hammered, and a message retried "now" waits for the next pass.
    if (due.size() < options_.batch || sent_now == 0) break;
  }
  return sent;
}

bool MailSender::SendOne(const store::OutboxRow& row) {
  const std::time_t now = clock_();
  std::string reason;
  std::optional<std::string> address =
      Resolve(store_, options_.daect_email, row.recipient, &reason);
  if (!address) {
    // Not an attempt: the message waits for an address (attempts unchanged).
    store_.MarkMailFailed(row.id, row.attempts, "no e-mail address: " + reason,
                          FormatRfc3339(now + options_.no_address_retry.count()), "pending");
    return false;
  }
  if (!smtp_) {
    SmtpOptions smtp{options_.smtp_url, options_.smtp_user, options_.smtp_password};
    smtp.cancel = &stopping_;
    smtp_ = std::make_unique<SmtpClient>(std::move(smtp));
  }
  MailMessage message{options_.from, *address, row.subject, row.body, row.id, now};
  // No store lock is held while the server is spoken to.
  const std::string error = smtp_->Send(options_.from, *address, FormatMessage(message));
  if (!error.empty() && stopping_) return false;  // abandoned by Stop: not an attempt
  if (error.empty()) {
    // The window of a duplicate after a crash: from the server's acceptance to this commit.
    store_.MarkMailSent(row.id, FormatRfc3339(clock_()));
    return true;
  }
  const int attempts = row.attempts + 1;
  const bool give_up = attempts >= options_.max_attempts;
  store_.MarkMailFailed(row.id, attempts, error,
                        FormatRfc3339(now + RetryDelay(options_, attempts).count()),
                        give_up ? "failed" : "pending");
  return false;
}

}  // namespace expectmatch::service
