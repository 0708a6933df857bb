// Ranking one need against catalogues of growing size.
//
// | workload            | authorities | labels each | cooperations each | missions each |
// |---------------------|-------------|-------------|-------------------|---------------|
// | BM_RankNeed/80      | 80          | 1–4         | 0–8               | 0–3           |
// | BM_RankNeed/1000    | 1,000       | 1–4         | 0–8               | 0–3           |
// | BM_RankNeed/36000   | 36,000      | 1–4         | 0–8               | 0–3           |
//
// The synthetic catalogue (seeded, built outside the timed loop) has 12 domains × 4
// sub-themes; every authority holds labels, so the label filter cuts ~80% of them for a
// two-theme need, as in the sample data. Counters: candidates ranked per second, eligible.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>

#include "expectmatch/matcher/ranker.h"

namespace {

using namespace expectmatch::matcher;

struct World {
  std::unique_ptr<Catalogue> catalogue;
  Need need;
};

World BuildWorld(size_t authorities, unsigned seed) {
  std::mt19937_64 rng(seed);
  Dataset data;
  std::vector<std::string> sub_themes;
  for (int d = 0; d < 12; ++d) {
    std::string domain = "d" + std::to_string(d);
    data.themes.push_back({domain, "Domaine " + std::to_string(d), ""});
    for (int s = 0; s < 4; ++s) {
      sub_themes.push_back(domain + ".s" + std::to_string(s));
      data.themes.push_back({sub_themes.back(), "Thème " + sub_themes.back(), domain});
    }
  }
  const std::vector<std::string> countries = {"SN", "ML", "BF", "MA", "TN", "LB", "MG", "BJ", "VN", "PS", "HT", "CM"};
  const std::vector<std::string> languages = {"fr", "en", "es", "ar", "pt", "de"};
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  for (size_t i = 0; i < authorities; ++i) {
    Collectivite c;
    c.id = "c" + std::to_string(i);
    c.name = "Collectivité " + std::to_string(i);
    size_t labels = 1 + pick(4);
    for (size_t l = 0; l < labels; ++l) {
      c.labels.push_back({sub_themes[pick(sub_themes.size())], Date::FromYmd(2019 + static_cast<int>(pick(6)), 1, 1),
                          pick(3) == 0 ? std::optional(Date::FromYmd(2028, 12, 31)) : std::nullopt});
    }
    c.languages = {"fr"};
    if (pick(2)) c.languages.push_back(languages[1 + pick(languages.size() - 1)]);
    c.capacity_per_year = 1 + static_cast<int>(pick(5));
    c.experts = 1 + static_cast<int>(pick(10));
    size_t links = pick(9);
    for (size_t l = 0; l < links; ++l) {
      const std::string& country = countries[pick(countries.size())];
      data.cooperations.push_back({c.id, country, {country + "-p" + std::to_string(pick(50)), "Partenaire"},
                                   {sub_themes[pick(sub_themes.size())]},
                                   Date::FromYmd(1990 + static_cast<int>(pick(34)), 1, 1),
                                   std::nullopt});
    }
    size_t missions = pick(4);
    for (size_t m = 0; m < missions; ++m) {
      int year = 2019 + static_cast<int>(pick(8));
      data.missions.push_back({c.id + "-m" + std::to_string(m), "", c.id, countries[pick(countries.size())],
                               {sub_themes[pick(sub_themes.size())]}, Date::FromYmd(year, 3, 1), Date::FromYmd(year, 3, 5),
                               pick(4) ? std::optional(Date::FromYmd(year, 4, 20)) : std::nullopt,
                               1 + static_cast<int>(pick(5))});
    }
    data.collectivites.push_back(std::move(c));
  }
  World world;
  world.catalogue = std::make_unique<Catalogue>(std::move(data), CountryTable{});
  world.need.id = "bench";
  world.need.country = "SN";
  world.need.themes = {{"d3.s1", 0.7}, {"d5.s2", 0.3}};
  world.need.languages = {"fr"};
  world.need.period = {Date::FromYmd(2027, 3, 1), Date::FromYmd(2027, 3, 5)};
  return world;
}

void BM_RankNeed(benchmark::State& state) {
  World world = BuildWorld(static_cast<size_t>(state.range(0)), 42);
  RankOptions options;
  options.k = 10;
  size_t eligible = 0;
  for (auto _ : state) {
    Ranking ranking = RankNeed(*world.catalogue, world.need, DefaultProfile(), options);
    eligible = ranking.eligible;
    benchmark::DoNotOptimize(ranking);
  }
  state.counters["eligible"] = static_cast<double>(eligible);
  state.counters["authorities/s"] =
      benchmark::Counter(static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RankNeed)->Arg(80)->Arg(1000)->Arg(36000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
