#include "expectmatch/service/understanding.h"

#include "expectmatch/datasets/reference.h"
#include "expectmatch/service/clock.h"
#include "expectmatch/understanding/fold.h"
#include "expectmatch/understanding/themes.h"

namespace expectmatch::service {

using datasets::FieldPath;
using datasets::Json;
using understanding::PartnerCandidate;
using understanding::PartnerEntity;

namespace {

constexpr size_t kMaxQueryBytes = 500;  // a partner's name as typed
constexpr size_t kMaxAliasBytes = 200;
constexpr size_t kMaxSuggestionCount = 20;  // k of /v1/themes/suggest
constexpr size_t kMaxCandidateCount = 50;   // limit of /v1/partners

Json CandidateJson(const PartnerCandidate& candidate) {
  return {{"id", candidate.partner->id},           {"name", candidate.partner->name},
          {"country", candidate.partner->country}, {"score", candidate.score},
          {"matched", candidate.matched},          {"matched_by", MatchedByName(candidate.kind)}};
}

Json ResolutionJson(const understanding::PartnerResolution& resolution) {
  Json candidates = Json::array();
  for (const PartnerCandidate& candidate : resolution.candidates)
    candidates.push_back(CandidateJson(candidate));
  return {{"resolved", resolution.resolved ? CandidateJson(*resolution.resolved) : Json(nullptr)},
          {"candidates", std::move(candidates)}};
}

bool IsBlank(const std::string& text) { return understanding::Fold(text).empty(); }

// Whether `spelling` is, once folded, the partner's name or one of its aliases: in the
// snapshot, or recorded in the store since it was built.
bool SpellingKnown(store::Store& store, const PartnerEntity& entity, const std::string& spelling) {
  const std::string folded = understanding::Fold(spelling);
  if (understanding::Fold(entity.name) == folded) return true;
  for (const std::string& alias : entity.aliases) {
    if (understanding::Fold(alias) == folded) return true;
  }
  for (const store::PartnerAliasRow& row : store.PartnerAliases()) {
    if (row.partner == entity.id && understanding::Fold(row.alias) == folded) return true;
  }
  return false;
}

// The entity a partner designates exactly: its id in the directory, any case, merged records
// followed; or its name exactly as recorded.
std::optional<PartnerCandidate> ExactEntity(const Snapshot& snapshot, const std::string& country,
                                            const matcher::Partner& partner) {
  if (!partner.id.empty()) {
    if (const PartnerEntity* entity = snapshot.partners.Find(partner.id);
        entity && entity->country == country) {
      return PartnerCandidate{entity, 1.0, understanding::MatchKind::kId, partner.id};
    }
  } else if (const PartnerEntity* entity = snapshot.partners.Canonical(country, partner)) {
    return PartnerCandidate{entity, 1.0, understanding::MatchKind::kName, partner.name};
  }
  return std::nullopt;
}

}  // namespace

const char* MatchedByName(understanding::MatchKind kind) {
  switch (kind) {
    case understanding::MatchKind::kId:
      return "id";
    case understanding::MatchKind::kName:
      return "name";
    case understanding::MatchKind::kAlias:
      return "alias";
    case understanding::MatchKind::kFuzzy:
      break;
  }
  return "similarity";
}

PartnerRecognition RecognisePartner(const Snapshot& snapshot, matcher::Need* need) {
  PartnerRecognition recognition;
  recognition.written = need->partner;
  const matcher::Partner& typed = need->partner;
  if (typed.id.empty() && typed.name.empty()) return recognition;
  recognition.resolved = ExactEntity(snapshot, need->country, typed);
  std::string from;  // what was typed, when it is not the record itself
  if (recognition.resolved) {
    // The record, spelt otherwise: an id in another case (or merged), a name in capitals.
    const PartnerEntity& entity = *recognition.resolved->partner;
    if (!typed.id.empty() && typed.id != entity.id) from = typed.id;
    if (typed.id.empty() && typed.name != entity.name) from = typed.name;
  } else {
    // Typed by hand: the name first, then the id as text.
    for (const std::string* text : {&typed.name, &typed.id}) {
      if (text->empty()) continue;
      understanding::PartnerResolution resolution =
          snapshot.partner_resolver.Resolve(need->country, *text, 1);
      if (resolution.resolved) {
        recognition.resolved = resolution.resolved;
        from = *text;
        break;
      }
    }
  }
  if (recognition.resolved) {
    const PartnerEntity& entity = *recognition.resolved->partner;
    need->partner.id = entity.id;
    need->partner.name = entity.name;
    if (from != entity.name) need->partner_recognised_from = from;
  }
  return recognition;
}

Json ResolvedPartnerJson(const PartnerRecognition& recognition) {
  if (!recognition.resolved) return nullptr;
  const PartnerCandidate& c = *recognition.resolved;
  return {{"id", c.partner->id},
          {"name", c.partner->name},
          {"score", c.score},
          {"matched_by", MatchedByName(c.kind)}};
}

Json SuggestedThemesJson(const Snapshot& snapshot, const std::string& text, size_t k) {
  Json out = Json::array();
  for (const understanding::ThemeSuggestion& s : snapshot.themes.Suggest(text, k)) {
    Json evidence = Json::array();
    for (const understanding::ThemeEvidence& e : s.evidence)
      evidence.push_back({{"source", e.source}, {"id", e.id}, {"terms", e.terms}});
    out.push_back({{"theme", s.theme},
                   {"label", s.label},
                   {"score", s.score},
                   {"evidence", std::move(evidence)}});
  }
  return out;
}

Json NeedSuggestedThemesJson(const Snapshot& snapshot, const std::string& description) {
  constexpr size_t kSuggestedFromBytes = 4000;
  if (description.empty()) return Json::array();
  return SuggestedThemesJson(snapshot, description.substr(0, kSuggestedFromBytes), 5);
}

Status Partners::Search(const Principal* caller, const QueryParameters& query, Json* out) const {
  std::vector<FieldIssue> errors;
  std::string country, text;
  size_t limit = 5;
  bool has_country = false, has_text = false;
  for (const auto& [name, value] : query) {
    if (name == "country") {
      has_country = true;
      country = value;
      if (!datasets::FindCountry(value))
        errors.push_back(
            {"", name, "unknown country \"" + value + "\", expected ISO 3166-1 alpha-2"});
    } else if (name == "q") {
      has_text = true;
      text = value;
      if (IsBlank(value)) {
        errors.push_back({"", name, "must contain a letter or a digit"});
      } else if (value.size() > kMaxQueryBytes) {
        errors.push_back({"", name, "is longer than " + std::to_string(kMaxQueryBytes) + " bytes"});
      }
    } else if (name == "limit") {
      char* end = nullptr;
      const long parsed = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || parsed < 1 ||
          parsed > static_cast<long>(kMaxCandidateCount)) {
        errors.push_back(
            {"", name, "must be an integer from 1 to " + std::to_string(kMaxCandidateCount)});
      } else {
        limit = static_cast<size_t>(parsed);
      }
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!has_country) errors.push_back({"", "country", "required: ISO 3166-1 alpha-2 code"});
  if (!has_text) errors.push_back({"", "q", "required: the partner's name as typed"});
  if (!errors.empty()) return Status::InvalidArgument("the partner search is invalid", errors);
  if (caller && !caller->MayActFor(country)) {
    return Status::Forbidden("this key may only look up partners of " + caller->country,
                             {{"", "country", "not this key's country"}});
  }
  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  *out = ResolutionJson(snapshot->partner_resolver.Resolve(country, text, limit));
  return Status::Ok();
}

Status Partners::Find(const Principal* caller, const std::string& id,
                      std::shared_ptr<const Snapshot>* snapshot,
                      const PartnerEntity** entity) const {
  *snapshot = snapshots_.current();
  *entity = (*snapshot)->partners.Find(id);
  // Another country's partner answers exactly as an unknown one.
  if (!*entity || (caller && !caller->MayActFor((*entity)->country))) {
    return Status::NotFound("unknown partner \"" + id + "\"",
                            {{"", "id", "no partner with this id"}});
  }
  return Status::Ok();
}

Json Partners::View(const Snapshot& snapshot, const PartnerEntity& entity) const {
  const matcher::Catalogue& catalogue = snapshot.catalogue;
  Json cooperations = Json::array();
  const matcher::Date today = *matcher::ParseIsoDate(Today());
  for (const matcher::Cooperation& link : catalogue.cooperations()) {
    if (link.partner.id != entity.id) continue;
    const int index = catalogue.FindCollectivite(link.collectivite);
    Json item{{"collectivite",
               {{"id", link.collectivite},
                {"name", index >= 0 ? catalogue.collectivites()[static_cast<size_t>(index)].name
                                    : link.collectivite}}},
              {"themes", link.themes},
              {"since", matcher::FormatIsoDate(link.since)},
              {"until", link.until ? Json(matcher::FormatIsoDate(*link.until)) : Json(nullptr)},
              {"active", link.ActiveOn(today)}};
    cooperations.push_back(std::move(item));
  }
  return {{"id", entity.id},
          {"country", entity.country},
          {"country_name", catalogue.CountryName(entity.country)},
          {"name", entity.name},
          {"aliases", entity.aliases},
          {"merged_ids", entity.merged_ids},
          {"cooperations", std::move(cooperations)}};
}

Status Partners::Get(const Principal* caller, const std::string& id, Json* out) const {
  std::shared_ptr<const Snapshot> snapshot;
  const PartnerEntity* entity = nullptr;
  if (Status status = Find(caller, id, &snapshot, &entity); !status.ok()) return status;
  *out = View(*snapshot, *entity);
  return Status::Ok();
}

Status Partners::AddAlias(const Principal* caller, const std::string& id, const Json& body,
                          Json* out) const {
  std::shared_ptr<const Snapshot> snapshot;
  const PartnerEntity* entity = nullptr;
  if (Status status = Find(caller, id, &snapshot, &entity); !status.ok()) return status;
  datasets::FieldErrors errors;
  std::string alias;
  if (!body.is_object()) {
    errors.push_back({FieldPath(), "expected a JSON object"});
  } else {
    for (const auto& [key, value] : body.items()) {
      if (key != "alias") errors.push_back({FieldPath().Key(key), "unknown field"});
    }
    const auto it = body.find("alias");
    if (it == body.end() || !it->is_string()) {
      errors.push_back({FieldPath().Key("alias"), "required: the spelling to attach (a string)"});
    } else if (alias = it->get<std::string>(); IsBlank(alias)) {
      errors.push_back({FieldPath().Key("alias"), "must contain a letter or a digit"});
    } else if (alias.size() > kMaxAliasBytes) {
      errors.push_back({FieldPath().Key("alias"),
                        "is longer than " + std::to_string(kMaxAliasBytes) + " bytes"});
    }
  }
  if (!errors.empty()) return Status::InvalidArgument("the alias is invalid", errors);

  // A spelling that already designates another partner of the country exactly would make
  // both ambiguous.
  understanding::PartnerResolution existing =
      snapshot->partner_resolver.Resolve(entity->country, alias, 2);
  for (const PartnerCandidate& candidate : existing.candidates) {
    if (candidate.score >= 1.0 && candidate.kind != understanding::MatchKind::kFuzzy &&
        candidate.partner != entity) {
      return Status::Conflict(
          "this spelling already designates another partner",
          {{"/alias", "",
            "already designates " + candidate.partner->name + " (" + candidate.partner->id + ")"}});
    }
  }
  Json view = View(*snapshot, *entity);
  if (!SpellingKnown(store_, *entity, alias)) {
    store_.AddPartnerAlias(
        {entity->id, alias, "daect", NowRfc3339(), caller ? caller->key_id : "cli"});
    view["aliases"].push_back(alias);
    snapshots_.RequestRefresh();
  }
  *out = std::move(view);
  return Status::Ok();
}

Status Partners::Merge(const Principal* caller, const std::string& id, const Json& body,
                       Json* out) const {
  std::shared_ptr<const Snapshot> snapshot;
  const PartnerEntity* from = nullptr;
  if (Status status = Find(caller, id, &snapshot, &from); !status.ok()) return status;
  if (!body.is_object() || !body.contains("into") || !body["into"].is_string()) {
    return Status::InvalidArgument(
        "the merge is invalid", {{"/into", "", "required: the id of the partner to merge into"}});
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "into")
      return Status::InvalidArgument("the merge is invalid", {{"/" + key, "", "unknown field"}});
  }
  const std::string into_id = body["into"].get<std::string>();
  const PartnerEntity* into = snapshot->partners.Find(into_id);
  if (!into || (caller && !caller->MayActFor(into->country))) {
    return Status::InvalidArgument("the merge is invalid",
                                   {{"/into", "", "unknown partner \"" + into_id + "\""}});
  }
  if (into == from) {
    return Status::InvalidArgument("the merge is invalid",
                                   {{"/into", "", "is the same partner (" + into->id + ")"}});
  }
  if (into->country != from->country) {
    return Status::InvalidArgument(
        "the merge is invalid",
        {{"/into", "", "is in " + into->country + ", the partner is in " + from->country}});
  }
  store_.AddPartnerMerge({from->id, into->id, NowRfc3339(), caller ? caller->key_id : "cli"});
  // The next snapshot holds the merged entity; answer with it now.
  snapshots_.Refresh();
  std::shared_ptr<const Snapshot> after = snapshots_.current();
  const PartnerEntity* merged = after->partners.Find(into->id);
  *out = merged ? View(*after, *merged) : Json(nullptr);
  return Status::Ok();
}

bool LearnPartnerAlias(store::Store& store, const Snapshot& snapshot, const matcher::Need& need,
                       const std::string& by) {
  matcher::Need copy = need;
  PartnerRecognition recognition = RecognisePartner(snapshot, &copy);
  if (!recognition.resolved || recognition.resolved->kind == understanding::MatchKind::kId)
    return false;
  const PartnerEntity& entity = *recognition.resolved->partner;
  const std::string& typed = need.partner.name;
  if (typed.empty() || SpellingKnown(store, entity, typed)) return false;
  store.AddPartnerAlias({entity.id, typed, "decision", NowRfc3339(), by});
  return true;
}

Status SuggestThemes(const Snapshot& snapshot, const Json& body, Json* out) {
  datasets::FieldErrors errors;
  std::string text;
  size_t k = 5;
  if (!body.is_object()) {
    errors.push_back({FieldPath(), "expected a JSON object"});
  } else {
    for (const auto& [key, value] : body.items()) {
      if (key != "text" && key != "k") errors.push_back({FieldPath().Key(key), "unknown field"});
    }
    const auto t = body.find("text");
    if (t == body.end() || !t->is_string()) {
      errors.push_back({FieldPath().Key("text"), "required: the need's description (a string)"});
    } else if (text = t->get<std::string>(); IsBlank(text)) {
      errors.push_back({FieldPath().Key("text"), "must contain a letter or a digit"});
    } else if (text.size() > datasets::kMaxDescriptionBytes) {
      errors.push_back(
          {FieldPath().Key("text"),
           "is longer than " + std::to_string(datasets::kMaxDescriptionBytes) + " bytes"});
    }
    if (const auto kk = body.find("k"); kk != body.end()) {
      if (!kk->is_number_integer() || kk->get<long long>() < 1 ||
          kk->get<long long>() > static_cast<long long>(kMaxSuggestionCount)) {
        errors.push_back({FieldPath().Key("k"),
                          "must be an integer from 1 to " + std::to_string(kMaxSuggestionCount)});
      } else {
        k = kk->get<size_t>();
      }
    }
  }
  if (!errors.empty()) return Status::InvalidArgument("the suggestion request is invalid", errors);
  *out = {{"suggestions", SuggestedThemesJson(snapshot, text, k)}};
  return Status::Ok();
}

}  // namespace expectmatch::service
