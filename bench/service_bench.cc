// One `POST /v1/match` through the service, in process: what a request costs the server's CPU
// apart from the network (parsing the body, authenticating the key, ranking, encoding the
// answer, queueing the ranking log row). The load test (bench/load/run.sh) measures the same
// request over HTTP; the difference is the transport's share.
//
// | benchmark             | what                                                                   |
// |-----------------------|------------------------------------------------------------------------|
// | BM_MatchRequest/e     | a stored need of the 36,000-authority generated catalogue (seed 7),    |
// |                       | k 10, explanations off (e 0) or on (e 1); the needs are taken in turn  |
// | BM_EncodeRanking/e    | only the answer's JSON (EncodeRanking and its serialisation)           |
// | BM_Authenticate/c     | one request's key: a SHA-256 and a SQLite lookup (c 0, what every      |
// |                       | request paid before the key cache) or the key cache (c 1, what it pays |
// |                       | now: the SHA-256 and a shared-lock map lookup, once a second a lookup) |
//
// Data, store and key are made once, outside the timed loops, in a temporary folder.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <random>

#include "expectmatch/api/service.h"
#include "expectmatch/datasets/writer.h"
#include "expectmatch/matcher/ranker.h"
#include "expectmatch/service/key_cache.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/service/match_json.h"
#include "expectmatch/service/ranking_log.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/synth/generator.h"
#include "official_list.h"

namespace {

using namespace expectmatch;

struct Fixture {
  Fixture() {
    std::random_device seed;
    dir = std::filesystem::temp_directory_path() /
          ("expectmatch-service-bench-" + std::to_string(seed()));
    std::filesystem::create_directories(dir / "data");
    synth::GeneratorOptions options;
    options.authorities = 36000;
    options.seed = 7;
    datasets::WriteDataset(
        synth::GenerateDataset(options, bench::OfficialListFor(options.authorities)), dir / "data");
    store = std::make_unique<store::Store>(dir / "bench.db");
    auto snapshot = service::OpenSnapshot(*store, dir / "data");
    key = service::CreateApiKey(*store, service::Role::kDaect, "", "bench").secret;
    log = std::make_unique<service::RankingLog>(*store);
    api::ServiceOptions service_options;
    service_options.refresh_interval = std::chrono::milliseconds(0);
    service = std::make_unique<api::Service>(*store, snapshot, log.get(), service_options);
  }
  ~Fixture() {
    service.reset();
    log.reset();
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::filesystem::path dir;
  std::unique_ptr<store::Store> store;
  std::string key;
  std::unique_ptr<service::RankingLog> log;
  std::unique_ptr<api::Service> service;
};

Fixture& Shared() {
  static Fixture fixture;
  return fixture;
}

void BM_MatchRequest(benchmark::State& state) {
  Fixture& f = Shared();
  const auto& needs = f.service->snapshot()->catalogue.needs();
  const bool explain = state.range(0) != 0;
  api::HttpRequest request;
  request.method = "POST";
  request.path = "/v1/match";
  request.headers["authorization"] = "Bearer " + f.key;
  request.headers["content-type"] = "application/json";
  size_t next = 0, bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    request.body = R"({"need_id": ")" + needs[next++ % needs.size()].id +
                   R"(", "k": 10, "explain": )" + (explain ? "true" : "false") + "}";
    state.ResumeTiming();
    api::HttpResponse response = f.service->Handle(request);
    if (response.status != 200)
      state.SkipWithError(("status " + std::to_string(response.status)).c_str());
    bytes += response.body.size();
  }
  f.log->Flush();
  state.counters["bytes"] =
      static_cast<double>(bytes) / static_cast<double>(std::max<int64_t>(state.iterations(), 1));
}
BENCHMARK(BM_MatchRequest)->ArgName("explain")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_EncodeRanking(benchmark::State& state) {
  Fixture& f = Shared();
  const matcher::Catalogue& catalogue = f.service->snapshot()->catalogue;
  matcher::RankOptions options;
  options.k = 10;
  options.explain = state.range(0) != 0;
  const matcher::Need& need = catalogue.needs().front();
  const matcher::Ranking ranking =
      matcher::RankNeed(catalogue, need, matcher::DefaultProfile(), options);
  for (auto _ : state) {
    std::string body = service::EncodeRanking(ranking, catalogue, need, options.explain);
    benchmark::DoNotOptimize(body);
  }
}
BENCHMARK(BM_EncodeRanking)->ArgName("explain")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_Authenticate(benchmark::State& state) {
  Fixture& f = Shared();
  const std::string header = "Bearer " + f.key;
  service::KeyCache cache(*f.store);
  const bool cached = state.range(0) != 0;
  for (auto _ : state) {
    std::optional<service::Principal> principal =
        cached ? cache.Authenticate(header) : service::Authenticate(*f.store, header);
    if (!principal) state.SkipWithError("the key was refused");
    benchmark::DoNotOptimize(principal);
  }
}
BENCHMARK(BM_Authenticate)->ArgName("cached")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
