// The embedded SQLite store: what the service was told (data set records, needs).
//
// Records are kept as the JSON documents of the data set contract, with the columns that queries
// filter or join on beside them (side tables for the multi-valued ones). The store never parses
// the documents: writers pass every column value in the row they write, derived from the same
// record as the document, and each write stores the document and its columns in one
// transaction. The schema is versioned with SQLite's user_version and migrated forward when
// the store opens.
//
// Durability: WAL journal with synchronous=FULL, so a committed write survives a crash or a
// kill -9 the next instant. Thread-safety: one connection guarded by a mutex; every method may
// be called from any thread. API key lookups, which every request makes, go through a second,
// read-only connection with its own mutex: WAL lets them read while a write commits, so a
// request never waits behind another's fsync to be authenticated. Failures throw StoreError (a server-side fault, never a client's).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace expectmatch::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One record as stored: its id (empty for cooperations) and its JSON document.
struct Document {
  std::string id;
  std::string json;
};

// The rows below are what writers give: a document and the values of the columns queries filter
// or join on, which must be the document's own (the store takes them as given).

// A need's document with the columns queries filter on. Reads fill every field, so a row read,
// changed and written back keeps its columns.
struct NeedRow {
  std::string id;
  std::string country;
  std::string status;
  std::string submitted_at;  // ISO date or empty
  std::string json;
  std::string period_start;         // ISO date
  std::string period_end;           // ISO date
  std::vector<std::string> themes;  // the theme ids the need names, in its order
  std::string selected;             // the chosen collectivité's id, empty until decided
};

// A collectivité's document with the columns its list filters on.
struct CollectiviteRow {
  std::string id;
  std::string json;
  std::string region;
  std::string kind;
  std::vector<std::string> label_themes;  // the themes it holds a label on
  std::vector<std::string> languages;     // the languages its experts work in
  std::string siren;                      // empty when the record has none
};

// A cooperation link's document and the collectivité it belongs to.
struct CooperationRow {
  std::string collectivite;
  std::string json;
};

// A mission's document with the columns queries join on.
struct MissionRow {
  std::string id;
  std::string json;
  std::string need;  // the need it served, empty for none
  std::string collectivite;
  std::optional<int> rating;
};

// One change of an authority's label, as the label history keeps it (append-only): event
// granted, renewed, changed, withdrawn or expired; who made it (a key id, "import", "cli" or
// "chore") and, for a decision on an application, its id.
struct LabelHistoryRow {
  long long seq = 0;  // given by the store (reads)
  std::string collectivite;
  std::string theme;
  std::string event;
  std::string since;  // ISO date; the label's validity after the change (before, for withdrawn)
  std::string until;  // ISO date, empty when open-ended
  std::string at;     // RFC 3339 UTC
  std::string by;
  std::string reason;
  std::string application;  // empty unless a decision on an application
};

// Everything a data set holds, serialised, for seeding an empty store.
struct SeedDocuments {
  std::vector<Document> themes;
  std::vector<CollectiviteRow> collectivites;
  std::vector<CooperationRow> cooperations;
  std::vector<MissionRow> missions;
  std::vector<NeedRow> needs;
  std::string source;  // where the data came from, kept in the meta table
  // The label changes the collectivités above make, written in the same transaction.
  std::vector<LabelHistoryRow> label_history = {};
};

struct NeedQuery {
  std::optional<std::string> status;
  std::optional<std::string> country;
  std::optional<std::string> theme;        // names this theme (exactly)
  std::optional<std::string> period_from;  // period ends on or after this date (YYYY-MM-DD)
  std::optional<std::string> period_to;    // period starts on or before this date
  std::optional<std::string> selected;     // the authority chosen for it
  size_t limit = 50;
  size_t offset = 0;
};

struct CollectiviteQuery {
  std::optional<std::string> region;
  std::optional<std::string> kind;
  std::optional<std::string> theme;     // holds a label on this theme
  std::optional<std::string> language;  // speaks this language
  size_t limit = 50;
  size_t offset = 0;
};

struct DocumentPage {
  std::vector<Document> items;  // in stored order
  size_t total = 0;
};

// One recorded decision: the authority DAECT selected for a need.
struct DecisionRow {
  std::string need;
  std::string collectivite;
  std::string decided_at;  // RFC 3339 UTC
  std::string decided_by;  // the deciding key's id
  std::string note;
};

// An API key as stored: only a hash of the secret is kept.
struct ApiKeyRow {
  std::string id;       // public identifier, e.g. "k_3f9a1c2e"
  std::string hash;     // hex SHA-256 of the secret
  std::string role;     // daect | analyst | embassy | collectivite
  std::string country;  // ISO code for embassy keys, else empty
  std::string label;
  std::string created_at;
  std::string revoked_at;    // empty while valid
  std::string collectivite;  // the authority's id for collectivite keys, else empty
};

struct NeedPage {
  std::vector<NeedRow> needs;  // ordered by submitted_at descending, then id
  size_t total = 0;            // matching needs, ignoring limit and offset
};

// One version of a named weight profile; `weights` is a JSON object (feature → weight).
struct ProfileRow {
  std::string name;
  int version = 0;
  std::string description;
  std::string weights;
  std::string created_at;  // RFC 3339 UTC
};

// One served ranking, as logged for offline tuning (docs/TUNING.md): what was returned and the
// feature values that ranked it.
struct RankingLogRow {
  std::string request_id;
  std::string served_at;  // RFC 3339 UTC
  std::string profile;
  int profile_version = 0;
  std::string need_id;
  // The need as ranked (JSON) when it was given inline; empty for a stored need, which is kept
  // by reference: its id and `need_hash`.
  std::string need;
  std::string candidates;  // service::EncodeLoggedCandidates (JSON)
  // What the ranking was computed with: {"weights": the effective weights (the profile's with
  // the request's overrides), "overridden": [features], "k", "max_per_region"} (JSON); empty
  // for rows logged before it was kept (the profile's own weights, then).
  std::string served;
  // SHA-256 (hex) of the need as ranked (service::NeedDigest); empty in rows logged before.
  std::string need_hash;
};

// What one call of Store::TrimRankingLog removed.
struct RankingLogTrim {
  size_t rows = 0;
  size_t bytes = 0;
};

// Offline tuning (docs/TUNING.md, "From the service's own database"): a need's latest decision,
// joined with the last ranking logged for it at or before that decision — or, when the need was
// proposed to authorities, at or before its first proposal (the ranking the proposals were made
// from, which still lists the authorities that declined) — and the rating of the selected
// authority's mission.
struct LoggedDecisionRow {
  std::string need_id;
  std::string decided_at;    // RFC 3339 UTC
  std::string collectivite;  // the selected authority
  std::string request_id;    // of the logged ranking
  std::string served_at;
  std::string profile;
  int profile_version = 0;
  std::string candidates;             // as logged (RankingLogRow::candidates)
  std::optional<int> rating;          // of the mission of this need by this authority, when rated
  std::string served;                 // as logged (RankingLogRow::served)
  std::string need;                   // as logged: the inline need, or empty (by reference)
  std::string need_hash;              // as logged
  std::string stored_need;            // the stored need's document now
  std::vector<std::string> declined;  // authorities that declined a proposal of the need
};

// A batch assignment plan as computed by the service: the request, the plan document
// returned, and each need's document when the plan was computed (a JSON object id → document),
// against which acceptance is compare-and-set.
struct AssignmentRow {
  std::string id;
  std::string created_at;   // RFC 3339 UTC
  std::string created_by;   // key id
  std::string request;      // JSON
  std::string plan;         // JSON
  std::string needs;        // JSON object
  std::string accepted_at;  // empty until accepted
  std::string accepted_by;
};

// A mission proposed to an authority, and its answer. `status`: waiting, accepted, declined,
// expired or withdrawn; only a waiting proposal changes, and the row is kept for ever (a need's
// history).
struct ProposalRow {
  std::string id;
  std::string need;
  std::string collectivite;
  std::string message;
  std::string respond_by;  // ISO date: the last day an answer is taken
  std::string status;
  std::string created_at;  // RFC 3339 UTC
  std::string created_by;  // key id, or "cli"
  std::string assignment;  // the batch plan that made it, empty for one made by hand
  std::string answered_at;
  std::string answered_by;
  std::string reason;  // a decline's or a withdrawal's reason
  // Why the authority was chosen, as ranked when the proposal was made (JSON: rank, score,
  // French reasons); empty when unknown.
  std::string why;
};

// A proposal to insert (`expected_status` empty) or to update only if its stored status is
// still `expected_status` (compare-and-set).
struct ProposalWrite {
  ProposalRow row;
  std::string expected_status;
};

struct ProposalQuery {
  std::optional<std::string> need;
  std::optional<std::string> collectivite;
  std::optional<std::string> status;
  size_t limit = 100;
  size_t offset = 0;
};

struct ProposalPage {
  std::vector<ProposalRow> items;  // newest first
  size_t total = 0;
};

// An e-mail waiting in the outbox, written in the transaction of the event that causes it.
// `dedupe` is unique: a message whose key is already in the outbox is not written again (a
// reminder is queued once whatever the number of passes that find it due).
struct OutboxRow {
  std::string id;      // also the message's Message-ID local part
  std::string dedupe;  // e.g. "proposal:p-1:made", "report:n-1:reminder-15"
  std::string event;   // proposal_made, proposal_accepted, ..., report_overdue
  std::string recipient;
  std::string subject;
  std::string body;
  std::string created_at;
  std::string status = "pending";  // pending | sent | failed
  int attempts = 0;
  std::string next_attempt_at;  // RFC 3339 UTC; empty: now
  std::string sent_at;
  std::string last_error;
};

struct OutboxQuery {
  std::optional<std::string> status;
  size_t limit = 100;
  size_t offset = 0;
};

struct OutboxPage {
  std::vector<OutboxRow> items;  // newest first
  size_t total = 0;
};

// One write of a need's workflow, all in one transaction: the need (compare-and-set on its
// expected document; skipped when `row.id` is empty), its decision, proposals inserted or
// answered (compare-and-set on their status) and the e-mails the event causes.
struct NeedUpdate {
  NeedRow row;
  std::string expected;
  std::optional<DecisionRow> decision;
  std::vector<ProposalWrite> proposals;
  std::vector<OutboxRow> mail;
};

// A mission report's document as stored: the file is kept outside the database, named by its
// SHA-256 (content-addressed); `text` is what could be extracted from it for search.
struct ReportDocumentRow {
  std::string need;
  std::string sha256;
  std::string content_type;
  long long bytes = 0;
  std::string uploaded_at;
  std::string uploaded_by;
  std::string text;
  std::string extraction;  // how `text` was obtained ("pdftotext", "none", "failed: ...")
};

// A mission report's summary and ratings (a JSON document) as the authority and DAECT write it.
struct ReportRow {
  std::string need;
  std::string collectivite;
  std::string json;
  std::string updated_at;
  std::string updated_by;
};

// A spelling attached to a foreign partner: by DAECT ("daect"), or learnt from a decision on a
// need whose partner was typed ("decision").
struct PartnerAliasRow {
  std::string partner;  // partner id
  std::string alias;
  std::string source;  // "daect" or "decision"
  std::string created_at;
  std::string created_by;  // the key id, or "cli"
};

// DAECT's merge of two records of the same foreign authority: `from` becomes part of `into`.
struct PartnerMergeRow {
  std::string from;
  std::string into;
  std::string created_at;
  std::string created_by;
};

struct AcceptOutcome {
  bool accepted = false;
  bool already_accepted = false;     // the plan had been accepted before: nothing written
  std::vector<std::string> changed;  // needs changed since the plan: nothing written
};

// A label application as stored: its JSON document (themes, evidence, events, labels granted)
// with the columns its lists filter on.
struct LabelApplicationRow {
  std::string id;
  std::string collectivite;
  std::string status;  // received, under_review, approved, rejected, information_requested
  std::string json;
  std::string created_at;
  std::string created_by;
  std::string updated_at;
};

// A document attached to a label application (the file lives outside the database, named by its
// SHA-256, like a report document).
struct ApplicationDocumentRow {
  std::string application;
  std::string sha256;
  std::string content_type;
  long long bytes = 0;
  std::string filename;
  std::string uploaded_at;
  std::string uploaded_by;
};

struct LabelApplicationQuery {
  std::optional<std::string> status;
  std::optional<std::string> collectivite;
  size_t limit = 50;
  size_t offset = 0;
};

struct LabelApplicationPage {
  std::vector<LabelApplicationRow> items;  // newest first
  size_t total = 0;
};

// One write of a label application, in one transaction: the application (inserted when
// `expected_status` is empty, else only if its stored status is still `expected_status`), the
// collectivités whose labels it changes with their history rows (`documents`: collectivites and
// label_history only), and the e-mails it causes.
struct LabelApplicationWrite {
  LabelApplicationRow row;
  std::string expected_status;
  SeedDocuments documents;
  std::vector<OutboxRow> mail;
};

// One authority of the official list (datasets::OfficialAuthority as stored). `words` is its
// name folded (accents and case) with one space before and after every word: " saint malo ".
struct OfficialRow {
  std::string kind;  // commune | epci | departement | region
  std::string insee;
  std::string siren;
  std::string name;
  std::string words;
  std::string region;
  std::string departement;
  std::optional<long long> population;
};

// Where the stored official list came from (meta), and how many rows it holds.
struct OfficialListInfo {
  std::string source;
  std::string version;
  std::string imported_at;
  size_t count = 0;
};

class Store {
 public:
  // Opens (creating if needed) the database at `path` and applies pending migrations.
  explicit Store(const std::filesystem::path& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int SchemaVersion();
  // True once Seed has run (the store holds a data set).
  bool IsSeeded();
  // Inserts a whole data set in one transaction. REQUIRES: !IsSeeded().
  void Seed(const SeedDocuments& documents);
  std::string SeedSource();
  // Writes records in one transaction: themes, collectivités, missions and needs are inserted
  // or replaced by id (a replaced record keeps its place in the order); the cooperations given
  // replace all the cooperations of the collectivités they name. `source` is ignored.
  // REQUIRES: the result is a valid data set (callers validate the merged data first).
  void Import(const SeedDocuments& documents);
  // A counter bumped by every write of data the catalogue is built from; a server compares it
  // to rebuild its snapshot when another process (or request) changed the data.
  uint64_t Generation();

  std::vector<Document> Themes();
  std::vector<Document> Collectivites();
  std::vector<Document> Cooperations();
  std::vector<Document> Missions();
  // Every need's document, as the snapshot reads them (GetNeed and ListNeeds give the columns).
  std::vector<Document> Needs();

  std::optional<NeedRow> GetNeed(const std::string& id);
  NeedPage ListNeeds(const NeedQuery& query);
  // Inserts a new need; false when the id exists already.
  bool InsertNeed(const NeedRow& row);
  // Replaces a need only if its stored document is still `expected` (compare-and-set, so two
  // concurrent updates cannot both win); false otherwise. Records `decision` with it if given.
  bool UpdateNeed(const NeedRow& row, const std::string& expected,
                  const std::optional<DecisionRow>& decision = std::nullopt);
  std::vector<DecisionRow> Decisions(const std::string& need);  // oldest first

  // The missions recorded for a need (their `need` field), in stored order.
  std::vector<Document> MissionsOfNeed(const std::string& need);

  std::optional<Document> GetCollectivite(const std::string& id);
  DocumentPage ListCollectivites(const CollectiviteQuery& query);

  // API keys.
  void InsertApiKey(const ApiKeyRow& row);
  std::optional<ApiKeyRow> FindApiKeyByHash(const std::string& hash);
  std::vector<ApiKeyRow> ApiKeys();  // by creation
  // Marks the key revoked; false when there is no such valid key.
  bool RevokeApiKey(const std::string& id);
  // Counts the revocations made through this Store object, so that a cache of keys in this
  // process can drop what it holds at once; another process's revocations are not counted.
  uint64_t api_key_revocations() const { return api_key_revocations_.load(); }
  bool HasActiveKey(const std::string& role);

  // Profiles. Saving a name that exists makes a new version (old versions stay readable).
  // Returns the version written.
  int SaveProfile(const std::string& name, const std::string& description,
                  const std::string& weights);
  // The latest version, or `version` when given; nullopt when absent.
  std::optional<ProfileRow> GetProfile(const std::string& name,
                                       std::optional<int> version = std::nullopt);
  std::vector<ProfileRow> LatestProfiles();                          // one per name, by name
  std::vector<ProfileRow> ProfileVersions(const std::string& name);  // oldest first

  // The ranking log, written in batches (one transaction per call).
  void AppendRankingLog(const std::vector<RankingLogRow>& rows);
  size_t RankingLogSize();
  // The bytes of the log's rows (the sum of their fields' sizes, kept up to date by the writes).
  size_t RankingLogBytes();
  // Removes, oldest first, at most `chunk` rows served before `served_before` (RFC 3339), or
  // while the log holds more than `max_bytes` (0: no cap); one short transaction, so that a
  // caller trimming a large backlog calls it again and other writers get the store in between.
  RankingLogTrim TrimRankingLog(const std::string& served_before, size_t max_bytes,
                                size_t chunk = 500);
  std::vector<RankingLogRow> RecentRankingLog(size_t limit);  // newest first

  // Offline tuning (read-only): every need whose latest decision still stands (the need is not
  // cancelled and still names that authority) and that has a ranking logged at or before the
  // decision, oldest decision first.
  std::vector<LoggedDecisionRow> LoggedDecisions();

  // Foreign partners' aliases and merges, in recording order (part of the catalogue's data:
  // each write bumps the generation).
  void AddPartnerAlias(const PartnerAliasRow& row);
  void AddPartnerMerge(const PartnerMergeRow& row);
  std::vector<PartnerAliasRow> PartnerAliases();
  std::vector<PartnerMergeRow> PartnerMerges();

  // Batch assignment plans.
  void InsertAssignment(const AssignmentRow& row);
  std::optional<AssignmentRow> GetAssignment(const std::string& id);
  // In one transaction: marks the plan accepted and applies every update (compare-and-set on
  // each need's expected document, with its decision). All or nothing: when the plan was
  // accepted already or any need changed, nothing is written.
  AcceptOutcome AcceptAssignment(const std::string& id, const std::vector<NeedUpdate>& updates,
                                 const std::string& accepted_at, const std::string& accepted_by);

  // The needs workflow's writes (NeedUpdate): false, and nothing written, when the need's
  // document or a proposal's status changed since it was read.
  bool ApplyNeedUpdate(const NeedUpdate& update);

  // Proposals.
  std::optional<ProposalRow> GetProposal(const std::string& id);
  ProposalPage ListProposals(const ProposalQuery& query);
  // The waiting proposals whose respond_by is before `today` (ISO date), oldest first.
  std::vector<ProposalRow> OverdueProposals(const std::string& today);
  // The authorities that declined a proposal of this need, in the order they did.
  std::vector<std::string> DeclinedBy(const std::string& need);
  // Every (need, authority) of a declined proposal, in the order they were declined.
  std::vector<std::pair<std::string, std::string>> Declines();

  // The outbox. EnqueueMail writes the messages whose dedupe key is new (one transaction) and
  // returns how many it wrote.
  size_t EnqueueMail(const std::vector<OutboxRow>& mail);
  OutboxPage ListOutbox(const OutboxQuery& query);
  // The sender's reads and writes (each one short transaction; the sender never holds the store
  // while it talks SMTP). DueMail: at most `limit` pending messages whose next_attempt_at is at
  // or before `now` (RFC 3339 UTC), the earliest due first.
  std::vector<OutboxRow> DueMail(const std::string& now, size_t limit);
  std::optional<OutboxRow> GetMail(const std::string& id);
  // Marks a pending message sent at `sent_at`; false when it was not pending (nothing written).
  bool MarkMailSent(const std::string& id, const std::string& sent_at);
  // Records a failed attempt on a pending message: its attempts count, error and next attempt
  // time; `status` stays "pending" or becomes "failed" (no more attempts). False when the
  // message was not pending.
  bool MarkMailFailed(const std::string& id, int attempts, const std::string& last_error,
                      const std::string& next_attempt_at, const std::string& status);

  // Mission reports: the document's record (the file itself lives outside the database) and
  // the summary. PutReportDocument writes only if the stored document's SHA-256 is still
  // `expected_sha256` (empty: there must be none yet); false otherwise. Each write may carry
  // the e-mails it causes.
  bool PutReportDocument(const ReportDocumentRow& row, const std::string& expected_sha256,
                         const std::vector<OutboxRow>& mail = {});
  std::optional<ReportDocumentRow> GetReportDocument(const std::string& need);
  std::vector<ReportDocumentRow> ReportDocuments();  // by need id
  void PutReport(const ReportRow& row, const std::vector<OutboxRow>& mail = {});
  std::optional<ReportRow> GetReport(const std::string& need);
  std::vector<ReportRow> Reports();  // by need id
  // A value that changes whenever a report or a report document is written (counts, the latest
  // row ids and times, sizes): the report search rebuilds its index when it differs. Cheap: it
  // reads no document text.
  std::string ReportsFingerprint();

  // Label applications and the label history (label_records.cc). WriteLabelApplication: false,
  // and nothing written, when the id exists already (insert) or the status changed (update).
  bool WriteLabelApplication(const LabelApplicationWrite& write);
  std::optional<LabelApplicationRow> GetLabelApplication(const std::string& id);
  LabelApplicationPage ListLabelApplications(const LabelApplicationQuery& query);
  // Records a document of an application unless it holds `max_documents` already (false then);
  // the same file attached twice is recorded once (true, nothing written).
  bool AddApplicationDocument(const ApplicationDocumentRow& row, size_t max_documents);
  std::vector<ApplicationDocumentRow> ApplicationDocuments(const std::string& application);
  // The label history of one authority (empty: of all), oldest first.
  std::vector<LabelHistoryRow> LabelHistory(const std::string& collectivite = "");
  // Appends history rows (an expiry already recorded is skipped) with their e-mails (dedupe
  // keys apply), in one transaction; how many history rows it wrote (`*mail_written`: how many
  // messages).
  size_t AppendLabelHistory(const std::vector<LabelHistoryRow>& rows,
                            const std::vector<OutboxRow>& mail = {},
                            size_t* mail_written = nullptr);
  // The official list of French local authorities. ReplaceOfficialList writes `rows` in place of
  // the stored list, and its provenance in meta, in one transaction.
  void ReplaceOfficialList(const std::vector<OfficialRow>& rows, const OfficialListInfo& info);
  // nullopt when no list was ever imported.
  std::optional<OfficialListInfo> OfficialList();
  std::optional<OfficialRow> FindOfficialBySiren(const std::string& siren);
  std::optional<OfficialRow> FindOfficialByInsee(const std::string& kind, const std::string& code);
  // The authorities (of `kind`, unless empty) whose `words` hold a word starting with each of
  // `prefixes` (folded words), the most populous first (then list order); at most `limit`, and
  // the number matching in `total`.
  std::vector<OfficialRow> SearchOfficial(const std::vector<std::string>& prefixes,
                                          const std::string& kind, size_t limit, size_t* total);
  // The collectivité recorded with this SIREN, if any (the first in stored order).
  std::optional<Document> FindCollectiviteBySiren(const std::string& siren);

 private:
  void Exec(const char* sql);
  // Runs `body` between BEGIN IMMEDIATE and COMMIT; rolls back when it throws (rethrowing) or
  // returns false. Returns what `body` returned. REQUIRES: mutex_ held.
  bool Transact(const std::function<bool()>& body);
  // Adds `delta` to the log's byte count in meta. REQUIRES: mutex_ held, in a transaction.
  void AddRankingLogBytes(long long delta);
  void Migrate();
  void OpenReader(const std::filesystem::path& path);
  // Runs `read(connection)` on the read-only connection, which WAL lets read while the main one
  // writes (the ranking log's commits, with their fsync, take tens of milliseconds when busy);
  // on the main connection when there is no reader. Returns what `read` returned.
  template <class Read>
  auto WithReader(Read&& read) {
    if (reader_) {
      std::lock_guard lock(reader_mutex_);
      return read(reader_);
    }
    std::lock_guard lock(mutex_);
    return read(db_);
  }
  // REQUIRES: mutex_ held, inside a transaction.
  void WriteDocuments(const SeedDocuments& documents);
  void BumpGeneration();
  // Replaces the need `row.id` if its document is still `expected`, recording `decision` (if
  // not null) with it; false when it changed. REQUIRES: mutex_ held, inside a transaction.
  bool ReplaceNeedIfUnchanged(const NeedRow& row, const std::string& expected,
                              const DecisionRow* decision);
  std::vector<Document> ReadDocuments(const char* sql);
  // Writes `update` (NeedUpdate); false when the need or a proposal changed, the caller then
  // rolls back. REQUIRES: mutex_ held, inside a transaction.
  bool WriteNeedUpdate(const NeedUpdate& update);
  // Inserts the messages whose dedupe key is new; how many. REQUIRES: as above.
  size_t WriteMail(const std::vector<OutboxRow>& mail);
  // Appends label history rows (INSERT OR IGNORE: an expiry is recorded once); how many.
  // REQUIRES: as above.
  size_t WriteLabelHistory(const std::vector<LabelHistoryRow>& rows);

  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  // The read-only connection for FindApiKeyByHash (with its prepared statement), GetNeed and
  // DeclinedBy, the reads of a match request (null when the
  // store could not open one, e.g. an in-memory database: the main connection serves then).
  std::mutex reader_mutex_;
  sqlite3* reader_ = nullptr;
  sqlite3_stmt* key_lookup_ = nullptr;
  std::atomic<uint64_t> api_key_revocations_{0};
};

}  // namespace expectmatch::store
