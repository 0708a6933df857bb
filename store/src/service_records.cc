// The records the service keeps about its own work: API keys (and the read-only connection
// that looks them up), weight profiles, the ranking log and batch assignment plans. The data
// set's records and the needs are in store.cc.
#include <sqlite3.h>

#include "expectmatch/store/store.h"
#include "statement.h"

namespace expectmatch::store {
namespace {

using internal::Statement;

ProfileRow ReadProfileRow(Statement& s) {
  return ProfileRow{s.Text(0), static_cast<int>(s.Int(1)), s.Text(2), s.Text(3), s.Text(4)};
}

RankingLogRow ReadLogRow(Statement& s) {
  return RankingLogRow{s.Text(0), s.Text(1), s.Text(2), static_cast<int>(s.Int(3)),
                       s.Text(4), s.Text(5), s.Text(6), s.Text(7),
                       s.Text(8)};
}

size_t RowBytes(const RankingLogRow& row) {
  return row.request_id.size() + row.served_at.size() + row.profile.size() + row.need_id.size() +
         row.need.size() + row.candidates.size() + row.served.size() + row.need_hash.size();
}

constexpr const char* kProfileColumns =
    "SELECT name, version, description, weights, created_at FROM profiles ";

constexpr const char* kKeyColumns =
    "SELECT id, hash, role, country, label, created_at, revoked_at, collectivite FROM api_keys ";
const char* KeyByHash() {
  static const std::string sql = std::string(kKeyColumns) + "WHERE hash = ?";
  return sql.c_str();
}
ApiKeyRow ReadKeyRow(Statement& s) {
  return ApiKeyRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3),
                   s.Text(4), s.Text(5), s.Text(6), s.Text(7)};
}
// The key whose hash is given, `s` being KeyByHash(), if any.
std::optional<ApiKeyRow> FindKey(Statement& s, const std::string& hash) {
  s.Bind(1, hash);
  if (!s.Step()) return std::nullopt;
  return ReadKeyRow(s);
}

}  // namespace

void Store::OpenReader(const std::filesystem::path& path) {
  if (path.empty() || path == ":memory:") return;
  sqlite3* reader = nullptr;
  if (sqlite3_open_v2(path.c_str(), &reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX,
                      nullptr) == SQLITE_OK &&
      sqlite3_busy_timeout(reader, 5000) == SQLITE_OK &&
      sqlite3_prepare_v3(reader, KeyByHash(), -1, SQLITE_PREPARE_PERSISTENT, &key_lookup_,
                         nullptr) == SQLITE_OK) {
    reader_ = reader;
    return;
  }
  // Not fatal: lookups then share the main connection.
  sqlite3_finalize(key_lookup_);
  key_lookup_ = nullptr;
  sqlite3_close(reader);
}

void Store::InsertApiKey(const ApiKeyRow& row) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "INSERT INTO api_keys (id, hash, role, country, label, created_at, collectivite) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)");
  s.Bind(1, row.id);
  s.Bind(2, row.hash);
  s.Bind(3, row.role);
  s.Bind(4, row.country);
  s.Bind(5, row.label);
  s.Bind(6, row.created_at);
  s.Bind(7, row.collectivite);
  s.Step();
}

std::optional<ApiKeyRow> Store::FindApiKeyByHash(const std::string& hash) {
  return WithReader([&](sqlite3* db) {
    if (db == reader_) {  // the statement prepared once with the reader
      Statement s(db, key_lookup_);
      return FindKey(s, hash);
    }
    Statement s(db, KeyByHash());
    return FindKey(s, hash);
  });
}

std::vector<ApiKeyRow> Store::ApiKeys() {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kKeyColumns) + "ORDER BY created_at, id").c_str());
  std::vector<ApiKeyRow> out;
  while (s.Step()) out.push_back(ReadKeyRow(s));
  return out;
}

bool Store::RevokeApiKey(const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "UPDATE api_keys SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? "
              "AND revoked_at = ''");
  s.Bind(1, id);
  s.Step();
  const bool revoked = sqlite3_changes(db_) == 1;
  // After the commit: a cache that read the counter before its lookup saw the key valid in a
  // state older than this, and the counter now tells it so.
  if (revoked) ++api_key_revocations_;
  return revoked;
}

bool Store::HasActiveKey(const std::string& role) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT 1 FROM api_keys WHERE role = ? AND revoked_at = '' LIMIT 1");
  s.Bind(1, role);
  return s.Step();
}

int Store::SaveProfile(const std::string& name, const std::string& description,
                       const std::string& weights) {
  std::lock_guard lock(mutex_);
  long long version = 0;
  Transact([&] {
    Statement next(db_, "SELECT COALESCE(MAX(version), 0) + 1 FROM profiles WHERE name = ?");
    next.Bind(1, name);
    next.Step();
    version = next.Int(0);
    Statement insert(db_,
                     "INSERT INTO profiles (name, version, description, weights, created_at) "
                     "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    insert.Bind(1, name);
    insert.Bind(2, version);
    insert.Bind(3, description);
    insert.Bind(4, weights);
    insert.Step();
    return true;
  });
  return static_cast<int>(version);
}

std::optional<ProfileRow> Store::GetProfile(const std::string& name, std::optional<int> version) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              (std::string(kProfileColumns) +
               "WHERE name = ?1 AND (?2 IS NULL OR version = ?2) ORDER BY version DESC LIMIT 1")
                  .c_str());
  s.Bind(1, name);
  if (version) s.Bind(2, static_cast<long long>(*version));
  if (!s.Step()) return std::nullopt;
  return ReadProfileRow(s);
}

std::vector<ProfileRow> Store::LatestProfiles() {
  std::lock_guard lock(mutex_);
  Statement s(
      db_,
      (std::string(kProfileColumns) +
       "AS p WHERE version = (SELECT MAX(version) FROM profiles WHERE name = p.name) ORDER BY name")
          .c_str());
  std::vector<ProfileRow> out;
  while (s.Step()) out.push_back(ReadProfileRow(s));
  return out;
}

std::vector<ProfileRow> Store::ProfileVersions(const std::string& name) {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string(kProfileColumns) + "WHERE name = ? ORDER BY version").c_str());
  s.Bind(1, name);
  std::vector<ProfileRow> out;
  while (s.Step()) out.push_back(ReadProfileRow(s));
  return out;
}

void Store::AppendRankingLog(const std::vector<RankingLogRow>& rows) {
  if (rows.empty()) return;
  std::lock_guard lock(mutex_);
  Transact([&] {
    Statement s(db_,
                "INSERT INTO ranking_log (request_id, served_at, profile, profile_version, "
                "need_id, need, candidates, served, need_hash, bytes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    long long total = 0;
    for (const RankingLogRow& row : rows) {
      s.Bind(1, row.request_id);
      s.Bind(2, row.served_at);
      s.Bind(3, row.profile);
      s.Bind(4, static_cast<long long>(row.profile_version));
      s.Bind(5, row.need_id);
      s.Bind(6, row.need);
      s.Bind(7, row.candidates);
      s.Bind(8, row.served);
      s.Bind(9, row.need_hash);
      s.Bind(10, static_cast<long long>(RowBytes(row)));
      total += static_cast<long long>(RowBytes(row));
      s.Step();
      s.Reset();
    }
    AddRankingLogBytes(total);
    return true;
  });
}

void Store::AddRankingLogBytes(long long delta) {
  Statement s(db_,
              "INSERT INTO meta (key, value) VALUES ('ranking_log_bytes', MAX(0, ?)) "
              "ON CONFLICT (key) DO UPDATE SET value = MAX(0, CAST(value AS INTEGER) + ?)");
  s.Bind(1, delta);
  s.Bind(2, delta);
  s.Step();
}

size_t Store::RankingLogBytes() {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'ranking_log_bytes'");
  return s.Step() ? static_cast<size_t>(s.Int(0)) : 0;
}

RankingLogTrim Store::TrimRankingLog(const std::string& served_before, size_t max_bytes,
                                     size_t chunk) {
  std::lock_guard lock(mutex_);
  RankingLogTrim trim;
  Transact([&] {
    long long last = -1;
    {
      Statement total_query(
          db_, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'ranking_log_bytes'");
      const size_t total = total_query.Step() ? static_cast<size_t>(total_query.Int(0)) : 0;
      Statement oldest(
          db_, "SELECT position, served_at, bytes FROM ranking_log ORDER BY position LIMIT ?");
      oldest.Bind(1, static_cast<long long>(chunk));
      while (oldest.Step()) {
        const bool expired = oldest.Text(1) < served_before;
        const bool over = max_bytes > 0 && total > max_bytes + trim.bytes;
        if (!expired && !over) break;
        last = oldest.Int(0);
        ++trim.rows;
        trim.bytes += static_cast<size_t>(oldest.Int(2));
      }
    }
    if (last < 0) return false;
    Statement remove(db_, "DELETE FROM ranking_log WHERE position <= ?");
    remove.Bind(1, last);
    remove.Step();
    AddRankingLogBytes(-static_cast<long long>(trim.bytes));
    return true;
  });
  return trim;
}

size_t Store::RankingLogSize() {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT COUNT(*) FROM ranking_log");
  s.Step();
  return static_cast<size_t>(s.Int(0));
}

std::vector<RankingLogRow> Store::RecentRankingLog(size_t limit) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT request_id, served_at, profile, profile_version, need_id, need, candidates, "
              "served, need_hash FROM ranking_log "
              "ORDER BY position DESC LIMIT ?");
  s.Bind(1, static_cast<long long>(limit));
  std::vector<RankingLogRow> out;
  while (s.Step()) out.push_back(ReadLogRow(s));
  return out;
}

std::vector<LoggedDecisionRow> Store::LoggedDecisions() {
  std::lock_guard lock(mutex_);
  Statement s(db_, R"sql(
    WITH last_decision AS (
      SELECT d.need, d.collectivite, d.decided_at FROM decisions d
      WHERE d.position = (SELECT MAX(position) FROM decisions WHERE need = d.need))
    SELECT ld.need, ld.decided_at, ld.collectivite, r.request_id, r.served_at, r.profile, r.profile_version,
           r.candidates, r.served, r.need, r.need_hash, n.doc,
           (SELECT m.rating FROM missions m WHERE m.need = ld.need AND m.collectivite = ld.collectivite
             ORDER BY m.position DESC LIMIT 1),
           (SELECT group_concat(p.collectivite, char(10)) FROM proposals p
             WHERE p.need = ld.need AND p.status = 'declined')
    FROM last_decision ld
    JOIN needs n ON n.id = ld.need AND n.status <> 'cancelled' AND n.selected = ld.collectivite
    JOIN ranking_log r ON r.position = (SELECT MAX(r2.position) FROM ranking_log r2
                                         WHERE r2.need_id = ld.need AND r2.served_at <= COALESCE(
                                           (SELECT MIN(p.created_at) FROM proposals p WHERE p.need = ld.need),
                                           ld.decided_at))
    ORDER BY ld.decided_at, ld.need)sql");
  std::vector<LoggedDecisionRow> out;
  while (s.Step()) {
    LoggedDecisionRow row{s.Text(0),
                          s.Text(1),
                          s.Text(2),
                          s.Text(3),
                          s.Text(4),
                          s.Text(5),
                          static_cast<int>(s.Int(6)),
                          s.Text(7),
                          std::nullopt,
                          s.Text(8),
                          s.Text(9),
                          s.Text(10),
                          s.Text(11),
                          {}};
    if (!s.Text(12).empty()) row.rating = static_cast<int>(s.Int(12));
    const std::string declined = s.Text(13);
    for (size_t start = 0; start < declined.size();) {
      size_t end = declined.find('\n', start);
      if (end == std::string::npos) end = declined.size();
      row.declined.push_back(declined.substr(start, end - start));
      start = end + 1;
    }
    out.push_back(std::move(row));
  }
  return out;
}

// ---- batch assignment plans ----------------------------------------------------------------

void Store::InsertAssignment(const AssignmentRow& row) {
  std::lock_guard lock(mutex_);
  Transact([&] {
    Statement s(db_,
                "INSERT INTO assignments (id, created_at, created_by, request, plan, needs) VALUES "
                "(?, ?, ?, ?, ?, ?)");
    s.Bind(1, row.id);
    s.Bind(2, row.created_at);
    s.Bind(3, row.created_by);
    s.Bind(4, row.request);
    s.Bind(5, row.plan);
    s.Bind(6, row.needs);
    s.Step();
    return true;
  });
}

std::optional<AssignmentRow> Store::GetAssignment(const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT id, created_at, created_by, request, plan, needs, accepted_at, accepted_by "
              "FROM assignments WHERE id = ?");
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  return AssignmentRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3),
                       s.Text(4), s.Text(5), s.Text(6), s.Text(7)};
}

AcceptOutcome Store::AcceptAssignment(const std::string& id, const std::vector<NeedUpdate>& updates,
                                      const std::string& accepted_at,
                                      const std::string& accepted_by) {
  std::lock_guard lock(mutex_);
  AcceptOutcome outcome;
  outcome.accepted = Transact([&] {
    Statement mark(db_,
                   "UPDATE assignments SET accepted_at = ?, accepted_by = ? WHERE id = ? AND "
                   "accepted_at = ''");
    mark.Bind(1, accepted_at);
    mark.Bind(2, accepted_by);
    mark.Bind(3, id);
    mark.Step();
    if (sqlite3_changes(db_) != 1) {
      outcome.already_accepted = true;
      return false;
    }
    for (const NeedUpdate& update : updates) {
      if (!WriteNeedUpdate(update)) outcome.changed.push_back(update.row.id);
    }
    if (!outcome.changed.empty()) return false;  // all or nothing
    BumpGeneration();
    return true;
  });
  return outcome;
}

}  // namespace expectmatch::store
