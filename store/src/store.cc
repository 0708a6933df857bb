// The store: opening and migrating the database, seeding and importing the data set, its
// documents, the needs and their decisions, the authorities. The service's own records (keys,
// profiles, the ranking log, plans) are in service_records.cc.
#include "expectmatch/store/store.h"

#include <sqlite3.h>

#include "schema.h"
#include "statement.h"

namespace expectmatch::store {
namespace {

using internal::kMigrations;
using internal::kSchemaVersion;
using internal::Statement;

// The needs' columns, in ReadNeeds' order.
constexpr const char* kNeedColumns =
    "SELECT id, country, status, submitted_at, doc, period_start, period_end, selected";

// The rows `s` selects (kNeedColumns), with their themes.
std::vector<NeedRow> ReadNeeds(sqlite3* db, Statement& s) {
  std::vector<NeedRow> out;
  while (s.Step()) {
    out.push_back(NeedRow{s.Text(0),
                          s.Text(1),
                          s.Text(2),
                          s.Text(3),
                          s.Text(4),
                          s.Text(5),
                          s.Text(6),
                          {},
                          s.Text(7)});
  }
  Statement themes(db, "SELECT theme FROM need_themes WHERE need = ? ORDER BY rowid");
  for (NeedRow& row : out) {
    themes.Bind(1, row.id);
    while (themes.Step()) row.themes.push_back(themes.Text(0));
    themes.Reset();
  }
  return out;
}

// A side table of (record, value) rows holding a multi-valued column; statements prepared once.
class SideTable {
 public:
  SideTable(sqlite3* db, const std::string& table, const std::string& record_column,
            const std::string& value_column)
      : drop_(db, ("DELETE FROM " + table + " WHERE " + record_column + " = ?").c_str()),
        insert_(db, ("INSERT INTO " + table + " (" + record_column + ", " + value_column +
                     ") VALUES (?, ?)")
                        .c_str()) {}

  // Replaces the values of `record` (kept in the given order).
  void Replace(const std::string& record, const std::vector<std::string>& values) {
    drop_.Bind(1, record);
    drop_.Step();
    drop_.Reset();
    for (const std::string& value : values) {
      insert_.Bind(1, record);
      insert_.Bind(2, value);
      insert_.Step();
      insert_.Reset();
    }
  }

 private:
  Statement drop_;
  Statement insert_;
};

// Writes needs with their themes: inserted or replaced by id (keeping their place), or, made
// compare-and-set, replaced only while their document is still the one expected.
class NeedWriter {
 public:
  NeedWriter(sqlite3* db, bool compare_and_set)
      : db_(db),
        // An empty `selected` is stored as NULL, as the document's absent field.
        write_(db, compare_and_set
                       ? "UPDATE needs SET country = ?2, status = ?3, submitted_at = ?4, doc = ?5, "
                         "period_start = ?6, "
                         "period_end = ?7, selected = NULLIF(?8, '') WHERE id = ?1 AND doc = ?9"
                       : "INSERT INTO needs (id, country, status, submitted_at, doc, period_start, "
                         "period_end, selected) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULLIF(?8, '')) "
                         "ON CONFLICT (id) DO UPDATE SET country = excluded.country, status = "
                         "excluded.status, "
                         "submitted_at = excluded.submitted_at, doc = excluded.doc, "
                         "period_start = excluded.period_start, period_end = excluded.period_end, "
                         "selected = excluded.selected"),
        themes_(db, "need_themes", "need", "theme") {}

  // False when nothing was written (compare-and-set: the document changed, or no such need).
  // REQUIRES: `expected` given exactly when compare-and-set.
  bool Write(const NeedRow& row, const std::string* expected) {
    write_.Bind(1, row.id);
    write_.Bind(2, row.country);
    write_.Bind(3, row.status);
    write_.Bind(4, row.submitted_at);
    write_.Bind(5, row.json);
    write_.Bind(6, row.period_start);
    write_.Bind(7, row.period_end);
    write_.Bind(8, row.selected);
    if (expected) write_.Bind(9, *expected);
    write_.Step();
    write_.Reset();
    if (sqlite3_changes(db_) != 1) return false;
    themes_.Replace(row.id, row.themes);
    return true;
  }

 private:
  sqlite3* db_;
  Statement write_;
  SideTable themes_;
};

}  // namespace

Store::Store(const std::filesystem::path& path) {
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open database " + path.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  Exec("PRAGMA journal_mode=WAL");
  Exec("PRAGMA synchronous=FULL");
  Exec("PRAGMA foreign_keys=ON");
  Migrate();
  OpenReader(path);
}

Store::~Store() {
  sqlite3_finalize(key_lookup_);
  sqlite3_close(reader_);
  sqlite3_close(db_);
}

bool Store::Transact(const std::function<bool()>& body) {
  Exec("BEGIN IMMEDIATE");
  bool commit = false;
  try {
    commit = body();
  } catch (...) {
    Exec("ROLLBACK");
    throw;
  }
  Exec(commit ? "COMMIT" : "ROLLBACK");
  return commit;
}

void Store::Exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw StoreError("sqlite: " + text);
  }
}

void Store::Migrate() {
  std::lock_guard lock(mutex_);
  Statement version(db_, "PRAGMA user_version");
  version.Step();
  int current = static_cast<int>(version.Int(0));
  if (current > kSchemaVersion) {
    throw StoreError("database schema version " + std::to_string(current) +
                     " is newer than this program's (" + std::to_string(kSchemaVersion) + ")");
  }
  for (int v = current; v < kSchemaVersion; ++v) {
    Transact([&] {
      Exec(kMigrations[v]);
      Exec(("PRAGMA user_version=" + std::to_string(v + 1)).c_str());
      return true;
    });
  }
}

int Store::SchemaVersion() {
  std::lock_guard lock(mutex_);
  Statement s(db_, "PRAGMA user_version");
  s.Step();
  return static_cast<int>(s.Int(0));
}

bool Store::IsSeeded() {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT value FROM meta WHERE key = 'seeded_from'");
  return s.Step();
}

std::string Store::SeedSource() {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT value FROM meta WHERE key = 'seeded_from'");
  return s.Step() ? s.Text(0) : std::string();
}

void Store::Seed(const SeedDocuments& documents) {
  std::lock_guard lock(mutex_);
  Transact([&] {
    WriteDocuments(documents);
    Statement meta(db_, "INSERT INTO meta (key, value) VALUES ('seeded_from', ?)");
    meta.Bind(1, documents.source);
    meta.Step();
    BumpGeneration();
    return true;
  });
}

void Store::Import(const SeedDocuments& documents) {
  std::lock_guard lock(mutex_);
  Transact([&] {
    WriteDocuments(documents);
    BumpGeneration();
    return true;
  });
}

void Store::WriteDocuments(const SeedDocuments& documents) {
  // Upserts keep an existing record's position, so that a data set exported and imported back
  // comes out in the same order.
  Statement themes(db_,
                   "INSERT INTO themes (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc "
                   "= excluded.doc");
  for (const Document& row : documents.themes) {
    themes.Bind(1, row.id);
    themes.Bind(2, row.json);
    themes.Step();
    themes.Reset();
  }
  Statement collectivites(db_,
                          "INSERT INTO collectivites (id, doc, region, kind, siren) VALUES (?, ?, "
                          "?, ?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, region = "
                          "excluded.region, kind = excluded.kind, siren = excluded.siren");
  SideTable label_themes(db_, "collectivite_label_themes", "collectivite", "theme");
  SideTable languages(db_, "collectivite_languages", "collectivite", "language");
  for (const CollectiviteRow& row : documents.collectivites) {
    collectivites.Bind(1, row.id);
    collectivites.Bind(2, row.json);
    collectivites.Bind(3, row.region);
    collectivites.Bind(4, row.kind);
    collectivites.Bind(5, row.siren);
    collectivites.Step();
    collectivites.Reset();
    label_themes.Replace(row.id, row.label_themes);
    languages.Replace(row.id, row.languages);
  }
  // An empty `need` is stored as NULL, as the document's null.
  Statement missions(db_,
                     "INSERT INTO missions (id, doc, need, collectivite, rating) VALUES (?, ?, "
                     "NULLIF(?, ''), ?, ?) "
                     "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, need = excluded.need, "
                     "collectivite = excluded.collectivite, rating = excluded.rating");
  for (const MissionRow& row : documents.missions) {
    missions.Bind(1, row.id);
    missions.Bind(2, row.json);
    missions.Bind(3, row.need);
    missions.Bind(4, row.collectivite);
    if (row.rating) missions.Bind(5, static_cast<long long>(*row.rating));  // unbound: NULL
    missions.Step();
    missions.Reset();
  }
  // The links given replace every link of the authorities they name.
  Statement drop(db_, "DELETE FROM cooperations WHERE collectivite = ?");
  for (const CooperationRow& row : documents.cooperations) {
    drop.Bind(1, row.collectivite);
    drop.Step();
    drop.Reset();
  }
  Statement link(db_, "INSERT INTO cooperations (collectivite, doc) VALUES (?, ?)");
  for (const CooperationRow& row : documents.cooperations) {
    link.Bind(1, row.collectivite);
    link.Bind(2, row.json);
    link.Step();
    link.Reset();
  }
  NeedWriter needs(db_, /*compare_and_set=*/false);
  for (const NeedRow& row : documents.needs) needs.Write(row, nullptr);
  WriteLabelHistory(documents.label_history);
}

void Store::BumpGeneration() {
  Exec(
      "INSERT INTO meta (key, value) VALUES ('generation', '1') "
      "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
}

uint64_t Store::Generation() {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation'");
  return s.Step() ? static_cast<uint64_t>(s.Int(0)) : 0;
}

std::vector<Document> Store::ReadDocuments(const char* sql) {
  std::lock_guard lock(mutex_);
  Statement s(db_, sql);
  std::vector<Document> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1)});
  return out;
}

std::vector<Document> Store::Themes() {
  return ReadDocuments("SELECT id, doc FROM themes ORDER BY position");
}
std::vector<Document> Store::Collectivites() {
  return ReadDocuments("SELECT id, doc FROM collectivites ORDER BY position");
}
std::vector<Document> Store::Cooperations() {
  return ReadDocuments("SELECT '', doc FROM cooperations ORDER BY position");
}
std::vector<Document> Store::Missions() {
  return ReadDocuments("SELECT id, doc FROM missions ORDER BY position");
}

std::vector<Document> Store::Needs() {
  return ReadDocuments("SELECT id, doc FROM needs ORDER BY position");
}

std::optional<NeedRow> Store::GetNeed(const std::string& id) {
  return WithReader([&](sqlite3* db) -> std::optional<NeedRow> {
    Statement s(db, (std::string(kNeedColumns) + " FROM needs WHERE id = ?").c_str());
    s.Bind(1, id);
    std::vector<NeedRow> rows = ReadNeeds(db, s);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  });
}

NeedPage Store::ListNeeds(const NeedQuery& query) {
  std::lock_guard lock(mutex_);
  // NULL parameters disable their filter, so one statement serves every combination.
  const char* where =
      " FROM needs WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR country = ?2)"
      " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM need_themes t WHERE t.need = needs.id AND t.theme "
      "= ?3))"
      " AND (?4 IS NULL OR period_end >= ?4)"
      " AND (?5 IS NULL OR period_start <= ?5)"
      " AND (?8 IS NULL OR selected = ?8)";
  auto bind = [&](Statement& s) {
    if (query.status) s.Bind(1, *query.status);
    if (query.country) s.Bind(2, *query.country);
    if (query.theme) s.Bind(3, *query.theme);
    if (query.period_from) s.Bind(4, *query.period_from);
    if (query.period_to) s.Bind(5, *query.period_to);
    if (query.selected) s.Bind(8, *query.selected);
  };
  NeedPage page;
  {
    Statement count(db_, (std::string("SELECT COUNT(*)") + where).c_str());
    bind(count);
    count.Step();
    page.total = static_cast<size_t>(count.Int(0));
  }
  Statement s(db_, (std::string(kNeedColumns) + where +
                    " ORDER BY submitted_at DESC, id LIMIT ?6 OFFSET ?7")
                       .c_str());
  bind(s);
  s.Bind(6, static_cast<long long>(query.limit));
  s.Bind(7, static_cast<long long>(query.offset));
  page.needs = ReadNeeds(db_, s);
  return page;
}

bool Store::InsertNeed(const NeedRow& row) {
  std::lock_guard lock(mutex_);
  return Transact([&] {
    Statement exists(db_, "SELECT 1 FROM needs WHERE id = ?");
    exists.Bind(1, row.id);
    if (exists.Step()) return false;
    NeedWriter(db_, /*compare_and_set=*/false).Write(row, nullptr);
    BumpGeneration();
    return true;
  });
}

bool Store::UpdateNeed(const NeedRow& row, const std::string& expected,
                       const std::optional<DecisionRow>& decision) {
  std::lock_guard lock(mutex_);
  return Transact([&] {
    if (!ReplaceNeedIfUnchanged(row, expected, decision ? &*decision : nullptr)) return false;
    BumpGeneration();
    return true;
  });
}

bool Store::ReplaceNeedIfUnchanged(const NeedRow& row, const std::string& expected,
                                   const DecisionRow* decision) {
  if (!NeedWriter(db_, /*compare_and_set=*/true).Write(row, &expected)) return false;
  if (decision) {
    Statement insert(db_,
                     "INSERT INTO decisions (need, collectivite, decided_at, decided_by, note) "
                     "VALUES (?, ?, ?, ?, ?)");
    insert.Bind(1, decision->need);
    insert.Bind(2, decision->collectivite);
    insert.Bind(3, decision->decided_at);
    insert.Bind(4, decision->decided_by);
    insert.Bind(5, decision->note);
    insert.Step();
  }
  return true;
}

std::vector<DecisionRow> Store::Decisions(const std::string& need) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT need, collectivite, decided_at, decided_by, note FROM decisions WHERE need = "
              "? ORDER BY position");
  s.Bind(1, need);
  std::vector<DecisionRow> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4)});
  return out;
}

std::vector<Document> Store::MissionsOfNeed(const std::string& need) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT id, doc FROM missions WHERE need = ? ORDER BY position");
  s.Bind(1, need);
  std::vector<Document> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1)});
  return out;
}

std::optional<Document> Store::GetCollectivite(const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT id, doc FROM collectivites WHERE id = ?");
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  return Document{s.Text(0), s.Text(1)};
}

DocumentPage Store::ListCollectivites(const CollectiviteQuery& query) {
  std::lock_guard lock(mutex_);
  const char* where =
      " FROM collectivites c WHERE (?1 IS NULL OR region = ?1) AND (?2 IS NULL OR kind = ?2)"
      " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM collectivite_label_themes l WHERE l.collectivite "
      "= c.id AND l.theme = ?3))"
      " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM collectivite_languages l WHERE l.collectivite = "
      "c.id AND l.language = ?4))";
  auto bind = [&](Statement& s) {
    if (query.region) s.Bind(1, *query.region);
    if (query.kind) s.Bind(2, *query.kind);
    if (query.theme) s.Bind(3, *query.theme);
    if (query.language) s.Bind(4, *query.language);
  };
  DocumentPage page;
  {
    Statement count(db_, (std::string("SELECT COUNT(*)") + where).c_str());
    bind(count);
    count.Step();
    page.total = static_cast<size_t>(count.Int(0));
  }
  Statement s(
      db_,
      (std::string("SELECT id, doc") + where + " ORDER BY position LIMIT ?5 OFFSET ?6").c_str());
  bind(s);
  s.Bind(5, static_cast<long long>(query.limit));
  s.Bind(6, static_cast<long long>(query.offset));
  while (s.Step()) page.items.push_back({s.Text(0), s.Text(1)});
  return page;
}

}  // namespace expectmatch::store
