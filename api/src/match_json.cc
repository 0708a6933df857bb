#include "expectmatch/api/match_json.h"

#include <set>

namespace expectmatch::api {

using datasets::FieldPath;
using datasets::Json;

std::optional<MatchRequest> DecodeMatchRequest(const Json& body, const datasets::References& refs,
                                               datasets::FieldErrors* errors) {
  const size_t first_error = errors->size();
  const FieldPath root;
  if (!body.is_object()) {
    errors->push_back({root, "expected a JSON object, got " + std::string(datasets::JsonTypeName(body))});
    return std::nullopt;
  }
  static const std::set<std::string> kKnown = {"need_id", "need", "k", "explain", "include_excluded", "profile"};
  for (const auto& [key, value] : body.items()) {
    if (!kKnown.count(key)) errors->push_back({root.Key(key), "unknown field"});
  }

  MatchRequest request;
  auto need_id = body.find("need_id");
  auto need = body.find("need");
  bool has_id = need_id != body.end() && !need_id->is_null();
  bool has_need = need != body.end() && !need->is_null();
  if (has_id && has_need) {
    errors->push_back({root.Key("need"), "give either need_id or need, not both"});
  } else if (!has_id && !has_need) {
    errors->push_back({root.Key("need_id"), "required: the id of a stored need (or an inline need in `need`)"});
  } else if (has_id) {
    if (!need_id->is_string() || need_id->get<std::string>().empty()) {
      errors->push_back({root.Key("need_id"), "expected a non-empty string, got " + std::string(datasets::JsonTypeName(*need_id))});
    } else {
      request.need_id = need_id->get<std::string>();
    }
  } else {
    Json inline_need = *need;
    if (inline_need.is_object() && !inline_need.contains("id")) inline_need["id"] = "inline";
    request.need = datasets::DecodeNeed(inline_need, root.Key("need"), refs, errors);
  }

  if (auto k = body.find("k"); k != body.end()) {
    if (!k->is_number_integer()) {
      errors->push_back({root.Key("k"), "expected an integer, got " + std::string(datasets::JsonTypeName(*k))});
    } else if (k->is_number_unsigned() ? (k->get<unsigned long long>() < 1 || k->get<unsigned long long>() > kMaxK)
                                       : (k->get<long long>() < 1 || k->get<long long>() > static_cast<long long>(kMaxK))) {
      errors->push_back({root.Key("k"), "must be between 1 and " + std::to_string(kMaxK)});
    } else {
      request.k = static_cast<size_t>(k->get<long long>());
    }
  }
  for (auto [key, target] : {std::pair{"explain", &request.explain}, std::pair{"include_excluded", &request.include_excluded}}) {
    if (auto flag = body.find(key); flag != body.end()) {
      if (!flag->is_boolean()) {
        errors->push_back({root.Key(key), "expected a boolean, got " + std::string(datasets::JsonTypeName(*flag))});
      } else {
        *target = flag->get<bool>();
      }
    }
  }
  if (auto profile = body.find("profile"); profile != body.end()) {
    if (!profile->is_string() || profile->get<std::string>().empty()) {
      errors->push_back({root.Key("profile"), "expected a non-empty string, got " + std::string(datasets::JsonTypeName(*profile))});
    } else {
      request.profile = profile->get<std::string>();
    }
  }
  if (errors->size() != first_error) return std::nullopt;
  return request;
}

Json EncodeRanking(const matcher::Ranking& ranking, const matcher::Catalogue& catalogue, const matcher::Need& need,
                   bool explain) {
  const auto& collectivites = catalogue.collectivites();
  Json weights = Json::object();
  for (size_t i = 0; i < matcher::kFeatureCount; ++i) {
    weights[std::string(matcher::FeatureName(static_cast<matcher::Feature>(i)))] = ranking.profile.weights[i];
  }
  Json themes = Json::array();
  for (const auto& theme : need.themes) {
    themes.push_back({{"theme", theme.theme}, {"label", catalogue.taxonomy().Get(theme.theme).label}, {"weight", theme.weight}});
  }

  Json candidates = Json::array();
  for (size_t rank = 0; rank < ranking.candidates.size(); ++rank) {
    const matcher::Candidate& candidate = ranking.candidates[rank];
    const matcher::Collectivite& c = collectivites[candidate.collectivite];
    Json features = Json::object();
    Json contributions = Json::array();
    Json reasons = Json::array();
    for (size_t i = 0; i < matcher::kFeatureCount; ++i) {
      std::string name(matcher::FeatureName(static_cast<matcher::Feature>(i)));
      features[name] = candidate.values[i];
      Json contribution{{"feature", name},
                        {"value", candidate.values[i]},
                        {"weight", ranking.profile.weights[i]},
                        {"contribution", candidate.contributions[i]}};
      if (explain) {
        contribution["reason"] = candidate.reasons[i];
        if (!candidate.reasons[i].empty()) reasons.push_back(candidate.reasons[i]);
      }
      contributions.push_back(std::move(contribution));
    }
    Json entry{{"rank", rank + 1},
               {"collectivite", {{"id", c.id}, {"name", c.name}, {"kind", datasets::KindName(c.kind)}, {"region", c.region}}},
               {"score", candidate.score},
               {"features", features}};
    if (explain) entry["explanation"] = {{"contributions", contributions}, {"reasons", reasons}};
    candidates.push_back(std::move(entry));
  }

  Json by_filter = Json::object();
  size_t excluded_total = 0;
  for (size_t f = 0; f < matcher::kFilterCount; ++f) {
    by_filter[std::string(matcher::FilterName(static_cast<matcher::Filter>(f)))] = ranking.excluded_counts[f];
    excluded_total += ranking.excluded_counts[f];
  }
  Json excluded{{"total", excluded_total}, {"by_filter", by_filter}};
  if (!ranking.excluded.empty()) {
    Json items = Json::array();
    for (const matcher::Exclusion& exclusion : ranking.excluded) {
      const matcher::Collectivite& c = collectivites[exclusion.collectivite];
      items.push_back({{"collectivite", {{"id", c.id}, {"name", c.name}}},
                       {"filter", matcher::FilterName(exclusion.filter)},
                       {"reason", matcher::FilterLabelFrench(exclusion.filter)}});
    }
    excluded["items"] = std::move(items);
  }

  return Json{{"need",
               {{"id", need.id},
                {"country", need.country},
                {"country_name", catalogue.CountryName(need.country)},
                {"themes", themes},
                {"period", {{"start", matcher::FormatIsoDate(need.period.start)}, {"end", matcher::FormatIsoDate(need.period.end)}}}}},
              {"profile", {{"name", ranking.profile.name}, {"version", ranking.profile.version}, {"weights", weights}}},
              {"considered", ranking.considered},
              {"eligible", ranking.eligible},
              {"excluded", excluded},
              {"candidates", candidates}};
}

}  // namespace expectmatch::api
