#include "expectmatch/service/match_json.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "expectmatch/service/json_writer.h"
#include "expectmatch/service/understanding.h"

namespace expectmatch::service {

using datasets::FieldPath;
using datasets::Json;

std::optional<MatchRequest> DecodeMatchRequest(const Json& body, const datasets::References& refs,
                                               datasets::FieldErrors* errors) {
  const size_t first_error = errors->size();
  const FieldPath root;
  if (!body.is_object()) {
    errors->push_back(
        {root, "expected a JSON object, got " + std::string(datasets::JsonTypeName(body))});
    return std::nullopt;
  }
  static const std::set<std::string> kKnown = {
      "need_id", "need",          "k", "explain", "include_excluded", "profile", "profile_version",
      "weights", "max_per_region"};
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
    errors->push_back(
        {root.Key("need_id"), "required: the id of a stored need (or an inline need in `need`)"});
  } else if (has_id) {
    if (!need_id->is_string() || need_id->get<std::string>().empty()) {
      errors->push_back({root.Key("need_id"), "expected a non-empty string, got " +
                                                  std::string(datasets::JsonTypeName(*need_id))});
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
      errors->push_back(
          {root.Key("k"), "expected an integer, got " + std::string(datasets::JsonTypeName(*k))});
    } else if (k->is_number_unsigned()
                   ? (k->get<unsigned long long>() < 1 || k->get<unsigned long long>() > kMaxK)
                   : (k->get<long long>() < 1 ||
                      k->get<long long>() > static_cast<long long>(kMaxK))) {
      errors->push_back({root.Key("k"), "must be between 1 and " + std::to_string(kMaxK)});
    } else {
      request.k = static_cast<size_t>(k->get<long long>());
    }
  }
  for (auto [key, target] : {std::pair{"explain", &request.explain},
                             std::pair{"include_excluded", &request.include_excluded}}) {
    if (auto flag = body.find(key); flag != body.end()) {
      if (!flag->is_boolean()) {
        errors->push_back({root.Key(key), "expected a boolean, got " +
                                              std::string(datasets::JsonTypeName(*flag))});
      } else {
        *target = flag->get<bool>();
      }
    }
  }
  if (auto profile = body.find("profile"); profile != body.end()) {
    if (!profile->is_string() || profile->get<std::string>().empty()) {
      errors->push_back({root.Key("profile"), "expected a non-empty string, got " +
                                                  std::string(datasets::JsonTypeName(*profile))});
    } else {
      request.profile = profile->get<std::string>();
    }
  }
  if (auto version = body.find("profile_version"); version != body.end() && !version->is_null()) {
    if (!version->is_number_integer() || version->get<long long>() < 1 ||
        version->get<long long>() > 1'000'000) {
      errors->push_back({root.Key("profile_version"), "expected a positive integer"});
    } else {
      request.profile_version = static_cast<int>(version->get<long long>());
    }
  }
  if (auto weights = body.find("weights"); weights != body.end() && !weights->is_null()) {
    if (auto decoded = DecodeWeights(*weights, root.Key("weights"), /*complete=*/false, errors))
      request.weights = *decoded;
  }
  if (auto cap = body.find("max_per_region"); cap != body.end() && !cap->is_null()) {
    if (!cap->is_number_integer() || cap->get<long long>() < 1 ||
        cap->get<long long>() > static_cast<long long>(kMaxPerRegionLimit)) {
      errors->push_back({root.Key("max_per_region"),
                         "must be an integer between 1 and " + std::to_string(kMaxPerRegionLimit)});
    } else {
      request.max_per_region = static_cast<size_t>(cap->get<long long>());
    }
  }
  if (errors->size() != first_error) return std::nullopt;
  return request;
}

std::optional<std::array<std::optional<double>, matcher::kFeatureCount>> DecodeWeights(
    const Json& json, const FieldPath& path, bool complete, datasets::FieldErrors* errors) {
  const size_t first_error = errors->size();
  std::array<std::optional<double>, matcher::kFeatureCount> out;
  if (!json.is_object()) {
    errors->push_back({path, "expected an object of feature weights, got " +
                                 std::string(datasets::JsonTypeName(json))});
    return std::nullopt;
  }
  for (const auto& [key, value] : json.items()) {
    matcher::Feature feature;
    if (!matcher::FeatureFromName(key, &feature)) {
      std::string known;
      for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
        known +=
            (f ? ", " : "") + std::string(matcher::FeatureName(static_cast<matcher::Feature>(f)));
      }
      errors->push_back({path.Key(key), "unknown feature, expected one of " + known});
      continue;
    }
    if (!value.is_number()) {
      errors->push_back(
          {path.Key(key), "expected a number, got " + std::string(datasets::JsonTypeName(value))});
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
        errors->push_back(
            {path.Key(std::string(matcher::FeatureName(static_cast<matcher::Feature>(f)))),
             "required field is missing"});
      }
    }
  }
  if (errors->size() != first_error) return std::nullopt;
  return out;
}

Json EncodeWeights(const matcher::FeatureVector& weights) {
  Json out = Json::object();
  for (size_t f = 0; f < matcher::kFeatureCount; ++f)
    out[std::string(matcher::FeatureName(static_cast<matcher::Feature>(f)))] = weights[f];
  return out;
}

std::optional<matcher::Profile> EffectiveProfile(const matcher::Profile& base,
                                                 const MatchRequest& request,
                                                 datasets::FieldErrors* errors) {
  matcher::Profile profile = base;
  double total = 0.0;
  for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
    if (request.weights[f]) profile.weights[f] = *request.weights[f];
    total += profile.weights[f];
  }
  if (total <= 0.0) {
    errors->push_back(
        {FieldPath().Key("weights"), "at least one effective weight must be positive"});
    return std::nullopt;
  }
  return profile;
}

namespace {

// Indices 0..N-1 ordered by their names, as nlohmann::json (a std::map) orders an object's keys.
template <size_t N, typename NameOf>
std::array<size_t, N> ByName(NameOf name_of) {
  std::array<size_t, N> order;
  for (size_t i = 0; i < N; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return name_of(a) < name_of(b); });
  return order;
}

std::string_view FeatureNameAt(size_t f) {
  return matcher::FeatureName(static_cast<matcher::Feature>(f));
}
std::string_view FilterNameAt(size_t f) {
  return matcher::FilterName(static_cast<matcher::Filter>(f));
}

// {"availability": v, ...}: one value per feature, keys sorted.
void WriteFeatureObject(JsonWriter& out, const matcher::FeatureVector& values) {
  static const auto kOrder = ByName<matcher::kFeatureCount>(FeatureNameAt);
  out.BeginObject();
  for (size_t f : kOrder) out.Member(FeatureNameAt(f), values[f]);
  out.EndObject();
}

}  // namespace

std::string EncodeLoggedCandidates(const matcher::Ranking& ranking,
                                   const matcher::Catalogue& catalogue) {
  // Compact, one short array per candidate in rank order: the log keeps a row per request and
  // SQLite a page per row beyond half a page, so names repeated per candidate cost pages.
  std::string text;
  JsonWriter out(text);
  out.BeginArray();
  for (const matcher::Candidate& candidate : ranking.candidates) {
    out.BeginArray()
        .String(catalogue.collectivites()[candidate.collectivite].id)
        .Number(candidate.score)
        .BeginArray();
    for (double value : candidate.values) out.Number(value);
    out.EndArray().EndArray();
  }
  out.EndArray();
  return text;
}

std::string EncodeLoggedServing(const matcher::Profile& effective, const MatchRequest& request) {
  Json overridden = Json::array();
  for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
    if (request.weights[f])
      overridden.push_back(std::string(matcher::FeatureName(static_cast<matcher::Feature>(f))));
  }
  return Json{{"weights", EncodeWeights(effective.weights)},
              {"overridden", std::move(overridden)},
              {"k", request.k},
              {"max_per_region", request.max_per_region}}
      .dump();
}

// Written member by member with keys sorted, as the nlohmann::json object it replaced
// (bench/service_bench.cc measures both halves of a match request).
std::string EncodeRanking(const matcher::Ranking& ranking, const matcher::Catalogue& catalogue,
                          const matcher::Need& need, bool explain, const MatchRequest* request,
                          const std::string& request_id, const PartnerRecognition* partner) {
  static const auto kFilterOrder = ByName<matcher::kFilterCount>(FilterNameAt);
  const auto& collectivites = catalogue.collectivites();
  std::string text;
  text.reserve(explain ? 2048 + 1536 * ranking.candidates.size()
                       : 1024 + 384 * ranking.candidates.size());
  JsonWriter out(text);
  out.BeginObject().Key("candidates").BeginArray();
  for (size_t rank = 0; rank < ranking.candidates.size(); ++rank) {
    const matcher::Candidate& candidate = ranking.candidates[rank];
    const matcher::Collectivite& c = collectivites[candidate.collectivite];
    out.BeginObject().Key("collectivite").BeginObject();
    out.Member("id", c.id)
        .Member("kind", datasets::KindName(c.kind))
        .Member("name", c.name)
        .Member("region", c.region);
    out.EndObject();
    if (explain) {
      out.Key("explanation").BeginObject().Key("contributions").BeginArray();
      for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
        out.BeginObject()
            .Member("contribution", candidate.contributions[f])
            .Member("feature", FeatureNameAt(f))
            .Member("reason", candidate.reasons[f])
            .Member("value", candidate.values[f])
            .Member("weight", ranking.profile.weights[f])
            .EndObject();
      }
      out.EndArray().Key("reasons").BeginArray();
      for (const std::string& reason : candidate.reasons) {
        if (!reason.empty()) out.String(reason);
      }
      out.EndArray().EndObject();
    }
    out.Key("features");
    WriteFeatureObject(out, candidate.values);
    out.Member("rank", rank + 1).Member("score", candidate.score).EndObject();
  }
  out.EndArray();
  out.Member("considered", ranking.considered);
  if (request && request->max_per_region > 0) {
    out.Key("diversity").BeginObject();
    out.Member("max_per_region", request->max_per_region)
        .Member("skipped", ranking.diversity_skipped)
        .EndObject();
  }
  out.Member("eligible", ranking.eligible);

  out.Key("excluded").BeginObject().Key("by_filter").BeginObject();
  size_t excluded_total = 0;
  for (size_t f : kFilterOrder) out.Member(FilterNameAt(f), ranking.excluded_counts[f]);
  for (size_t count : ranking.excluded_counts) excluded_total += count;
  out.EndObject();
  if (!ranking.excluded.empty()) {
    out.Key("items").BeginArray();
    for (const matcher::Exclusion& exclusion : ranking.excluded) {
      const matcher::Collectivite& c = collectivites[exclusion.collectivite];
      out.BeginObject()
          .Key("collectivite")
          .BeginObject()
          .Member("id", c.id)
          .Member("name", c.name)
          .EndObject();
      out.Member("filter", matcher::FilterName(exclusion.filter))
          .Member("reason", matcher::FilterLabelFrench(exclusion.filter))
          .EndObject();
    }
    out.EndArray();
  }
  out.Member("total", excluded_total).EndObject();

  out.Key("need").BeginObject();
  out.Member("country", need.country)
      .Member("country_name", catalogue.CountryName(need.country))
      .Member("id", need.id);
  if (partner) {
    // As the need wrote it, and what it was recognised as.
    out.Key("partner").BeginObject();
    if (!partner->written.id.empty()) out.Member("id", partner->written.id);
    out.Member("name", partner->written.name).Key("resolved");
    if (partner->resolved) {
      out.BeginObject()
          .Member("id", partner->resolved->partner->id)
          .Member("matched_by", MatchedByName(partner->resolved->kind))
          .Member("name", partner->resolved->partner->name)
          .Member("score", partner->resolved->score)
          .EndObject();
    } else {
      out.Null();
    }
    out.EndObject();
  }
  out.Key("period").BeginObject();
  out.Member("end", matcher::FormatIsoDate(need.period.end))
      .Member("start", matcher::FormatIsoDate(need.period.start));
  out.EndObject().Key("themes").BeginArray();
  for (const auto& theme : need.themes) {
    out.BeginObject()
        .Member("label", catalogue.taxonomy().Get(theme.theme).label)
        .Member("theme", theme.theme)
        .Member("weight", theme.weight)
        .EndObject();
  }
  out.EndArray().EndObject();

  out.Key("profile")
      .BeginObject()
      .Member("name", ranking.profile.name)
      .Key("overridden")
      .BeginArray();
  for (size_t f = 0; request && f < matcher::kFeatureCount; ++f) {
    if (request->weights[f]) out.String(FeatureNameAt(f));
  }
  out.EndArray().Member("version", ranking.profile.version).Key("weights");
  WriteFeatureObject(out, ranking.profile.weights);
  out.EndObject();
  if (!request_id.empty()) out.Member("request_id", request_id);
  out.EndObject();
  return text;
}

}  // namespace expectmatch::service
