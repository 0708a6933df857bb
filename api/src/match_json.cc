#include "expectmatch/api/match_json.h"

#include <cmath>
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
  static const std::set<std::string> kKnown = {"need_id", "need",    "k",       "explain",       "include_excluded",
                                              "profile", "profile_version", "weights", "max_per_region"};
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
  if (auto version = body.find("profile_version"); version != body.end() && !version->is_null()) {
    if (!version->is_number_integer() || version->get<long long>() < 1 || version->get<long long>() > 1'000'000) {
      errors->push_back({root.Key("profile_version"), "expected a positive integer"});
    } else {
      request.profile_version = static_cast<int>(version->get<long long>());
    }
  }
  if (auto weights = body.find("weights"); weights != body.end() && !weights->is_null()) {
    if (auto decoded = DecodeWeights(*weights, root.Key("weights"), /*complete=*/false, errors)) request.weights = *decoded;
  }
  if (auto cap = body.find("max_per_region"); cap != body.end() && !cap->is_null()) {
    if (!cap->is_number_integer() || cap->get<long long>() < 1 || cap->get<long long>() > static_cast<long long>(kMaxPerRegionLimit)) {
      errors->push_back({root.Key("max_per_region"), "must be an integer between 1 and " + std::to_string(kMaxPerRegionLimit)});
    } else {
      request.max_per_region = static_cast<size_t>(cap->get<long long>());
    }
  }
  if (errors->size() != first_error) return std::nullopt;
  return request;
}

std::optional<std::array<std::optional<double>, matcher::kFeatureCount>> DecodeWeights(const Json& json,
                                                                                      const FieldPath& path, bool complete,
                                                                                      datasets::FieldErrors* errors) {
  const size_t first_error = errors->size();
  std::array<std::optional<double>, matcher::kFeatureCount> out;
  if (!json.is_object()) {
    errors->push_back({path, "expected an object of feature weights, got " + std::string(datasets::JsonTypeName(json))});
    return std::nullopt;
  }
  for (const auto& [key, value] : json.items()) {
    matcher::Feature feature;
    if (!matcher::FeatureFromName(key, &feature)) {
      std::string known;
      for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
        known += (f ? ", " : "") + std::string(matcher::FeatureName(static_cast<matcher::Feature>(f)));
      }
      errors->push_back({path.Key(key), "unknown feature, expected one of " + known});
      continue;
    }
    if (!value.is_number()) {
      errors->push_back({path.Key(key), "expected a number, got " + std::string(datasets::JsonTypeName(value))});
      continue;
    }
    double weight = value.get<double>();
    if (!std::isfinite(weight) || weight < matcher::kMinWeight || weight > matcher::kMaxWeight) {
      errors->push_back({path.Key(key), "must be a number between 0 and 10"});
      continue;
    }
    out[static_cast<size_t>(feature)] = weight;
  }
  if (complete) {
    for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
      if (!out[f]) {
        errors->push_back({path.Key(std::string(matcher::FeatureName(static_cast<matcher::Feature>(f)))), "required field is missing"});
      }
    }
  }
  if (errors->size() != first_error) return std::nullopt;
  return out;
}

Json EncodeWeights(const matcher::FeatureVector& weights) {
  Json out = Json::object();
  for (size_t f = 0; f < matcher::kFeatureCount; ++f) out[std::string(matcher::FeatureName(static_cast<matcher::Feature>(f)))] = weights[f];
  return out;
}

std::optional<matcher::Profile> EffectiveProfile(const matcher::Profile& base, const MatchRequest& request,
                                                 datasets::FieldErrors* errors) {
  matcher::Profile profile = base;
  double total = 0.0;
  for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
    if (request.weights[f]) profile.weights[f] = *request.weights[f];
    total += profile.weights[f];
  }
  if (total <= 0.0) {
    errors->push_back({FieldPath().Key("weights"), "at least one effective weight must be positive"});
    return std::nullopt;
  }
  return profile;
}

Json EncodeLoggedCandidates(const matcher::Ranking& ranking, const matcher::Catalogue& catalogue) {
  Json out = Json::array();
  for (size_t rank = 0; rank < ranking.candidates.size(); ++rank) {
    const matcher::Candidate& candidate = ranking.candidates[rank];
    Json features = Json::object();
    for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
      features[std::string(matcher::FeatureName(static_cast<matcher::Feature>(f)))] = candidate.values[f];
    }
    out.push_back({{"rank", rank + 1},
                   {"collectivite", catalogue.collectivites()[candidate.collectivite].id},
                   {"score", candidate.score},
                   {"features", std::move(features)}});
  }
  return out;
}

Json EncodeRanking(const matcher::Ranking& ranking, const matcher::Catalogue& catalogue, const matcher::Need& need,
                   bool explain, const MatchRequest* request) {
  const auto& collectivites = catalogue.collectivites();
  Json overridden = Json::array();
  for (size_t f = 0; request && f < matcher::kFeatureCount; ++f) {
    if (request->weights[f]) overridden.push_back(matcher::FeatureName(static_cast<matcher::Feature>(f)));
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

  Json out{{"need",
               {{"id", need.id},
                {"country", need.country},
                {"country_name", catalogue.CountryName(need.country)},
                {"themes", themes},
                {"period", {{"start", matcher::FormatIsoDate(need.period.start)}, {"end", matcher::FormatIsoDate(need.period.end)}}}}},
              {"profile",
               {{"name", ranking.profile.name},
                {"version", ranking.profile.version},
                {"weights", EncodeWeights(ranking.profile.weights)},
                {"overridden", overridden}}},
              {"considered", ranking.considered},
              {"eligible", ranking.eligible},
              {"excluded", excluded},
              {"candidates", candidates}};
  if (request && request->max_per_region > 0) {
    out["diversity"] = {{"max_per_region", request->max_per_region}, {"skipped", ranking.diversity_skipped}};
  }
  return out;
}

}  // namespace expectmatch::api
