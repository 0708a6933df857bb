#include "expectmatch/service/report_search.h"

#include <algorithm>
#include <unordered_map>

#include "expectmatch/datasets/reference.h"
#include "expectmatch/matcher/date.h"
#include "query.h"

namespace expectmatch::service {
namespace {

using datasets::Json;
using understanding::ReportField;
using understanding::ReportIndex;
using understanding::ReportQuery;
using understanding::ReportRecord;

constexpr std::size_t kMaxQueryBytes = 500;
constexpr std::size_t kMaxSearchPage = 50;
constexpr std::size_t kDefaultSearchPage = 10;
constexpr std::size_t kMaxRelated = 10;
constexpr std::size_t kDefaultRelated = 3;
// A need's description is searched by its first 4 kB, as theme suggestion reads it.
constexpr std::size_t kMaxDescriptionBytes = 4096;

std::string StringMember(const Json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// `text` cut to at most `bytes`, never inside a UTF-8 sequence.
std::string Prefix(const std::string& text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
  return text.substr(0, bytes);
}

Json DateOrNull(const std::optional<matcher::Date>& date) {
  return date ? Json(matcher::FormatIsoDate(*date)) : Json(nullptr);
}

Json Items(const ReportIndex& index, const understanding::ReportResults& results) {
  Json items = Json::array();
  for (const understanding::ReportHit& hit : results.hits) {
    const ReportRecord& record = index.record(hit.record);
    Json matched = Json::array();
    for (ReportField field : hit.matched) matched.push_back(understanding::ReportFieldName(field));
    items.push_back({{"need", record.need},
                     {"country", record.country},
                     {"themes", record.themes},
                     {"collectivite", record.collectivite},
                     {"collectivite_name", record.collectivite_name},
                     {"mission_start", DateOrNull(record.mission_start)},
                     {"mission_end", DateOrNull(record.mission_end)},
                     {"snippet", hit.snippet},
                     {"snippet_field", understanding::ReportFieldName(hit.snippet_field)},
                     {"score", hit.score},
                     {"matched_fields", std::move(matched)}});
  }
  return items;
}

}  // namespace

std::vector<ReportRecord> ReportRecords(store::Store& store, const Snapshot& snapshot) {
  const matcher::Catalogue& catalogue = snapshot.catalogue;
  std::unordered_map<std::string, const matcher::Need*> needs;
  for (const matcher::Need& need : catalogue.needs()) needs[need.id] = &need;
  std::unordered_map<std::string, const matcher::Mission*> missions;  // by need
  for (const matcher::Mission& mission : catalogue.missions()) {
    if (mission.need.empty()) continue;
    // The mission recorded for the need ("m-<need>") wins over any other naming it.
    auto [it, inserted] = missions.try_emplace(mission.need, &mission);
    if (!inserted && mission.id == "m-" + mission.need) it->second = &mission;
  }
  std::unordered_map<std::string, const matcher::Collectivite*> authorities;
  for (const matcher::Collectivite& c : catalogue.collectivites()) authorities[c.id] = &c;
  std::unordered_map<std::string, std::string> texts;
  for (store::ReportDocumentRow& document : store.ReportDocuments())
    texts[document.need] = std::move(document.text);

  std::vector<ReportRecord> records;
  for (const store::ReportRow& row : store.Reports()) {
    ReportRecord record;
    record.need = row.need;
    if (auto need = needs.find(row.need); need != needs.end()) {
      record.country = need->second->country;
      for (const matcher::NeedTheme& theme : need->second->themes)
        record.themes.push_back(theme.theme);
      record.description = need->second->description;
    } else if (std::optional<store::NeedRow> stored = store.GetNeed(row.need)) {
      // Written since the snapshot was built.
      const Json doc = Json::parse(stored->json, nullptr, false);
      if (!doc.is_object()) continue;
      record.country = stored->country;
      if (auto themes = doc.find("themes"); themes != doc.end() && themes->is_array()) {
        for (const Json& theme : *themes) {
          if (theme.is_object()) record.themes.push_back(StringMember(theme, "theme"));
        }
      }
      record.description = StringMember(doc, "description");
    } else {
      continue;
    }
    if (auto mission = missions.find(row.need); mission != missions.end()) {
      record.mission_start = mission->second->start;
      record.mission_end = mission->second->end;
    }
    record.collectivite = row.collectivite;
    if (auto authority = authorities.find(row.collectivite); authority != authorities.end())
      record.collectivite_name = authority->second->name;
    const Json summary = Json::parse(row.json, nullptr, false);
    if (summary.is_object()) {
      record.resultats = StringMember(summary, "resultats");
      record.recommandations = StringMember(summary, "recommandations");
      record.suites_envisagees = StringMember(summary, "suites_envisagees");
    }
    if (auto text = texts.find(row.need); text != texts.end())
      record.document_text = std::move(text->second);
    records.push_back(std::move(record));
  }
  return records;
}

std::shared_ptr<const ReportIndex> ReportSearch::Index() const {
  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  std::lock_guard lock(mutex_);
  std::string fingerprint = store_.ReportsFingerprint();
  if (index_ && fingerprint == fingerprint_ && built_from_.lock() == snapshot) return index_;
  index_ = std::make_shared<const ReportIndex>(ReportRecords(store_, *snapshot));
  fingerprint_ = std::move(fingerprint);
  built_from_ = snapshot;
  return index_;
}

Status ReportSearch::Search(const QueryParameters& parameters, Json* page) const {
  ReportQuery query;
  query.limit = kDefaultSearchPage;
  std::vector<FieldIssue> errors;
  bool has_q = false;
  const std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  for (const auto& [name, value] : parameters) {
    if (name == "q") {
      if (value.size() > kMaxQueryBytes) {
        errors.push_back({"", name, "at most " + std::to_string(kMaxQueryBytes) + " bytes"});
      }
      has_q = !value.empty();
      query.text = value;
    } else if (name == "theme") {
      if (!snapshot->theme_ids.count(value))
        errors.push_back({"", name, "unknown theme \"" + value + "\""});
      query.themes.push_back(value);
    } else if (name == "country") {
      if (!datasets::FindCountry(value))
        errors.push_back(
            {"", name, "unknown country \"" + value + "\", expected ISO 3166-1 alpha-2"});
      query.country = value;
    } else if (name == "from" || name == "to") {
      std::optional<matcher::Date> date = matcher::ParseIsoDate(value);
      if (!date)
        errors.push_back({"", name, "invalid date \"" + value + "\", expected YYYY-MM-DD"});
      (name == "from" ? query.from : query.to) = date;
    } else if (name == "limit") {
      if (!ParseSize(value, 1, kMaxSearchPage, &query.limit))
        errors.push_back(
            {"", name, "must be an integer between 1 and " + std::to_string(kMaxSearchPage)});
    } else if (name == "offset") {
      if (!ParseSize(value, 0, 1'000'000'000, &query.offset))
        errors.push_back({"", name, "must be a non-negative integer"});
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (errors.empty() && query.from && query.to && *query.from > *query.to)
    errors.push_back({"", "to", "before from"});
  if (errors.empty() && !has_q && query.themes.empty() && query.country.empty() && !query.from &&
      !query.to) {
    errors.push_back({"", "q", "give words to search for, or a theme, country or period"});
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid search parameters", errors);

  std::shared_ptr<const ReportIndex> index = Index();
  understanding::ReportResults results = index->Search(query);
  Json words = Json::array();
  for (const std::string& word : ReportIndex::SearchedWords(query.text)) words.push_back(word);
  *page = {{"items", Items(*index, results)},
           {"total", results.total},
           {"limit", query.limit},
           {"offset", query.offset},
           {"searched_words", std::move(words)}};
  return Status::Ok();
}

Status ReportSearch::Related(const Principal* caller, const std::string& id,
                             const QueryParameters& parameters, Json* page) const {
  std::optional<store::NeedRow> row = store_.GetNeed(id);
  // Another country's need is answered as an unknown one, word for word (as Needs::Get).
  if (!row || (caller && !caller->MayActFor(row->country)))
    return Status::NotFound("unknown need \"" + id + "\"", {{"", "id", "no need with this id"}});
  ReportQuery query;
  query.limit = kDefaultRelated;
  std::vector<FieldIssue> errors;
  for (const auto& [name, value] : parameters) {
    if (name == "limit") {
      if (!ParseSize(value, 1, kMaxRelated, &query.limit))
        errors.push_back(
            {"", name, "must be an integer between 1 and " + std::to_string(kMaxRelated)});
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid parameters", errors);

  const Json need = Json::parse(row->json, nullptr, false);
  std::string text;
  if (need.is_object()) text = Prefix(StringMember(need, "description"), kMaxDescriptionBytes);
  const std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  if (need.is_object()) {
    if (auto themes = need.find("themes"); themes != need.end() && themes->is_array()) {
      for (const Json& theme : *themes) {
        const std::string theme_id = theme.is_object() ? StringMember(theme, "theme") : "";
        if (theme_id.empty()) continue;
        query.boost_themes.push_back(theme_id);
        // The theme's label says in words what the description may not.
        if (snapshot->catalogue.taxonomy().Contains(theme_id))
          text += " " + snapshot->catalogue.taxonomy().Get(theme_id).label;
      }
    }
  }
  query.text = text;
  // An embassy reads its own country's reports only (the search itself is DAECT's and the
  // analysts'): others are not even counted.
  if (caller && caller->role == Role::kEmbassy) query.country = caller->country;
  query.boost_country = row->country;
  query.exclude_need = id;

  Json items = Json::array();
  std::size_t total = 0;
  if (!ReportIndex::SearchedWords(text).empty()) {
    std::shared_ptr<const ReportIndex> index = Index();
    understanding::ReportResults results = index->Search(query);
    items = Items(*index, results);
    total = results.total;
  }
  *page = {{"need", id}, {"items", std::move(items)}, {"total", total}, {"limit", query.limit}};
  return Status::Ok();
}

}  // namespace expectmatch::service
