// Ranking one need: the engine at national scale, and the same ranking the way a user would
// otherwise do it (one SQL query over a features table in SQLite).
//
// | benchmark                          | catalogue                                        | sizes                  |
// |------------------------------------|--------------------------------------------------|------------------------|
// | BM_Rank/N/k/explain                | `expectmatch generate` data (seed 7): labels on a | 100, 5,000, 36,000,    |
// |                                    | minority, heavy-tailed links, the real atlas      | 1,000,000; k 10 / 100; |
// |                                    |                                                  | explanations off / on  |
// | BM_RankDiverse/N/cap               | the same generated data, k 10, at most `cap` per | 36,000, 1,000,000;     |
// |                                    | French région (the diversity option)             | cap 1 / 3              |
// | BM_RankDense/N                     | every authority labelled (1–4 of 48 themes), so  | 36,000                 |
// |                                    | ~10% are eligible: the worst case for the engine |                        |
// | BM_SqlTop10/N                      | the generated catalogue's features for the need  | 36,000, 1,000,000      |
// |                                    | in a SQLite table; ORDER BY weighted sum LIMIT 10 |                        |
//
// Data are built outside the timed loops. Each iteration ranks the next need of the data
// set's needs in turn (all of them are ranked over a run); the engine time includes preparing
// the need (theme similarities, the partner's neighbourhood in the cooperation graph).
// Counters: eligible (mean per ranking), and skipped by the région cap (mean per ranking). The SQL benchmark checks that its top 10 equals the
// engine's for every need before timing (SkipWithError otherwise).
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <map>
#include <memory>
#include <mutex>
#include <random>

#include "expectmatch/datasets/reference.h"
#include "expectmatch/matcher/ranker.h"
#include "expectmatch/synth/generator.h"
#include "official_list.h"

namespace {

using namespace expectmatch;
using namespace expectmatch::matcher;

// One generated catalogue per size, built once and shared by the benchmarks.
const Catalogue& Generated(size_t authorities) {
  static std::mutex mutex;
  static std::map<size_t, std::unique_ptr<Catalogue>> cache;
  std::lock_guard lock(mutex);
  auto& slot = cache[authorities];
  if (!slot) {
    synth::GeneratorOptions options;
    options.authorities = authorities;
    options.seed = 7;
    slot = std::make_unique<Catalogue>(
        synth::GenerateDataset(options, bench::OfficialListFor(authorities)),
        datasets::CountryTable());
  }
  return *slot;
}

void BM_Rank(benchmark::State& state) {
  const Catalogue& catalogue = Generated(static_cast<size_t>(state.range(0)));
  RankOptions options;
  options.k = static_cast<size_t>(state.range(1));
  options.explain = state.range(2) != 0;
  const Profile profile = DefaultProfile();
  size_t next = 0, eligible = 0, rankings = 0;
  for (auto _ : state) {
    const Need& need = catalogue.needs()[next++ % catalogue.needs().size()];
    Ranking ranking = RankNeed(catalogue, need, profile, options);
    eligible += ranking.eligible;
    ++rankings;
    benchmark::DoNotOptimize(ranking);
  }
  state.counters["eligible"] =
      static_cast<double>(eligible) / static_cast<double>(std::max<size_t>(rankings, 1));
}
BENCHMARK(BM_Rank)
    ->ArgNames({"authorities", "k", "explain"})
    ->ArgsProduct({{100, 5000, 36000, 1000000}, {10, 100}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

void BM_RankDiverse(benchmark::State& state) {
  const Catalogue& catalogue = Generated(static_cast<size_t>(state.range(0)));
  RankOptions options;
  options.k = 10;
  options.explain = false;
  options.max_per_region = static_cast<size_t>(state.range(1));
  const Profile profile = DefaultProfile();
  size_t next = 0, eligible = 0, skipped = 0, rankings = 0;
  for (auto _ : state) {
    const Need& need = catalogue.needs()[next++ % catalogue.needs().size()];
    Ranking ranking = RankNeed(catalogue, need, profile, options);
    eligible += ranking.eligible;
    skipped += ranking.diversity_skipped;
    ++rankings;
    benchmark::DoNotOptimize(ranking);
  }
  const double n = static_cast<double>(std::max<size_t>(rankings, 1));
  state.counters["eligible"] = static_cast<double>(eligible) / n;
  state.counters["skipped"] = static_cast<double>(skipped) / n;
}
BENCHMARK(BM_RankDiverse)
    ->ArgNames({"authorities", "cap"})
    ->ArgsProduct({{36000, 1000000}, {1, 3}})
    ->Unit(benchmark::kMicrosecond);

// Every authority labelled on 1–4 of 48 themes: the most candidates a need can have.
std::unique_ptr<Catalogue> DenseCatalogue(size_t authorities) {
  std::mt19937_64 rng(42);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  Dataset data;
  std::vector<std::string> themes;
  for (int d = 0; d < 12; ++d) {
    std::string domain = "d" + std::to_string(d);
    data.themes.push_back({domain, "Domaine", ""});
    for (int s = 0; s < 4; ++s) {
      themes.push_back(domain + ".s" + std::to_string(s));
      data.themes.push_back({themes.back(), "Thème", domain});
    }
  }
  const std::vector<std::string> countries = {"SN", "ML", "BF", "MA", "TN", "LB",
                                              "MG", "BJ", "VN", "PS", "HT", "CM"};
  for (size_t i = 0; i < authorities; ++i) {
    Collectivite c;
    c.id = "c" + std::to_string(i);
    c.name = c.id;
    c.region = "Bretagne";
    for (size_t l = 0, n = 1 + pick(4); l < n; ++l)
      c.labels.push_back({themes[pick(themes.size())], Date::FromYmd(2020, 1, 1), std::nullopt});
    c.languages = {"fr"};
    c.capacity_per_year = 1 + static_cast<int>(pick(5));
    for (size_t l = 0, n = pick(9); l < n; ++l) {
      const std::string& country = countries[pick(countries.size())];
      data.cooperations.push_back({c.id,
                                   country,
                                   {country + "-p" + std::to_string(pick(50)), "Partenaire"},
                                   {themes[pick(themes.size())]},
                                   Date::FromYmd(2000, 1, 1),
                                   std::nullopt});
    }
    for (size_t m = 0, n = pick(4); m < n; ++m) {
      int year = 2019 + static_cast<int>(pick(8));
      data.missions.push_back({c.id + "-m" + std::to_string(m),
                               "",
                               c.id,
                               countries[pick(countries.size())],
                               {themes[pick(themes.size())]},
                               Date::FromYmd(year, 3, 1),
                               Date::FromYmd(year, 3, 5),
                               Date::FromYmd(year, 4, 20),
                               1 + static_cast<int>(pick(5)),
                               {}});
    }
    data.collectivites.push_back(std::move(c));
  }
  Need need;
  need.id = "dense";
  need.country = "SN";
  need.partner = {"SN-p3", "Partenaire"};
  need.themes = {{"d3.s1", 0.7}, {"d5.s2", 0.3}};
  need.languages = {"fr"};
  need.period = {Date::FromYmd(2027, 3, 1), Date::FromYmd(2027, 3, 5)};
  data.needs.push_back(need);
  return std::make_unique<Catalogue>(std::move(data), datasets::CountryTable());
}

void BM_RankDense(benchmark::State& state) {
  auto catalogue = DenseCatalogue(static_cast<size_t>(state.range(0)));
  RankOptions options;
  options.explain = false;
  size_t eligible = 0;
  for (auto _ : state) {
    Ranking ranking = RankNeed(*catalogue, catalogue->needs()[0], DefaultProfile(), options);
    eligible = ranking.eligible;
    benchmark::DoNotOptimize(ranking);
  }
  state.counters["eligible"] = static_cast<double>(eligible);
}
BENCHMARK(BM_RankDense)->ArgName("authorities")->Arg(36000)->Unit(benchmark::kMicrosecond);

// The features of every authority for one need, in an in-memory SQLite table, as a user with
// precomputed features would hold them; the top 10 is one query.
class SqlFeatures {
 public:
  SqlFeatures(const Catalogue& catalogue, const Need& need) {
    sqlite3_open(":memory:", &db_);
    Exec(
        "CREATE TABLE features (id TEXT, eligible INTEGER, thematic REAL, country_presence REAL, "
        "partner_history REAL,"
        " track_record REAL, language REAL, availability REAL)");
    Exec("BEGIN");
    RankOptions all;
    all.k = catalogue.size();
    all.explain = false;
    Ranking ranking = RankNeed(catalogue, need, DefaultProfile(), all);
    std::vector<char> eligible(catalogue.size(), 0);
    for (const Candidate& c : ranking.candidates) eligible[c.collectivite] = 1;
    NeedContext context = PrepareNeed(catalogue, need);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db_, "INSERT INTO features VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &insert,
                       nullptr);
    for (AuthorityIndex c = 0; c < catalogue.size(); ++c) {
      FeatureVector values = ComputeFeatures(catalogue, context, c, FeatureParams{});
      sqlite3_bind_text(insert, 1, catalogue.collectivites()[c].id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(insert, 2, eligible[c]);
      for (size_t f = 0; f < kFeatureCount; ++f)
        sqlite3_bind_double(insert, static_cast<int>(3 + f), values[f]);
      sqlite3_step(insert);
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    Exec("COMMIT");
    const FeatureVector w = DefaultProfile().weights;
    std::string sql = "SELECT id FROM features WHERE eligible = 1 ORDER BY " +
                      std::to_string(w[0]) + " * thematic + " + std::to_string(w[1]) +
                      " * country_presence + " + std::to_string(w[2]) + " * partner_history + " +
                      std::to_string(w[3]) + " * track_record + " + std::to_string(w[4]) +
                      " * language + " + std::to_string(w[5]) + " * availability DESC, id LIMIT 10";
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &query_, nullptr);
  }
  ~SqlFeatures() {
    sqlite3_finalize(query_);
    sqlite3_close(db_);
  }
  std::vector<std::string> Top10() {
    std::vector<std::string> ids;
    while (sqlite3_step(query_) == SQLITE_ROW)
      ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(query_, 0)));
    sqlite3_reset(query_);
    return ids;
  }

 private:
  void Exec(const char* sql) { sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* query_ = nullptr;
};

void BM_SqlTop10(benchmark::State& state) {
  const Catalogue& catalogue = Generated(static_cast<size_t>(state.range(0)));
  const Need& need = catalogue.needs()[0];
  SqlFeatures sql(catalogue, need);
  RankOptions options;
  options.explain = false;
  Ranking ranking = RankNeed(catalogue, need, DefaultProfile(), options);
  std::vector<std::string> engine;
  for (const Candidate& c : ranking.candidates)
    engine.push_back(catalogue.collectivites()[c.collectivite].id);
  if (sql.Top10() != engine) {
    state.SkipWithError("the SQL top 10 differs from the engine's");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(sql.Top10());
  state.counters["rows"] = static_cast<double>(catalogue.size());
}
BENCHMARK(BM_SqlTop10)
    ->ArgName("authorities")
    ->Arg(36000)
    ->Arg(1000000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
