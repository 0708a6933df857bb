// Understanding what people type, at national scale.
//
// | benchmark                          | what is resolved                                         |
// |------------------------------------|----------------------------------------------------------|
// | BM_ResolvePartnerFindId            | baseline: PartnerDirectory::Find(id), one hash lookup    |
// | BM_ResolvePartnerId                | Resolve(country, id in lower case)                       |
// | BM_ResolvePartnerExactName         | Resolve(country, the recorded name)                      |
// | BM_ResolvePartnerPrefixed          | Resolve(country, "MAIRIE DE " + the recorded name)       |
// | BM_ResolvePartnerTypo              | the name with two adjacent letters of its core swapped   |
// | BM_ResolvePartnerUnknown           | real town names that no generated partner bears          |
// | BM_ResolvePartnerDirectoryBuild    | building the directory and its indexes (ms)              |
//
// The directory is built from the `expectmatch generate` data set of 36,000 authorities (seed
// 7, as bench/rank_bench.cc) outside the timed loops. Each iteration resolves the next text of
// a list of 1,000 (taken from partners spread over the directory). Counter `resolved`: the
// share of texts resolved to the partner they were made from (to any partner for Unknown).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "expectmatch/synth/generator.h"
#include "expectmatch/understanding/partners.h"

namespace {

using namespace expectmatch;
using understanding::PartnerDirectory;
using understanding::PartnerEntity;
using understanding::PartnerResolver;

constexpr size_t kAuthorities = 36000;
constexpr size_t kTexts = 1000;

const matcher::Dataset& Generated() {
  static const matcher::Dataset dataset = [] {
    synth::GeneratorOptions options;
    options.authorities = kAuthorities;
    options.seed = 7;
    return synth::GenerateDataset(options);
  }();
  return dataset;
}

const PartnerDirectory& Directory() {
  static const PartnerDirectory directory(Generated(), {}, {});
  return directory;
}

struct Query {
  const PartnerEntity* partner;  // null: none expected
  std::string country;
  std::string text;
};

// kTexts partners spread over the directory, each turned into a text by `make`.
template <typename Make>
std::vector<Query> Queries(Make make) {
  const std::vector<PartnerEntity>& entities = Directory().entities();
  std::vector<Query> queries;
  const size_t step = std::max<size_t>(1, entities.size() / kTexts);
  for (size_t i = 0; i < entities.size() && queries.size() < kTexts; i += step)
    queries.push_back({&entities[i], entities[i].country, make(entities[i])});
  return queries;
}

void Run(benchmark::State& state, const std::vector<Query>& queries) {
  PartnerResolver resolver(Directory());
  size_t next = 0, resolved = 0, runs = 0;
  for (auto _ : state) {
    const Query& q = queries[next++ % queries.size()];
    understanding::PartnerResolution r = resolver.Resolve(q.country, q.text, 5);
    resolved += r.resolved && (!q.partner || r.resolved->partner == q.partner);
    ++runs;
    benchmark::DoNotOptimize(r);
  }
  state.counters["resolved"] =
      static_cast<double>(resolved) / static_cast<double>(std::max<size_t>(runs, 1));
  state.counters["partners"] = static_cast<double>(Directory().entities().size());
}

void BM_ResolvePartnerFindId(benchmark::State& state) {
  const std::vector<Query> queries = Queries([](const PartnerEntity& e) { return e.id; });
  const PartnerDirectory& directory = Directory();
  size_t next = 0;
  for (auto _ : state) {
    const PartnerEntity* found = directory.Find(queries[next++ % queries.size()].text);
    benchmark::DoNotOptimize(found);
  }
}
BENCHMARK(BM_ResolvePartnerFindId)->Unit(benchmark::kMicrosecond);

void BM_ResolvePartnerId(benchmark::State& state) {
  Run(state, Queries([](const PartnerEntity& e) {
        std::string id = e.id;
        for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return id;
      }));
}
BENCHMARK(BM_ResolvePartnerId)->Unit(benchmark::kMicrosecond);

void BM_ResolvePartnerExactName(benchmark::State& state) {
  Run(state, Queries([](const PartnerEntity& e) { return e.name; }));
}
BENCHMARK(BM_ResolvePartnerExactName)->Unit(benchmark::kMicrosecond);

void BM_ResolvePartnerPrefixed(benchmark::State& state) {
  Run(state, Queries([](const PartnerEntity& e) { return "MAIRIE DE " + e.name; }));
}
BENCHMARK(BM_ResolvePartnerPrefixed)->Unit(benchmark::kMicrosecond);

void BM_ResolvePartnerTypo(benchmark::State& state) {
  Run(state, Queries([](const PartnerEntity& e) {
        // Swap two adjacent ASCII letters two thirds into the name (within the place name).
        std::string text = e.name;
        for (size_t i = text.size() * 2 / 3; i + 1 < text.size(); ++i) {
          const auto a = static_cast<unsigned char>(text[i]),
                     b = static_cast<unsigned char>(text[i + 1]);
          if (std::isalpha(a) && std::isalpha(b) && a != b) {
            std::swap(text[i], text[i + 1]);
            break;
          }
        }
        return text;
      }));
}
BENCHMARK(BM_ResolvePartnerTypo)->Unit(benchmark::kMicrosecond);

void BM_ResolvePartnerUnknown(benchmark::State& state) {
  static const char* const kTowns[] = {"Commune de Louga",
                                       "Tambacounda",
                                       "Mairie de Kolda",
                                       "Ville de Diourbel",
                                       "Ouahigouya",
                                       "Commune de Mopti",
                                       "Bougouni",
                                       "City of Tamale",
                                       "Prefeitura de Goiânia",
                                       "Municipalidad de Arequipa",
                                       "Gabès",
                                       "Toamasina"};
  std::vector<Query> queries;
  size_t k = 0;
  for (const Query& q : Queries([](const PartnerEntity&) { return std::string(); }))
    queries.push_back({nullptr, q.country, kTowns[k++ % std::size(kTowns)]});
  Run(state, queries);
}
BENCHMARK(BM_ResolvePartnerUnknown)->Unit(benchmark::kMicrosecond);

void BM_ResolvePartnerDirectoryBuild(benchmark::State& state) {
  const matcher::Dataset& dataset = Generated();
  for (auto _ : state) {
    PartnerDirectory directory(dataset, {}, {});
    benchmark::DoNotOptimize(directory);
  }
}
BENCHMARK(BM_ResolvePartnerDirectoryBuild)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
