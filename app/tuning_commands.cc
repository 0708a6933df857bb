#include "tuning_commands.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "expectmatch/datasets/loader.h"
#include "expectmatch/datasets/reference.h"
#include "expectmatch/service/match_json.h"
#include "expectmatch/service/profiles.h"
#include "expectmatch/service/ranking_log.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/store/store.h"
#include "expectmatch/tuning/format.h"
#include "expectmatch/tuning/history.h"
#include "expectmatch/tuning/metrics.h"
#include "expectmatch/tuning/report.h"
#include "expectmatch/tuning/tune.h"

namespace expectmatch::app {
namespace {

using datasets::Json;
using tuning::HistoricalNeed;
using tuning::Weights;

[[noreturn]] void Fail(const std::string& message, int code = 1) {
  std::cerr << "erreur : " << message << "\n";
  throw CLI::RuntimeError(code);
}

using tuning::Fixed;
using tuning::Fr;
std::string Pad(const std::string& text, size_t width, bool right = false) {
  // Width in characters (UTF-8 continuation bytes do not count).
  size_t shown = 0;
  for (unsigned char c : text) shown += (c & 0xC0) != 0x80;
  if (shown >= width) return text;
  std::string fill(width - shown, ' ');
  return right ? fill + text : text + fill;
}

// Progress on stderr: rewritten in place on a terminal, else a line per stage's end.
tuning::Progress StderrProgress() {
  const bool terminal = isatty(STDERR_FILENO) == 1;
  return [terminal](std::string_view stage, size_t done, size_t total) {
    if (terminal) {
      std::cerr << "\r" << stage << " : " << done << "/" << total << "   "
                << (done == total ? "\n" : "") << std::flush;
    } else if (done == total) {
      std::cerr << stage << " : " << done << "/" << total << "\n";
    }
  };
}

// Where the historical needs come from.
struct Source {
  std::string data;  // a data set folder
  std::string db;    // or the service's database
  std::string Label() const { return db.empty() ? data : db; }
};

void AddSourceOptions(CLI::App* command, Source* source) {
  command->add_option("data", source->data, "Dossier du jeu de données (besoins passés décidés)");
  command->add_option("--db", source->db,
                      "Base SQLite du service (classements journalisés, décisions, notes)");
}

// `--profile @served` (with --db): each need ranked with the weights it was served with.
constexpr const char* kServed = "@served";

// The effective weights a logged ranking was served with ({"weights": {...}, ...}); nullopt when
// the row predates them or they do not read.
std::optional<matcher::FeatureVector> ServedWeights(const std::string& served) {
  if (served.empty()) return std::nullopt;
  Json doc = Json::parse(served, nullptr, false);
  if (!doc.is_object() || !doc.contains("weights") || !doc["weights"].is_object())
    return std::nullopt;
  matcher::FeatureVector weights{};
  for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
    const std::string name(matcher::FeatureName(static_cast<matcher::Feature>(f)));
    if (!doc["weights"].contains(name) || !doc["weights"][name].is_number()) return std::nullopt;
    weights[f] = doc["weights"][name].get<double>();
  }
  return weights;
}

// Builds one historical need from a logged ranking; nullopt (with a warning) when malformed.
std::optional<HistoricalNeed> FromLog(const store::LoggedDecisionRow& row) {
  Json candidates = Json::parse(row.candidates, nullptr, false);
  if (!candidates.is_array()) return std::nullopt;
  std::vector<std::string> ids;
  std::vector<matcher::FeatureVector> features;
  for (const Json& c : candidates) {
    matcher::FeatureVector values{};
    if (c.is_array()) {  // [id, score, [values in feature order]]
      if (c.size() != 3 || !c[0].is_string() || !c[2].is_array() ||
          c[2].size() != matcher::kFeatureCount) {
        return std::nullopt;
      }
      for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
        if (!c[2][f].is_number()) return std::nullopt;
        values[f] = c[2][f].get<double>();
      }
      ids.push_back(c[0].get<std::string>());
      features.push_back(values);
      continue;
    }
    // Rows logged before: {collectivite, features: {name: value}, rank, score}.
    if (!c.is_object() || !c.contains("collectivite") || !c["collectivite"].is_string() ||
        !c.contains("features") || !c["features"].is_object()) {
      return std::nullopt;
    }
    for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
      const std::string name(matcher::FeatureName(static_cast<matcher::Feature>(f)));
      const Json& features_json = c["features"];
      if (!features_json.contains(name) || !features_json[name].is_number()) return std::nullopt;
      values[f] = features_json[name].get<double>();
    }
    ids.push_back(c["collectivite"].get<std::string>());
    features.push_back(values);
  }
  std::optional<matcher::Date> day = matcher::ParseIsoDateOrDateTime(row.decided_at);
  HistoricalNeed need = tuning::JudgeNeed(row.need_id, day.value_or(matcher::Date{}),
                                          row.collectivite, row.rating, std::move(ids), features);
  need.served = ServedWeights(row.served);
  return need;
}

std::vector<HistoricalNeed> LoadHistory(const Source& source) {
  if (source.data.empty() == source.db.empty())
    Fail("indiquez soit un dossier de jeu de données, soit --db FICHIER");
  std::vector<HistoricalNeed> needs;
  if (!source.db.empty()) {
    if (!std::filesystem::exists(source.db)) Fail("base introuvable : " + source.db);
    try {
      store::Store store(source.db);
      service::ProfileResolver profiles(&store);
      size_t skipped = 0, overridden = 0, presumed = 0, changed = 0, declined = 0;
      for (const store::LoggedDecisionRow& row : store.LoggedDecisions()) {
        std::optional<HistoricalNeed> need = FromLog(row);
        if (!need) {
          ++skipped;
          continue;
        }
        // An authority that declined a proposal of the need is one of the logged candidates
        // (the ranking is the one the proposals were made from) and is judged like every
        // candidate not chosen: a negative.
        for (const std::string& id : row.declined) {
          declined += std::count(need->candidates.begin(), need->candidates.end(), id) > 0;
        }
        // A stored need is logged by reference: the need is the stored one, the same as when
        // it was ranked unless its hash differs (edited since). The logged feature values are
        // those served either way, so the need still counts; it is only reported.
        if (row.need.empty() && !row.need_hash.empty() &&
            service::StoredNeedDigest(row.stored_need) != row.need_hash) {
          ++changed;
        }
        if (need->served) {
          Json served = Json::parse(row.served, nullptr, false);
          overridden += served.is_object() && served.contains("overridden") &&
                        served["overridden"].is_array() && !served["overridden"].empty();
        } else if (matcher::Profile profile;
                   profiles.Resolve(row.profile, row.profile_version, &profile).ok()) {
          // Logged before the served weights were kept: the profile's, overrides unknown.
          need->served = profile.weights;
          ++presumed;
        }
        needs.push_back(std::move(*need));
      }
      if (skipped > 0)
        std::cerr << "attention : " << skipped << " classements journalisés illisibles ignorés\n";
      if (overridden > 0) {
        std::cerr << overridden
                  << " classements servis avec des pondérations modifiées par la requête "
                     "(comptés avec celles-ci)\n";
      }
      if (changed > 0) {
        std::cerr << "attention : " << changed
                  << " besoins modifiés depuis leur classement journalisé (empreinte différente) : "
                     "leurs critères restent ceux servis ce jour-là\n";
      }
      if (declined > 0) {
        std::cerr << declined
                  << " collectivités ayant décliné une proposition comptées comme non retenues\n";
      }
      if (presumed > 0) {
        std::cerr << "attention : " << presumed
                  << " classements journalisés sans leurs pondérations effectives (antérieurs) : "
                     "celles de leur profil sont supposées\n";
      }
    } catch (const std::exception& e) {
      Fail(std::string("lecture de la base impossible : ") + e.what());
    }
    std::cerr << needs.size() << " besoins décidés avec un classement journalisé dans " << source.db
              << "\n";
  } else {
    if (!std::filesystem::is_directory(source.data)) Fail("dossier introuvable : " + source.data);
    datasets::LoadResult loaded = datasets::LoadDatasetDir(source.data);
    if (!loaded.ok()) {
      for (const std::string& error : loaded.errors) std::cerr << error << "\n";
      Fail("le jeu de données " + source.data + " est invalide");
    }
    needs = tuning::BuildHistory(loaded.dataset, datasets::CountryTable(), StderrProgress());
  }
  if (needs.empty())
    Fail("aucun besoin passé décidé dans " + source.Label() +
         " (il faut une collectivité choisie)");
  return needs;
}

// A profile by name (stored in --db, else built in) or from a JSON file written by `tune`
// (or any PUT /v1/profiles body: {"name"?, "description"?, "weights": {...}}).
matcher::Profile ResolveProfile(const std::string& spec, const std::string& db) {
  if (std::filesystem::is_regular_file(spec)) {
    std::ifstream in(spec, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    Json doc = Json::parse(text.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
      Fail(spec + " : JSON invalide, un objet est attendu");
    if (!doc.contains("weights")) Fail(spec + " : champ « weights » manquant");
    datasets::FieldErrors errors;
    auto weights = service::DecodeWeights(doc["weights"], datasets::FieldPath(spec).Key("weights"),
                                          true, &errors);
    if (!errors.empty() || !weights) {
      for (const auto& e : errors) std::cerr << e.ToString() << "\n";
      Fail(spec + " : pondérations invalides");
    }
    matcher::Profile profile;
    profile.name = doc.contains("name") && doc["name"].is_string()
                       ? doc["name"].get<std::string>()
                       : std::filesystem::path(spec).stem().string();
    double total = 0.0;
    for (size_t f = 0; f < matcher::kFeatureCount; ++f)
      total += profile.weights[f] = (*weights)[f].value_or(0.0);
    if (total <= 0.0) Fail(spec + " : au moins une pondération doit être positive");
    return profile;
  }
  std::optional<matcher::Profile> profile;
  try {
    std::unique_ptr<store::Store> store =
        db.empty() || !std::filesystem::exists(db) ? nullptr : std::make_unique<store::Store>(db);
    profile = service::ProfileResolver(store.get()).Latest(spec);
  } catch (const std::exception& e) {
    Fail(e.what());
  }
  if (!profile) Fail("profil inconnu « " + spec + " » (ni profil enregistré, ni fichier)", 2);
  return *profile;
}

tuning::TieOrder ParseTies(const std::string& ties) {
  return ties == "trec_eval" ? tuning::TieOrder::kTrecEval : tuning::TieOrder::kEngine;
}

Json WeightsJson(const Weights& w) {
  Json out = Json::object();
  for (int f = 0; f < tuning::kFeatures; ++f)
    out[std::string(matcher::FeatureName(static_cast<matcher::Feature>(f)))] = w[f];
  return out;
}
Json MetricsJson(const tuning::Metrics& m) {
  return {{"ndcg", m.ndcg}, {"mrr", m.mrr}, {"recall", m.recall}, {"needs", m.needs}};
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) Fail("impossible d'écrire " + path);
}

// ---- evaluate ----

struct EvaluateArgs {
  Source source;
  std::vector<std::string> profiles;
  size_t k = 10;
  std::string ties = "engine";
  bool json = false;
};

// Metrics of each need ranked with the weights it was served with (needs without: skipped).
tuning::Metrics EvaluateServed(const std::vector<HistoricalNeed>& needs,
                               const tuning::MetricOptions& metric, Json* groups) {
  std::vector<size_t> rows;
  std::map<std::string, size_t> by_weights;
  for (size_t i = 0; i < needs.size(); ++i) {
    if (!needs[i].served) continue;
    rows.push_back(i);
    ++by_weights[service::EncodeWeights(*needs[i].served).dump()];
  }
  *groups = Json::array();
  for (const auto& [weights, count] : by_weights)
    groups->push_back({{"weights", Json::parse(weights)}, {"needs", count}});
  tuning::Metrics m;
  for (size_t row : rows) {
    tuning::NeedScore s =
        tuning::ScoreNeed(needs[row], tuning::ToWeights(*needs[row].served), metric);
    m.ndcg += s.ndcg;
    m.mrr += s.reciprocal_rank;
    m.recall += s.recall;
    ++m.needs;
  }
  if (m.needs > 0) {
    const double n = static_cast<double>(m.needs);
    m.ndcg /= n;
    m.mrr /= n;
    m.recall /= n;
  }
  return m;
}

void RunEvaluate(const EvaluateArgs& args) {
  std::vector<matcher::Profile> profiles;
  for (const std::string& spec : args.profiles) {
    if (spec == kServed) {
      if (args.source.db.empty())
        Fail(std::string(kServed) + " (les pondérations servies) demande --db FICHIER", 2);
      matcher::Profile served;
      served.name = kServed;
      profiles.push_back(served);
      continue;
    }
    profiles.push_back(ResolveProfile(spec, args.source.db));
  }
  std::vector<HistoricalNeed> needs = LoadHistory(args.source);
  tuning::MetricOptions metric{args.k, ParseTies(args.ties)};
  size_t without = 0;
  for (const HistoricalNeed& need : needs) without += need.SelectedRow() < 0;
  Json out = {{"source", args.source.Label()},
              {"needs", needs.size()},
              {"selected_not_candidate", without},
              {"k", args.k},
              {"ties", args.ties},
              {"profiles", Json::array()}};
  const std::string k = std::to_string(args.k);
  std::string table = Pad("profil", 24) + Pad("NDCG@" + k, 10, true) + Pad("MRR", 10, true) +
                      Pad("Rappel@" + k, 11, true) + "\n";
  for (const matcher::Profile& profile : profiles) {
    if (profile.name == kServed) {
      Json groups;
      tuning::Metrics m = EvaluateServed(needs, metric, &groups);
      out["profiles"].push_back({{"name", profile.name},
                                 {"version", nullptr},
                                 {"weights", nullptr},
                                 {"served", std::move(groups)},
                                 {"metrics", MetricsJson(m)}});
      table += Pad("pondérations servies", 24) + Pad(Fr(m.ndcg, 4), 10, true) +
               Pad(Fr(m.mrr, 4), 10, true) + Pad(Fr(m.recall, 4), 11, true) + "\n";
      continue;
    }
    tuning::Metrics m = tuning::Evaluate(needs, tuning::ToWeights(profile.weights), metric);
    out["profiles"].push_back({{"name", profile.name},
                               {"version", profile.version},
                               {"weights", WeightsJson(tuning::ToWeights(profile.weights))},
                               {"metrics", MetricsJson(m)}});
    table += Pad(profile.name, 24) + Pad(Fr(m.ndcg, 4), 10, true) + Pad(Fr(m.mrr, 4), 10, true) +
             Pad(Fr(m.recall, 4), 11, true) + "\n";
  }
  if (args.json) {
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "Évaluation sur " << needs.size() << " besoins passés décidés ("
            << args.source.Label() << ")\n"
            << "Pertinence : choisie = 1, choisie et mission notée 4 ou 5 = 2 ; égalités : "
            << (metric.ties == tuning::TieOrder::kEngine ? "identifiant croissant (moteur)"
                                                         : "identifiant décroissant (trec_eval)")
            << "\n";
  if (without > 0) {
    std::cout
        << without
        << " besoins dont la collectivité choisie n'était pas candidate ce jour-là (comptent 0)\n";
  }
  std::cout << "\n" << table;
}

// ---- tune ----

struct TuneArgs {
  Source source;
  std::string method = "coordinate-ascent";
  size_t folds = 5;
  size_t k = 10;
  std::string ties = "engine";
  size_t bootstrap = 100;
  uint64_t seed = 1;
  double l2 = 1.0;
  size_t restarts = 5;
  std::string baseline = "default";
  std::string name = "ajuste";
  std::string out, report, report_json;
};

Json TuneJson(const tuning::TuneResult& r, const TuneArgs& args, const matcher::Profile& baseline) {
  Json folds = Json::array();
  for (size_t i = 0; i < r.folds.size(); ++i) {
    const tuning::FoldResult& f = r.folds[i];
    folds.push_back({{"fold", i + 1},
                     {"train",
                      {{"from", matcher::FormatIsoDate(f.train_from)},
                       {"to", matcher::FormatIsoDate(f.train_to)},
                       {"needs", f.train_needs}}},
                     {"test",
                      {{"from", matcher::FormatIsoDate(f.test_from)},
                       {"to", matcher::FormatIsoDate(f.test_to)},
                       {"needs", f.test_needs}}},
                     {"weights", WeightsJson(f.weights)},
                     {"baseline", MetricsJson(f.baseline)},
                     {"fitted", MetricsJson(f.fitted)}});
  }
  Json changes = Json::array();
  for (const tuning::RankChange& c : r.changes) {
    changes.push_back({{"need", c.need},
                       {"decided", matcher::FormatIsoDate(c.decided)},
                       {"selected", c.selected},
                       {"baseline_rank", c.baseline_rank},
                       {"fitted_rank", c.other_rank}});
  }
  const tuning::RankChangeSummary& s = r.change_summary;
  return {
      {"source", args.source.Label()},
      {"method", tuning::MethodName(r.method)},
      {"k", args.k},
      {"ties", args.ties},
      {"folds", args.folds},
      {"seed", args.seed},
      {"needs", r.needs},
      {"selected_not_candidate", r.needs_without_candidate},
      {"mean_candidates", r.mean_candidates},
      {"baseline_profile",
       {{"name", baseline.name},
        {"version", baseline.version},
        {"weights", WeightsJson(r.baseline)}}},
      {"fitted_profile",
       {{"name", args.name}, {"weights", WeightsJson(r.fitted)}, {"fell_back", r.fell_back}}},
      {"bootstrap",
       {{"resamples", r.bootstrap}, {"low", WeightsJson(r.low)}, {"high", WeightsJson(r.high)}}},
      {"held_out",
       {{"baseline", MetricsJson(r.baseline_held_out)},
        {"fitted", MetricsJson(r.fitted_held_out)}}},
      {"all_needs",
       {{"baseline", MetricsJson(r.baseline_all)}, {"fitted", MetricsJson(r.fitted_all)}}},
      {"per_fold", folds},
      {"rank_changes",
       {{"improved", s.improved},
        {"worsened", s.worsened},
        {"unchanged", s.unchanged},
        {"not_candidate", s.not_candidate},
        {"top1_changed", s.top1_changed},
        {"needs", changes}}}};
}

void RunTune(const TuneArgs& args) {
  const matcher::Profile baseline = ResolveProfile(args.baseline, args.source.db);
  std::vector<HistoricalNeed> needs = LoadHistory(args.source);
  if (needs.size() < args.folds + 1) {
    Fail(std::to_string(needs.size()) + " besoins décidés : il en faut au moins " +
         std::to_string(args.folds + 1) + " pour " + std::to_string(args.folds) + " plis");
  }
  tuning::TuneOptions options;
  options.method = args.method == "pairwise-logistic" ? tuning::Method::kPairwiseLogistic
                                                      : tuning::Method::kCoordinateAscent;
  options.folds = args.folds;
  options.bootstrap = args.bootstrap;
  options.seed = args.seed;
  options.metric = {args.k, ParseTies(args.ties)};
  options.coordinate_ascent.restarts = args.restarts;
  options.pairwise_logistic.l2 = args.l2;
  std::cerr << "réglage (" << args.method << ", " << args.folds << " plis, " << needs.size()
            << " besoins)\n";
  tuning::TuneResult result =
      tuning::Tune(needs, tuning::ToWeights(baseline.weights), options, StderrProgress());

  const std::string out = args.out.empty() ? "profil-" + args.name + ".json" : args.out;
  const std::string report = args.report.empty() ? "rapport-" + args.name + ".html" : args.report;
  const std::string report_json =
      args.report_json.empty() ? "rapport-" + args.name + ".json" : args.report_json;
  Json profile = {
      {"name", args.name},
      {"description",
       "Ajusté par expectmatch tune (" + std::string(tuning::MethodName(result.method)) + ", " +
           std::to_string(result.needs) + " besoins passés, NDCG@" + std::to_string(args.k) +
           " hors échantillon " + Fixed(result.fitted_held_out.ndcg, 3) + " contre " +
           Fixed(result.baseline_held_out.ndcg, 3) + " pour " + baseline.name + ")"},
      {"weights", service::EncodeWeights(tuning::FromWeights(result.fitted))}};
  WriteText(out, profile.dump(2) + "\n");
  WriteText(report,
            tuning::RenderHtmlReport(result, {args.source.Label(), baseline.name, args.name}));
  WriteText(report_json, TuneJson(result, args, baseline).dump(2) + "\n");

  const std::string k = std::to_string(args.k);
  std::cout << "Réglage " << tuning::MethodName(result.method) << " sur " << result.needs
            << " besoins passés (" << args.source.Label() << ")\n\n";
  std::cout << Pad("pli", 8) << Pad("test", 25) << Pad("NDCG@" + k + " actuel", 16, true)
            << Pad("ajusté", 9, true) << Pad("MRR actuel", 12, true) << Pad("ajusté", 9, true)
            << "\n";
  for (size_t i = 0; i < result.folds.size(); ++i) {
    const tuning::FoldResult& f = result.folds[i];
    std::cout << Pad(std::to_string(i + 1), 8)
              << Pad(matcher::FormatIsoDate(f.test_from) + " → " +
                         matcher::FormatIsoDate(f.test_to),
                     25)
              << Pad(Fr(f.baseline.ndcg, 3), 16, true) << Pad(Fr(f.fitted.ndcg, 3), 9, true)
              << Pad(Fr(f.baseline.mrr, 3), 12, true) << Pad(Fr(f.fitted.mrr, 3), 9, true) << "\n";
  }
  std::cout << Pad("moyenne", 33) << Pad(Fr(result.baseline_held_out.ndcg, 3), 16, true)
            << Pad(Fr(result.fitted_held_out.ndcg, 3), 9, true)
            << Pad(Fr(result.baseline_held_out.mrr, 3), 12, true)
            << Pad(Fr(result.fitted_held_out.mrr, 3), 9, true) << "\n\n";
  std::cout << Pad("critère", 20) << Pad(" " + baseline.name, 10, true)
            << Pad(" " + args.name, 10, true) << "  intervalle 95 %\n";
  for (int f = 0; f < tuning::kFeatures; ++f) {
    std::cout << Pad(std::string(matcher::FeatureName(static_cast<matcher::Feature>(f))), 20)
              << Pad(Fr(result.baseline[f], 3), 10, true) << Pad(Fr(result.fitted[f], 3), 10, true)
              << "  " << Fr(result.low[f], 3) << " – " << Fr(result.high[f], 3) << "\n";
  }
  const tuning::RankChangeSummary& s = result.change_summary;
  std::cout << "\nCollectivité choisie : " << s.improved << " mieux classées, " << s.worsened
            << " moins bien, " << s.unchanged << " inchangées, " << s.not_candidate
            << " non candidates ; première place changée pour " << s.top1_changed << " besoins\n";
  if (result.fell_back)
    std::cout << "attention : aucun besoin ne départage les candidats ; profil actuel conservé\n";
  std::cout << "\nprofil : " << out << "\nrapport : " << report << "\nchiffres : " << report_json
            << "\n";
}

// ---- whatif ----

struct WhatifArgs {
  Source source;
  std::string profile;
  std::string baseline = "default";
  std::string ties = "engine";
  bool json = false;
  bool all = false;
};

void RunWhatif(const WhatifArgs& args) {
  const matcher::Profile profile = ResolveProfile(args.profile, args.source.db);
  const matcher::Profile baseline = ResolveProfile(args.baseline, args.source.db);
  std::vector<HistoricalNeed> needs = LoadHistory(args.source);
  std::vector<tuning::RankChange> changes =
      tuning::CompareRanks(needs, tuning::ToWeights(baseline.weights),
                           tuning::ToWeights(profile.weights), ParseTies(args.ties));
  tuning::RankChangeSummary s = tuning::Summarise(changes);
  if (args.json) {
    Json rows = Json::array();
    for (const tuning::RankChange& c : changes) {
      rows.push_back({{"need", c.need},
                      {"decided", matcher::FormatIsoDate(c.decided)},
                      {"selected", c.selected},
                      {"baseline_rank", c.baseline_rank},
                      {"profile_rank", c.other_rank}});
    }
    Json out = {{"source", args.source.Label()},
                {"baseline", baseline.name},
                {"profile", profile.name},
                {"summary",
                 {{"needs", changes.size()},
                  {"improved", s.improved},
                  {"worsened", s.worsened},
                  {"unchanged", s.unchanged},
                  {"not_candidate", s.not_candidate},
                  {"top1_changed", s.top1_changed}}},
                {"needs", rows}};
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "Rang de la collectivité choisie : « " << profile.name << " » contre « "
            << baseline.name << " » (" << changes.size() << " besoins passés, "
            << args.source.Label() << ")\n\n";
  std::cout << Pad("besoin", 16) << Pad("décidé le", 12) << Pad("collectivité choisie", 28)
            << Pad(" " + baseline.name, 10, true) << Pad(" " + profile.name, 12, true) << "\n";
  size_t shown = 0;
  for (const tuning::RankChange& c : changes) {
    if (!args.all && c.baseline_rank == c.other_rank) continue;
    ++shown;
    auto rank = [](int r) { return r == 0 ? std::string("—") : std::to_string(r); };
    std::cout << Pad(c.need, 16) << Pad(matcher::FormatIsoDate(c.decided), 12)
              << Pad(c.selected, 28) << Pad(rank(c.baseline_rank), 10, true)
              << Pad(rank(c.other_rank), 12, true) << "\n";
  }
  if (shown == 0) std::cout << "(aucun rang ne change)\n";
  std::cout << "\n"
            << s.improved << " mieux classées, " << s.worsened << " moins bien, " << s.unchanged
            << " inchangées, " << s.not_candidate
            << " non candidates (—) ; première place changée pour " << s.top1_changed << " besoins"
            << (args.all ? "" : " ; --all liste aussi les rangs inchangés") << "\n";
}

}  // namespace

void AddTuningCommands(CLI::App& app) {
  static const std::vector<std::string> kTies = {"engine", "trec_eval"};
  {
    auto args = std::make_shared<EvaluateArgs>();
    auto* cmd = app.add_subcommand(
        "evaluate", "Mesure NDCG@k, MRR et Rappel@k d'un profil sur les besoins passés décidés");
    AddSourceOptions(cmd, &args->source);
    cmd->add_option("--profile", args->profiles,
                    "Profil (nom, ou fichier JSON écrit par tune ; @served avec --db : les "
                    "pondérations servies à chaque classement journalisé) ; répétable")
        ->required();
    cmd->add_option("--k", args->k, "Rang de coupure k")
        ->check(CLI::Range(size_t{1}, size_t{1000}))
        ->capture_default_str();
    cmd->add_option("--ties", args->ties, "Égalités : engine (identifiant croissant) ou trec_eval")
        ->check(CLI::IsMember(kTies))
        ->capture_default_str();
    cmd->add_flag("--json", args->json, "Sortie JSON");
    cmd->callback([args] { RunEvaluate(*args); });
  }
  {
    auto args = std::make_shared<TuneArgs>();
    auto* cmd = app.add_subcommand(
        "tune",
        "Ajuste les pondérations sur les besoins passés (validation croisée dans le temps)");
    AddSourceOptions(cmd, &args->source);
    cmd->add_option("--method", args->method, "coordinate-ascent (NDCG@k) ou pairwise-logistic")
        ->check(CLI::IsMember({"coordinate-ascent", "pairwise-logistic"}))
        ->capture_default_str();
    cmd->add_option("--folds", args->folds, "Plis ordonnés dans le temps")
        ->check(CLI::Range(size_t{1}, size_t{20}))
        ->capture_default_str();
    cmd->add_option("--k", args->k, "Rang de coupure k")
        ->check(CLI::Range(size_t{1}, size_t{1000}))
        ->capture_default_str();
    cmd->add_option("--ties", args->ties, "Égalités : engine ou trec_eval")
        ->check(CLI::IsMember(kTies))
        ->capture_default_str();
    cmd->add_option("--bootstrap", args->bootstrap,
                    "Rééchantillonnages pour les intervalles (0 : aucun)")
        ->check(CLI::Range(size_t{0}, size_t{10000}))
        ->capture_default_str();
    cmd->add_option("--seed", args->seed, "Graine (redémarrages, bootstrap)")
        ->capture_default_str();
    cmd->add_option("--l2", args->l2, "Régularisation L2 (pairwise-logistic)")
        ->check(CLI::Range(0.0, 1e9))
        ->capture_default_str();
    cmd->add_option("--restarts", args->restarts, "Redémarrages (coordinate-ascent)")
        ->check(CLI::Range(size_t{1}, size_t{100}))
        ->capture_default_str();
    cmd->add_option("--baseline", args->baseline, "Profil actuel, point de comparaison")
        ->capture_default_str();
    cmd->add_option("--name", args->name, "Nom du profil ajusté ([a-z0-9_-])")
        ->check(CLI::Validator(
            [](std::string& v) {
              bool ok = !v.empty() && v.size() <= 64;
              for (char c : v)
                ok = ok &&
                     ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
              return ok ? std::string() : std::string("1 à 64 caractères parmi a-z, 0-9, _ et -");
            },
            "NOM"))
        ->capture_default_str();
    cmd->add_option("--out", args->out,
                    "Fichier du profil (défaut profil-NOM.json ; corps de PUT /v1/profiles/NOM)");
    cmd->add_option("--report", args->report, "Rapport HTML (défaut rapport-NOM.html)");
    cmd->add_option("--report-json", args->report_json,
                    "Chiffres du rapport en JSON (défaut rapport-NOM.json)");
    cmd->callback([args] { RunTune(*args); });
  }
  {
    auto args = std::make_shared<WhatifArgs>();
    auto* cmd = app.add_subcommand(
        "whatif", "Rang qu'aurait eu la collectivité choisie sous un autre profil");
    AddSourceOptions(cmd, &args->source);
    cmd->add_option("--profile", args->profile, "Profil à essayer (nom ou fichier JSON)")
        ->required();
    cmd->add_option("--baseline", args->baseline, "Profil actuel")->capture_default_str();
    cmd->add_option("--ties", args->ties, "Égalités : engine ou trec_eval")
        ->check(CLI::IsMember(kTies))
        ->capture_default_str();
    cmd->add_flag("--all", args->all, "Lister aussi les besoins dont le rang ne change pas");
    cmd->add_flag("--json", args->json, "Sortie JSON");
    cmd->callback([args] { RunWhatif(*args); });
  }
}

}  // namespace expectmatch::app
