// The store's SQLite schema, as the migrations that build it (private to store/).
#pragma once

namespace expectmatch::store::internal {

// Forward-only migrations; migration i brings the schema from version i to i + 1.
inline constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE themes (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
    CREATE TABLE collectivites (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
    CREATE TABLE cooperations (position INTEGER PRIMARY KEY, doc TEXT NOT NULL);
    CREATE TABLE missions (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
    CREATE TABLE needs (
      position INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      country TEXT NOT NULL,
      status TEXT NOT NULL,
      submitted_at TEXT NOT NULL DEFAULT '',
      doc TEXT NOT NULL);
    CREATE INDEX needs_by_status ON needs (status, submitted_at);
    CREATE INDEX needs_by_country ON needs (country, submitted_at);
    )sql",
    R"sql(
    CREATE TABLE profiles (
      name TEXT NOT NULL,
      version INTEGER NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      weights TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (name, version));
    CREATE TABLE ranking_log (
      position INTEGER PRIMARY KEY,
      request_id TEXT NOT NULL UNIQUE,
      served_at TEXT NOT NULL,
      profile TEXT NOT NULL,
      profile_version INTEGER NOT NULL,
      need_id TEXT NOT NULL,
      need TEXT NOT NULL,
      candidates TEXT NOT NULL);
    CREATE INDEX ranking_log_by_need ON ranking_log (need_id, served_at);
    )sql",
    R"sql(
    ALTER TABLE cooperations ADD COLUMN collectivite TEXT NOT NULL DEFAULT '';
    UPDATE cooperations SET collectivite = json_extract(doc, '$.collectivite');
    CREATE INDEX cooperations_by_collectivite ON cooperations (collectivite);
    INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', '0');
    )sql",
    R"sql(
    CREATE TABLE decisions (
      position INTEGER PRIMARY KEY,
      need TEXT NOT NULL,
      collectivite TEXT NOT NULL,
      decided_at TEXT NOT NULL,
      decided_by TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT '');
    CREATE INDEX decisions_by_need ON decisions (need);
    CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      hash TEXT NOT NULL UNIQUE,
      role TEXT NOT NULL,
      country TEXT NOT NULL DEFAULT '',
      label TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      revoked_at TEXT NOT NULL DEFAULT '');
    )sql",
    R"sql(
    CREATE TABLE assignments (
      position INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      request TEXT NOT NULL,
      plan TEXT NOT NULL,
      needs TEXT NOT NULL,
      accepted_at TEXT NOT NULL DEFAULT '',
      accepted_by TEXT NOT NULL DEFAULT '');
    )sql",
};
inline constexpr int kSchemaVersion = sizeof(kMigrations) / sizeof(kMigrations[0]);

}  // namespace expectmatch::store::internal
