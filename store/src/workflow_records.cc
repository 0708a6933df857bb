// The needs workflow beyond the need's own row: proposals and their answers, and the outbox of
// the e-mails those events cause, written in the event's transaction.
#include <sqlite3.h>

#include "expectmatch/store/store.h"
#include "statement.h"

namespace expectmatch::store {

using internal::Statement;

namespace {

constexpr const char* kProposalColumns =
    "SELECT id, need, collectivite, message, respond_by, status, created_at, created_by, "
    "assignment, answered_at, answered_by, reason, why FROM proposals ";

ProposalRow ReadProposal(Statement& s) {
  return ProposalRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3),  s.Text(4),  s.Text(5), s.Text(6),
                     s.Text(7), s.Text(8), s.Text(9), s.Text(10), s.Text(11), s.Text(12)};
}

constexpr const char* kOutboxColumns =
    "SELECT id, dedupe, event, recipient, subject, body, created_at, status, attempts, "
    "next_attempt_at, sent_at, last_error FROM outbox ";

OutboxRow ReadOutbox(Statement& s) {
  OutboxRow row;
  row.id = s.Text(0);
  row.dedupe = s.Text(1);
  row.event = s.Text(2);
  row.recipient = s.Text(3);
  row.subject = s.Text(4);
  row.body = s.Text(5);
  row.created_at = s.Text(6);
  row.status = s.Text(7);
  row.attempts = static_cast<int>(s.Int(8));
  row.next_attempt_at = s.Text(9);
  row.sent_at = s.Text(10);
  row.last_error = s.Text(11);
  return row;
}

// "WHERE a = ? AND b = ?" over the filters given, with their values in order.
struct Where {
  std::string sql;
  std::vector<std::string> values;
  void Add(const char* column, const std::optional<std::string>& value) {
    if (!value) return;
    sql += sql.empty() ? "WHERE " : " AND ";
    sql += column;
    sql += " = ?";
    values.push_back(*value);
  }
  void BindTo(Statement& s) const {
    for (size_t i = 0; i < values.size(); ++i) s.Bind(static_cast<int>(i + 1), values[i]);
  }
};

}  // namespace

bool Store::WriteNeedUpdate(const NeedUpdate& update) {
  if (!update.row.id.empty() &&
      !ReplaceNeedIfUnchanged(update.row, update.expected,
                              update.decision ? &*update.decision : nullptr)) {
    return false;
  }
  for (const ProposalWrite& write : update.proposals) {
    const ProposalRow& p = write.row;
    if (write.expected_status.empty()) {
      Statement s(db_,
                  "INSERT OR IGNORE INTO proposals (id, need, collectivite, message, respond_by, "
                  "status, created_at, created_by, assignment, answered_at, answered_by, reason, "
                  "why) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      const std::string* values[] = {&p.id,         &p.need,        &p.collectivite, &p.message,
                                     &p.respond_by, &p.status,      &p.created_at,   &p.created_by,
                                     &p.assignment, &p.answered_at, &p.answered_by,  &p.reason,
                                     &p.why};
      for (int i = 0; i < 13; ++i) s.Bind(i + 1, *values[i]);
      s.Step();
    } else {
      Statement s(db_,
                  "UPDATE proposals SET status = ?, answered_at = ?, answered_by = ?, reason = ? "
                  "WHERE id = ? AND status = ?");
      s.Bind(1, p.status);
      s.Bind(2, p.answered_at);
      s.Bind(3, p.answered_by);
      s.Bind(4, p.reason);
      s.Bind(5, p.id);
      s.Bind(6, write.expected_status);
      s.Step();
    }
    if (sqlite3_changes(db_) != 1) return false;
  }
  WriteMail(update.mail);
  return true;
}

size_t Store::WriteMail(const std::vector<OutboxRow>& mail) {
  size_t written = 0;
  for (const OutboxRow& m : mail) {
    Statement s(db_,
                "INSERT OR IGNORE INTO outbox (id, dedupe, event, recipient, subject, body, "
                "created_at, status, attempts, next_attempt_at, sent_at, last_error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.Bind(1, m.id);
    s.Bind(2, m.dedupe);
    s.Bind(3, m.event);
    s.Bind(4, m.recipient);
    s.Bind(5, m.subject);
    s.Bind(6, m.body);
    s.Bind(7, m.created_at);
    s.Bind(8, m.status);
    s.Bind(9, static_cast<long long>(m.attempts));
    s.Bind(10, m.next_attempt_at.empty() ? m.created_at : m.next_attempt_at);
    s.Bind(11, m.sent_at);
    s.Bind(12, m.last_error);
    s.Step();
    written += static_cast<size_t>(sqlite3_changes(db_));
  }
  return written;
}

bool Store::ApplyNeedUpdate(const NeedUpdate& update) {
  std::lock_guard lock(mutex_);
  return Transact([&] {
    if (!WriteNeedUpdate(update)) return false;
    if (!update.row.id.empty()) BumpGeneration();
    return true;
  });
}

std::optional<ProposalRow> Store::GetProposal(const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kProposalColumns) + "WHERE id = ?").c_str());
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  return ReadProposal(s);
}

ProposalPage Store::ListProposals(const ProposalQuery& query) {
  std::lock_guard lock(mutex_);
  Where where;
  where.Add("need", query.need);
  where.Add("collectivite", query.collectivite);
  where.Add("status", query.status);
  ProposalPage page;
  {
    Statement count(db_, ("SELECT COUNT(*) FROM proposals " + where.sql).c_str());
    where.BindTo(count);
    count.Step();
    page.total = static_cast<size_t>(count.Int(0));
  }
  Statement s(db_, (kProposalColumns + where.sql + " ORDER BY seq DESC LIMIT ? OFFSET ?").c_str());
  where.BindTo(s);
  s.Bind(static_cast<int>(where.values.size() + 1), static_cast<long long>(query.limit));
  s.Bind(static_cast<int>(where.values.size() + 2), static_cast<long long>(query.offset));
  while (s.Step()) page.items.push_back(ReadProposal(s));
  return page;
}

std::vector<ProposalRow> Store::OverdueProposals(const std::string& today) {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kProposalColumns) +
                    "WHERE status = 'waiting' AND respond_by < ? ORDER BY respond_by, seq")
                       .c_str());
  s.Bind(1, today);
  std::vector<ProposalRow> out;
  while (s.Step()) out.push_back(ReadProposal(s));
  return out;
}

std::vector<std::string> Store::DeclinedBy(const std::string& need) {
  return WithReader([&](sqlite3* db) {
    Statement s(db,
                "SELECT collectivite FROM proposals WHERE need = ? AND status = 'declined' "
                "GROUP BY collectivite ORDER BY MIN(seq)");
    s.Bind(1, need);
    std::vector<std::string> out;
    while (s.Step()) out.push_back(s.Text(0));
    return out;
  });
}

std::vector<std::pair<std::string, std::string>> Store::Declines() {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT need, collectivite FROM proposals WHERE status = 'declined' ORDER BY seq");
  std::vector<std::pair<std::string, std::string>> out;
  while (s.Step()) out.emplace_back(s.Text(0), s.Text(1));
  return out;
}

size_t Store::EnqueueMail(const std::vector<OutboxRow>& mail) {
  std::lock_guard lock(mutex_);
  size_t written = 0;
  Transact([&] {
    written = WriteMail(mail);
    return true;
  });
  return written;
}

OutboxPage Store::ListOutbox(const OutboxQuery& query) {
  std::lock_guard lock(mutex_);
  Where where;
  where.Add("status", query.status);
  OutboxPage page;
  {
    Statement count(db_, ("SELECT COUNT(*) FROM outbox " + where.sql).c_str());
    where.BindTo(count);
    count.Step();
    page.total = static_cast<size_t>(count.Int(0));
  }
  Statement s(db_, (kOutboxColumns + where.sql + " ORDER BY seq DESC LIMIT ? OFFSET ?").c_str());
  where.BindTo(s);
  s.Bind(static_cast<int>(where.values.size() + 1), static_cast<long long>(query.limit));
  s.Bind(static_cast<int>(where.values.size() + 2), static_cast<long long>(query.offset));
  while (s.Step()) page.items.push_back(ReadOutbox(s));
  return page;
}

std::vector<OutboxRow> Store::DueMail(const std::string& now, size_t limit) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              (std::string(kOutboxColumns) + "WHERE status = 'pending' AND next_attempt_at <= ? "
                                             "ORDER BY next_attempt_at, seq LIMIT ?")
                  .c_str());
  s.Bind(1, now);
  s.Bind(2, static_cast<long long>(limit));
  std::vector<OutboxRow> out;
  while (s.Step()) out.push_back(ReadOutbox(s));
  return out;
}

std::optional<OutboxRow> Store::GetMail(const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kOutboxColumns) + "WHERE id = ?").c_str());
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  return ReadOutbox(s);
}

bool Store::MarkMailSent(const std::string& id, const std::string& sent_at) {
  std::lock_guard lock(mutex_);
  return Transact([&] {
    Statement s(db_,
                "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '' "
                "WHERE id = ? AND status = 'pending'");
    s.Bind(1, sent_at);
    s.Bind(2, id);
    s.Step();
    return sqlite3_changes(db_) == 1;
  });
}

bool Store::MarkMailFailed(const std::string& id, int attempts, const std::string& last_error,
                           const std::string& next_attempt_at, const std::string& status) {
  std::lock_guard lock(mutex_);
  return Transact([&] {
    Statement s(db_,
                "UPDATE outbox SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ? "
                "WHERE id = ? AND status = 'pending'");
    s.Bind(1, status);
    s.Bind(2, static_cast<long long>(attempts));
    s.Bind(3, last_error);
    s.Bind(4, next_attempt_at);
    s.Bind(5, id);
    s.Step();
    return sqlite3_changes(db_) == 1;
  });
}

}  // namespace expectmatch::store

namespace expectmatch::store {

namespace {

constexpr const char* kReportDocumentColumns =
    "SELECT need, sha256, content_type, bytes, uploaded_at, uploaded_by, text, extraction "
    "FROM report_documents ";

ReportDocumentRow ReadReportDocument(Statement& s) {
  ReportDocumentRow row;
  row.need = s.Text(0);
  row.sha256 = s.Text(1);
  row.content_type = s.Text(2);
  row.bytes = s.Int(3);
  row.uploaded_at = s.Text(4);
  row.uploaded_by = s.Text(5);
  row.text = s.Text(6);
  row.extraction = s.Text(7);
  return row;
}

constexpr const char* kReportColumns =
    "SELECT need, collectivite, doc, updated_at, updated_by FROM reports ";

ReportRow ReadReport(Statement& s) {
  return ReportRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4)};
}

}  // namespace

bool Store::PutReportDocument(const ReportDocumentRow& row, const std::string& expected_sha256,
                              const std::vector<OutboxRow>& mail) {
  std::lock_guard lock(mutex_);
  return Transact([&] {
    {
      Statement current(db_, "SELECT sha256 FROM report_documents WHERE need = ?");
      current.Bind(1, row.need);
      const std::string stored = current.Step() ? current.Text(0) : std::string();
      if (stored != expected_sha256) return false;
    }
    Statement s(db_,
                "INSERT OR REPLACE INTO report_documents (need, sha256, content_type, bytes, "
                "uploaded_at, uploaded_by, text, extraction) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.Bind(1, row.need);
    s.Bind(2, row.sha256);
    s.Bind(3, row.content_type);
    s.Bind(4, row.bytes);
    s.Bind(5, row.uploaded_at);
    s.Bind(6, row.uploaded_by);
    s.Bind(7, row.text);
    s.Bind(8, row.extraction);
    s.Step();
    WriteMail(mail);
    return true;
  });
}

std::optional<ReportDocumentRow> Store::GetReportDocument(const std::string& need) {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kReportDocumentColumns) + "WHERE need = ?").c_str());
  s.Bind(1, need);
  if (!s.Step()) return std::nullopt;
  return ReadReportDocument(s);
}

std::vector<ReportDocumentRow> Store::ReportDocuments() {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kReportDocumentColumns) + "ORDER BY need").c_str());
  std::vector<ReportDocumentRow> out;
  while (s.Step()) out.push_back(ReadReportDocument(s));
  return out;
}

void Store::PutReport(const ReportRow& row, const std::vector<OutboxRow>& mail) {
  std::lock_guard lock(mutex_);
  Transact([&] {
    Statement s(db_,
                "INSERT OR REPLACE INTO reports (need, collectivite, doc, updated_at, updated_by) "
                "VALUES (?, ?, ?, ?, ?)");
    s.Bind(1, row.need);
    s.Bind(2, row.collectivite);
    s.Bind(3, row.json);
    s.Bind(4, row.updated_at);
    s.Bind(5, row.updated_by);
    s.Step();
    WriteMail(mail);
    return true;
  });
}

std::optional<ReportRow> Store::GetReport(const std::string& need) {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kReportColumns) + "WHERE need = ?").c_str());
  s.Bind(1, need);
  if (!s.Step()) return std::nullopt;
  return ReadReport(s);
}

std::vector<ReportRow> Store::Reports() {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kReportColumns) + "ORDER BY need").c_str());
  std::vector<ReportRow> out;
  while (s.Step()) out.push_back(ReadReport(s));
  return out;
}

}  // namespace expectmatch::store
