// Label applications, their documents and the label history (append-only).
#include <sqlite3.h>

#include "expectmatch/store/store.h"
#include "statement.h"

namespace expectmatch::store {

using internal::Statement;

namespace {

constexpr const char* kApplicationColumns =
    "SELECT id, collectivite, status, doc, created_at, created_by, updated_at "
    "FROM label_applications ";

LabelApplicationRow ReadApplication(Statement& s) {
  return LabelApplicationRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3),
                             s.Text(4), s.Text(5), s.Text(6)};
}

constexpr const char* kDocumentColumns =
    "SELECT application, sha256, content_type, bytes, filename, uploaded_at, uploaded_by "
    "FROM application_documents ";

ApplicationDocumentRow ReadDocument(Statement& s) {
  return ApplicationDocumentRow{s.Text(0), s.Text(1), s.Text(2), s.Int(3),
                                s.Text(4), s.Text(5), s.Text(6)};
}

}  // namespace

size_t Store::WriteLabelHistory(const std::vector<LabelHistoryRow>& rows) {
  if (rows.empty()) return 0;
  size_t written = 0;
  Statement s(db_,
              "INSERT OR IGNORE INTO label_history (collectivite, theme, event, since, until, at, "
              "by, reason, application) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const LabelHistoryRow& row : rows) {
    const std::string* values[] = {&row.collectivite, &row.theme,  &row.event,
                                   &row.since,        &row.until,  &row.at,
                                   &row.by,           &row.reason, &row.application};
    for (int i = 0; i < 9; ++i) s.Bind(i + 1, *values[i]);
    s.Step();
    written += static_cast<size_t>(sqlite3_changes(db_));
    s.Reset();
  }
  return written;
}

bool Store::WriteLabelApplication(const LabelApplicationWrite& write) {
  std::lock_guard lock(mutex_);
  return Transact([&] {
    const LabelApplicationRow& r = write.row;
    if (write.expected_status.empty()) {
      Statement s(db_,
                  "INSERT OR IGNORE INTO label_applications (id, collectivite, status, doc, "
                  "created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
      const std::string* values[] = {&r.id,         &r.collectivite, &r.status,    &r.json,
                                     &r.created_at, &r.created_by,   &r.updated_at};
      for (int i = 0; i < 7; ++i) s.Bind(i + 1, *values[i]);
      s.Step();
    } else {
      Statement s(db_,
                  "UPDATE label_applications SET status = ?, doc = ?, updated_at = ? "
                  "WHERE id = ? AND status = ?");
      s.Bind(1, r.status);
      s.Bind(2, r.json);
      s.Bind(3, r.updated_at);
      s.Bind(4, r.id);
      s.Bind(5, write.expected_status);
      s.Step();
    }
    if (sqlite3_changes(db_) != 1) return false;
    if (!write.documents.collectivites.empty() || !write.documents.label_history.empty()) {
      WriteDocuments(write.documents);
      if (!write.documents.collectivites.empty()) BumpGeneration();
    }
    WriteMail(write.mail);
    return true;
  });
}

std::optional<LabelApplicationRow> Store::GetLabelApplication(const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kApplicationColumns) + "WHERE id = ?").c_str());
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  return ReadApplication(s);
}

LabelApplicationPage Store::ListLabelApplications(const LabelApplicationQuery& query) {
  std::lock_guard lock(mutex_);
  std::string where;
  std::vector<std::string> values;
  for (const auto& [column, value] :
       {std::pair{"status", &query.status}, std::pair{"collectivite", &query.collectivite}}) {
    if (!*value) continue;
    where += where.empty() ? "WHERE " : " AND ";
    where += column;
    where += " = ?";
    values.push_back(**value);
  }
  LabelApplicationPage page;
  {
    Statement count(db_, ("SELECT COUNT(*) FROM label_applications " + where).c_str());
    for (size_t i = 0; i < values.size(); ++i) count.Bind(static_cast<int>(i + 1), values[i]);
    count.Step();
    page.total = static_cast<size_t>(count.Int(0));
  }
  Statement s(db_, (kApplicationColumns + where + " ORDER BY seq DESC LIMIT ? OFFSET ?").c_str());
  for (size_t i = 0; i < values.size(); ++i) s.Bind(static_cast<int>(i + 1), values[i]);
  s.Bind(static_cast<int>(values.size() + 1), static_cast<long long>(query.limit));
  s.Bind(static_cast<int>(values.size() + 2), static_cast<long long>(query.offset));
  while (s.Step()) page.items.push_back(ReadApplication(s));
  return page;
}

bool Store::AddApplicationDocument(const ApplicationDocumentRow& row, size_t max_documents) {
  std::lock_guard lock(mutex_);
  return Transact([&] {
    {
      Statement same(db_,
                     "SELECT 1 FROM application_documents WHERE application = ? AND sha256 = ?");
      same.Bind(1, row.application);
      same.Bind(2, row.sha256);
      if (same.Step()) return true;
    }
    Statement count(db_, "SELECT COUNT(*) FROM application_documents WHERE application = ?");
    count.Bind(1, row.application);
    count.Step();
    if (static_cast<size_t>(count.Int(0)) >= max_documents) return false;
    Statement s(db_,
                "INSERT INTO application_documents (application, sha256, content_type, bytes, "
                "filename, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.Bind(1, row.application);
    s.Bind(2, row.sha256);
    s.Bind(3, row.content_type);
    s.Bind(4, row.bytes);
    s.Bind(5, row.filename);
    s.Bind(6, row.uploaded_at);
    s.Bind(7, row.uploaded_by);
    s.Step();
    return true;
  });
}

std::vector<ApplicationDocumentRow> Store::ApplicationDocuments(const std::string& application) {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kDocumentColumns) + "WHERE application = ? ORDER BY seq").c_str());
  s.Bind(1, application);
  std::vector<ApplicationDocumentRow> out;
  while (s.Step()) out.push_back(ReadDocument(s));
  return out;
}

std::vector<LabelHistoryRow> Store::LabelHistory(const std::string& collectivite) {
  std::lock_guard lock(mutex_);
  Statement s(db_, collectivite.empty()
                       ? "SELECT seq, collectivite, theme, event, since, until, at, by, reason, "
                         "application FROM label_history ORDER BY seq"
                       : "SELECT seq, collectivite, theme, event, since, until, at, by, reason, "
                         "application FROM label_history WHERE collectivite = ? ORDER BY seq");
  if (!collectivite.empty()) s.Bind(1, collectivite);
  std::vector<LabelHistoryRow> out;
  while (s.Step()) {
    out.push_back(LabelHistoryRow{s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5),
                                  s.Text(6), s.Text(7), s.Text(8), s.Text(9)});
  }
  return out;
}

size_t Store::AppendLabelHistory(const std::vector<LabelHistoryRow>& rows,
                                 const std::vector<OutboxRow>& mail, size_t* mail_written) {
  std::lock_guard lock(mutex_);
  size_t written = 0, messages = 0;
  Transact([&] {
    written = WriteLabelHistory(rows);
    messages = WriteMail(mail);
    return true;
  });
  if (mail_written) *mail_written = messages;
  return written;
}

}  // namespace expectmatch::store
