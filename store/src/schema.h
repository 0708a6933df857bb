// The store's SQLite schema, as the migrations that build it (private to store/).
#pragma once

namespace expectmatch::store::internal {

// Forward-only migrations; migration i brings the schema from version i to i + 1.
//
// The store never parses the documents it keeps: writers give the values of the columns beside
// them (store.h). Only migrations that add such a column may read the documents already stored
// (json_extract, json_each) to fill it, once, so that an existing database keeps working.
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
    // Columns and side tables for everything the queries filter or join on, so that no query
    // reads the documents; filled from the documents already stored (the one reading allowed, above).
    R"sql(
    ALTER TABLE collectivites ADD COLUMN region TEXT NOT NULL DEFAULT '';
    ALTER TABLE collectivites ADD COLUMN kind TEXT NOT NULL DEFAULT '';
    CREATE TABLE collectivite_label_themes (
      collectivite TEXT NOT NULL REFERENCES collectivites (id) ON DELETE CASCADE,
      theme TEXT NOT NULL);
    CREATE INDEX collectivite_label_themes_by_collectivite ON collectivite_label_themes (collectivite);
    CREATE INDEX collectivite_label_themes_by_theme ON collectivite_label_themes (theme);
    CREATE TABLE collectivite_languages (
      collectivite TEXT NOT NULL REFERENCES collectivites (id) ON DELETE CASCADE,
      language TEXT NOT NULL);
    CREATE INDEX collectivite_languages_by_collectivite ON collectivite_languages (collectivite);
    CREATE INDEX collectivite_languages_by_language ON collectivite_languages (language);
    ALTER TABLE missions ADD COLUMN need TEXT;
    ALTER TABLE missions ADD COLUMN collectivite TEXT NOT NULL DEFAULT '';
    ALTER TABLE missions ADD COLUMN rating INTEGER;
    CREATE INDEX missions_by_need ON missions (need);
    ALTER TABLE needs ADD COLUMN period_start TEXT NOT NULL DEFAULT '';
    ALTER TABLE needs ADD COLUMN period_end TEXT NOT NULL DEFAULT '';
    ALTER TABLE needs ADD COLUMN selected TEXT;
    CREATE TABLE need_themes (
      need TEXT NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
      theme TEXT NOT NULL);
    CREATE INDEX need_themes_by_need ON need_themes (need);
    CREATE INDEX need_themes_by_theme ON need_themes (theme);

    UPDATE collectivites SET region = COALESCE(json_extract(doc, '$.region'), ''),
                             kind = COALESCE(json_extract(doc, '$.kind'), '');
    INSERT INTO collectivite_label_themes (collectivite, theme)
      SELECT c.id, json_extract(l.value, '$.theme') FROM collectivites c, json_each(c.doc, '$.labels') l
      WHERE json_extract(l.value, '$.theme') IS NOT NULL ORDER BY c.position, l.id;
    INSERT INTO collectivite_languages (collectivite, language)
      SELECT c.id, l.value FROM collectivites c, json_each(c.doc, '$.languages') l
      WHERE l.value IS NOT NULL ORDER BY c.position, l.id;
    UPDATE missions SET need = NULLIF(json_extract(doc, '$.need'), ''),
                        collectivite = COALESCE(json_extract(doc, '$.collectivite'), ''),
                        rating = json_extract(doc, '$.rating');
    UPDATE needs SET period_start = COALESCE(json_extract(doc, '$.period.start'), ''),
                     period_end = COALESCE(json_extract(doc, '$.period.end'), ''),
                     selected = NULLIF(json_extract(doc, '$.selected'), '');
    INSERT INTO need_themes (need, theme)
      SELECT n.id, json_extract(t.value, '$.theme') FROM needs n, json_each(n.doc, '$.themes') t
      WHERE json_extract(t.value, '$.theme') IS NOT NULL ORDER BY n.position, t.id;
    )sql",
    // What each ranking was served with (effective weights, k, max_per_region); older rows: ''.
    R"sql(
    ALTER TABLE ranking_log ADD COLUMN served TEXT NOT NULL DEFAULT '';
    )sql",
    // Stored needs by reference (id and hash of the document ranked); each row's size, and the
    // log's total in meta, for the size cap.
    R"sql(
    ALTER TABLE ranking_log ADD COLUMN need_hash TEXT NOT NULL DEFAULT '';
    ALTER TABLE ranking_log ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
    UPDATE ranking_log SET bytes = length(CAST(request_id AS BLOB)) + length(CAST(served_at AS BLOB))
      + length(CAST(profile AS BLOB)) + length(CAST(need_id AS BLOB)) + length(CAST(need AS BLOB))
      + length(CAST(candidates AS BLOB)) + length(CAST(served AS BLOB));
    INSERT OR REPLACE INTO meta (key, value)
      SELECT 'ranking_log_bytes', CAST(COALESCE(SUM(bytes), 0) AS TEXT) FROM ranking_log;
    )sql",
    // 9: foreign partners' aliases and merges, as DAECT records them (append-only).
    R"sql(
    CREATE TABLE partner_aliases (
      seq INTEGER PRIMARY KEY,
      partner TEXT NOT NULL,
      alias TEXT NOT NULL,
      source TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL);
    CREATE INDEX partner_aliases_by_partner ON partner_aliases (partner);
    CREATE TABLE partner_merges (
      seq INTEGER PRIMARY KEY,
      from_id TEXT NOT NULL,
      into_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL);
    )sql",
    // 10: the collectivités' side of a mission: keys of an authority, proposals and their
    // answers, the outbox of e-mails, report documents and summaries.
    R"sql(
    ALTER TABLE api_keys ADD COLUMN collectivite TEXT NOT NULL DEFAULT '';
    CREATE TABLE proposals (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      need TEXT NOT NULL,
      collectivite TEXT NOT NULL,
      message TEXT NOT NULL DEFAULT '',
      respond_by TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      assignment TEXT NOT NULL DEFAULT '',
      answered_at TEXT NOT NULL DEFAULT '',
      answered_by TEXT NOT NULL DEFAULT '',
      reason TEXT NOT NULL DEFAULT '',
      why TEXT NOT NULL DEFAULT '');
    CREATE INDEX proposals_by_need ON proposals (need, seq);
    CREATE INDEX proposals_by_collectivite ON proposals (collectivite, seq);
    CREATE INDEX proposals_by_status ON proposals (status, respond_by);
    CREATE TABLE outbox (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      dedupe TEXT NOT NULL UNIQUE,
      event TEXT NOT NULL,
      recipient TEXT NOT NULL,
      subject TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending',
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT NOT NULL DEFAULT '',
      sent_at TEXT NOT NULL DEFAULT '',
      last_error TEXT NOT NULL DEFAULT '');
    CREATE INDEX outbox_by_status ON outbox (status, next_attempt_at);
    CREATE TABLE report_documents (
      need TEXT PRIMARY KEY,
      sha256 TEXT NOT NULL,
      content_type TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      uploaded_at TEXT NOT NULL,
      uploaded_by TEXT NOT NULL,
      text TEXT NOT NULL DEFAULT '',
      extraction TEXT NOT NULL DEFAULT '');
    CREATE TABLE reports (
      need TEXT PRIMARY KEY,
      collectivite TEXT NOT NULL,
      doc TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL);
    )sql",
    // 11: label applications examined by DAECT, their documents, and the history of every
    // label change (append-only; an expiry is written once per label and end date).
    R"sql(
    CREATE TABLE label_applications (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      collectivite TEXT NOT NULL,
      status TEXT NOT NULL,
      doc TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      updated_at TEXT NOT NULL);
    CREATE INDEX label_applications_by_status ON label_applications (status, seq);
    CREATE INDEX label_applications_by_collectivite ON label_applications (collectivite, seq);
    CREATE TABLE application_documents (
      seq INTEGER PRIMARY KEY,
      application TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      content_type TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      filename TEXT NOT NULL,
      uploaded_at TEXT NOT NULL,
      uploaded_by TEXT NOT NULL,
      UNIQUE (application, sha256));
    CREATE TABLE label_history (
      seq INTEGER PRIMARY KEY,
      collectivite TEXT NOT NULL,
      theme TEXT NOT NULL,
      event TEXT NOT NULL,
      since TEXT NOT NULL DEFAULT '',
      until TEXT NOT NULL DEFAULT '',
      at TEXT NOT NULL,
      by TEXT NOT NULL,
      reason TEXT NOT NULL DEFAULT '',
      application TEXT NOT NULL DEFAULT '');
    CREATE INDEX label_history_by_collectivite ON label_history (collectivite, seq);
    CREATE UNIQUE INDEX label_history_expired_once ON label_history (collectivite, theme, until)
      WHERE event = 'expired';
    )sql",
    // 12: the official list of French local authorities (Etalab), replaced whole by each
    // import; `words` is the folded name (" word word "), which the search prefix-matches.
    // Collectivités get their SIREN as a column, to map an official authority to its record.
    R"sql(
    CREATE TABLE official_authorities (
      seq INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      insee TEXT NOT NULL,
      siren TEXT NOT NULL,
      name TEXT NOT NULL,
      words TEXT NOT NULL,
      region TEXT NOT NULL,
      departement TEXT NOT NULL,
      population INTEGER);
    CREATE INDEX official_by_siren ON official_authorities (siren) WHERE siren <> '';
    CREATE INDEX official_by_insee ON official_authorities (kind, insee);
    ALTER TABLE collectivites ADD COLUMN siren TEXT NOT NULL DEFAULT '';
    UPDATE collectivites SET siren = COALESCE(json_extract(doc, '$.siren'), '');
    CREATE INDEX collectivites_by_siren ON collectivites (siren) WHERE siren <> '';
    )sql",
};
inline constexpr int kSchemaVersion = sizeof(kMigrations) / sizeof(kMigrations[0]);

}  // namespace expectmatch::store::internal
