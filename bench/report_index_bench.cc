// Capitalisation (understanding/src/report_index.cc): building the report index and searching it,
// on synthetic reports in French.
//
// | benchmark                  | what                                                             |
// |----------------------------|------------------------------------------------------------------|
// | BM_ReportIndexBuild/n      | building a ReportIndex of n reports (1,000 or 10,000): a summary |
// |                            | of ~80 words in three fields, a need description of ~40 words,   |
// |                            | and a document text of ~800 words (about 6 kB)                   |
// | BM_ReportSearch/n/kind     | one Search (limit 10) on the index of n reports; kind 0 three    |
// |                            | words, 1 the same with a theme filter, 2 a need's description    |
// |                            | (~40 words) with country and theme boosts, as related-reports    |
//
// Reports are generated once (deterministic: SplitMix64 over a fixed vocabulary), outside the
// timed loops. Counter: matches of the query.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "expectmatch/understanding/report_index.h"

namespace {

using namespace expectmatch;

constexpr const char* kWords[] = {
    "formation",   "agents",      "état",        "civil",        "registres",   "numérisation",
    "eau",         "potable",     "réseau",      "fuites",       "compteurs",   "régie",
    "déchets",     "collecte",    "tri",         "compostage",   "décharge",    "irrigation",
    "périmètres",  "maraîchers",  "semences",    "coopérative",  "musée",       "collections",
    "inventaire",  "patrimoine",  "urbanisme",   "cadastre",     "foncier",     "budget",
    "fiscalité",   "recettes",    "élus",        "conseil",      "municipal",   "santé",
    "dispensaire", "vaccination", "école",       "enseignants",  "jeunesse",    "sport",
    "tourisme",    "artisanat",   "marché",      "transport",    "voirie",      "éclairage",
    "énergie",     "solaire",     "techniciens", "maintenance",  "pompes",      "diagnostic",
    "plan",        "stratégie",   "suivi",       "évaluation",   "partenaires", "mission",
    "experts",     "ateliers",    "session",     "recommandent", "prévoir",     "renforcer",
    "former",      "accompagner", "la",          "le",           "des",         "de",
    "du",          "et",          "pour",        "avec",         "dans",        "une"};
constexpr std::size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);
constexpr const char* kCountries[] = {"SN", "MA", "TN", "BF", "ML", "CI", "MG", "VN", "HT", "LB"};
constexpr const char* kThemes[] = {
    "gouvernance.etat-civil", "env.eau",           "env.dechets", "agri.irrigation",
    "culture.musees",         "urbanisme.foncier", "sante.soins", "education.ecoles"};

struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t Next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }
};

std::string Text(SplitMix64& random, std::size_t words) {
  std::string out;
  for (std::size_t i = 0; i < words; ++i) {
    if (i) out += (random.Below(12) == 0) ? ". " : " ";
    out += kWords[random.Below(kWordCount)];
  }
  return out + ".";
}

std::vector<understanding::ReportRecord> Records(std::size_t n) {
  SplitMix64 random{42};
  std::vector<understanding::ReportRecord> records;
  records.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    understanding::ReportRecord r;
    r.need = "n-" + std::to_string(100000 + i);
    r.country = kCountries[random.Below(std::size(kCountries))];
    r.themes = {kThemes[random.Below(std::size(kThemes))]};
    r.mission_start = matcher::Date{19000 + static_cast<int>(random.Below(2500))};
    r.mission_end = matcher::Date{r.mission_start->days + 5};
    r.collectivite = "com-" + std::to_string(random.Below(3000));
    r.collectivite_name = "Commune " + r.collectivite;
    r.resultats = Text(random, 40);
    r.recommandations = Text(random, 25);
    r.suites_envisagees = Text(random, 15);
    r.description = Text(random, 40);
    r.document_text = Text(random, 800);
    records.push_back(std::move(r));
  }
  return records;
}

const std::vector<understanding::ReportRecord>& CachedRecords(std::size_t n) {
  static std::mutex mutex;
  static std::map<std::size_t, std::unique_ptr<std::vector<understanding::ReportRecord>>> cache;
  std::lock_guard lock(mutex);
  auto& slot = cache[n];
  if (!slot) slot = std::make_unique<std::vector<understanding::ReportRecord>>(Records(n));
  return *slot;
}

const understanding::ReportIndex& Index(std::size_t n) {
  static std::mutex mutex;
  static std::map<std::size_t, std::unique_ptr<understanding::ReportIndex>> cache;
  const auto& records = CachedRecords(n);
  std::lock_guard lock(mutex);
  auto& slot = cache[n];
  if (!slot) slot = std::make_unique<understanding::ReportIndex>(records);
  return *slot;
}

void BM_ReportIndexBuild(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const auto& records = CachedRecords(n);
  for (auto _ : state) {
    state.PauseTiming();  // the copy the constructor takes is not the index's work
    std::vector<understanding::ReportRecord> copy = records;
    state.ResumeTiming();
    understanding::ReportIndex index(std::move(copy));
    benchmark::DoNotOptimize(index.size());
  }
  state.counters["reports"] = static_cast<double>(n);
}
BENCHMARK(BM_ReportIndexBuild)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_ReportSearch(benchmark::State& state) {
  const understanding::ReportIndex& index = Index(static_cast<std::size_t>(state.range(0)));
  understanding::ReportQuery query;
  query.limit = 10;
  switch (state.range(1)) {
    case 0:
      query.text = "formation des agents d'état civil";
      break;
    case 1:
      query.text = "formation des agents d'état civil";
      query.themes = {"gouvernance"};
      break;
    default: {
      SplitMix64 random{7};
      query.text = Text(random, 40);
      query.boost_country = "SN";
      query.boost_themes = {"env.eau"};
      query.limit = 3;
    }
  }
  std::size_t total = 0;
  for (auto _ : state) {
    understanding::ReportResults results = index.Search(query);
    total = results.total;
    benchmark::DoNotOptimize(results.hits.data());
  }
  state.counters["matches"] = static_cast<double>(total);
}
BENCHMARK(BM_ReportSearch)->ArgsProduct({{1000, 10000}, {0, 1, 2}})->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
