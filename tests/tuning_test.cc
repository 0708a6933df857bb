// Offline tuning: trec_eval metrics on hand-computed cases, the fitting methods on
// constructed needs, features as of the decision day (no leakage of a need's own outcome),
// the logged-decision join of the store, and the recovery of a generated hidden weighting.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/reference.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/store/store.h"
#include "expectmatch/synth/generator.h"
#include "expectmatch/tuning/as_of.h"
#include "expectmatch/tuning/fit.h"
#include "expectmatch/tuning/history.h"
#include "expectmatch/tuning/metrics.h"
#include "expectmatch/tuning/report.h"
#include "expectmatch/tuning/tune.h"
#include "testutil.h"

namespace expectmatch {
namespace {

using tuning::HistoricalNeed;
using tuning::Weights;

// Words joined by spaces, built by appending (g++ 12 warns falsely on chained operator+).
std::string Args(std::initializer_list<std::string> words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// 1 / log2(3) and 1 / log2(4), the discounts at ranks 2 and 3.
constexpr double kD2 = 0.63092975357145743710;
constexpr double kD3 = 0.5;

TEST(TuningMetrics, NdcgUsesLinearGainLog2DiscountAndTheJudgedIdealRanking) {
  // Ranked grades 0, 2, 0, 1; judged {2, 1}. DCG@3 = 2·d2; IDCG@3 = 2 + 1·d2.
  EXPECT_NEAR(tuning::NdcgAtK({0, 2, 0, 1}, {2, 1}, 3), (2 * kD2) / (2 + kD2), 1e-15);
  EXPECT_NEAR(tuning::NdcgAtK({0, 2, 0, 1}, {2, 1}, 3), 0.4796249331362629, 1e-12);
  // DCG@4 adds 1 / log2(5) for the grade 1 at rank 4.
  EXPECT_NEAR(tuning::NdcgAtK({0, 2, 0, 1}, {2, 1}, 4), (2 * kD2 + 1 / std::log2(5.0)) / (2 + kD2),
              1e-15);
  EXPECT_DOUBLE_EQ(tuning::NdcgAtK({2, 1, 0}, {2, 1}, 10), 1.0);
  // A relevant authority that is not ranked still counts in the ideal: 1·d3 / (2 + d2).
  EXPECT_NEAR(tuning::NdcgAtK({0, 0, 1}, {2, 1}, 10), kD3 / (2 + kD2), 1e-15);
  // No relevant authority: 0, as trec_eval (not 1 as LightGBM).
  EXPECT_EQ(tuning::NdcgAtK({0, 0}, {}, 10), 0.0);
  EXPECT_EQ(tuning::NdcgAtK({}, {1}, 10), 0.0);
}

TEST(TuningMetrics, ReciprocalRankIsOneOverTheFirstRelevantRankWithoutCut) {
  EXPECT_DOUBLE_EQ(tuning::ReciprocalRank({0, 0, 1, 2}), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(tuning::ReciprocalRank({2}), 1.0);
  EXPECT_EQ(tuning::ReciprocalRank({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), 1.0 / 12.0);
  EXPECT_EQ(tuning::ReciprocalRank({0, 0}), 0.0);
}

TEST(TuningMetrics, RecallCountsRelevantInTheTopKOverEveryJudgedRelevant) {
  EXPECT_DOUBLE_EQ(tuning::RecallAtK({0, 1, 0, 2}, {1, 2}, 2), 0.5);
  EXPECT_DOUBLE_EQ(tuning::RecallAtK({0, 1, 0, 2}, {1, 2}, 4), 1.0);
  EXPECT_DOUBLE_EQ(tuning::RecallAtK({0, 1, 0, 2}, {1, 2, 1}, 4), 2.0 / 3.0);
  EXPECT_EQ(tuning::RecallAtK({0, 0}, {}, 10), 0.0);
}

HistoricalNeed Need(const std::string& id, const std::string& selected, std::optional<int> rating,
                    const std::vector<std::string>& ids,
                    const std::vector<matcher::FeatureVector>& features) {
  return tuning::JudgeNeed(id, matcher::Date::FromYmd(2024, 1, 1), selected, rating, ids, features);
}

TEST(TuningMetrics, TiesGoByIdAscendingLikeTheEngineOrDescendingLikeTrecEval) {
  const matcher::FeatureVector same = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
  HistoricalNeed need = Need("n", "c", std::nullopt, {"b", "c", "a"}, {same, same, same});
  Weights w = Weights::Constant(1.0);
  tuning::MetricOptions engine{10, tuning::TieOrder::kEngine},
      trec{10, tuning::TieOrder::kTrecEval};
  EXPECT_EQ(tuning::ScoreNeed(need, w, engine).selected_rank, 3);  // a, b, c
  EXPECT_DOUBLE_EQ(tuning::ScoreNeed(need, w, engine).reciprocal_rank, 1.0 / 3.0);
  EXPECT_EQ(tuning::ScoreNeed(need, w, trec).selected_rank, 1);  // c, b, a
  EXPECT_DOUBLE_EQ(tuning::ScoreNeed(need, w, trec).ndcg, 1.0);
  EXPECT_NEAR(tuning::ScoreNeed(need, w, engine).ndcg, kD3, 1e-15);
}

TEST(TuningMetrics, GradeIsTwoForAWellRatedMissionAndMeansCountNeedsWithoutCandidate) {
  const matcher::FeatureVector hi = {1, 0, 0, 0, 0, 0}, lo = {0, 0, 0, 0, 0, 0};
  std::vector<HistoricalNeed> needs = {
      Need("n1", "x", 5, {"x", "y"}, {lo, hi}),            // x second: grade 2 at rank 2 → d2
      Need("n2", "y", 3, {"x", "y"}, {lo, hi}),            // y first: 1
      Need("n3", "z", std::nullopt, {"x", "y"}, {lo, hi})  // z not a candidate: 0
  };
  EXPECT_EQ(needs[0].grades, (std::vector<int>{2, 0}));
  EXPECT_EQ(needs[1].grades, (std::vector<int>{0, 1}));
  EXPECT_EQ(needs[2].judged, (std::vector<int>{1}));
  tuning::Metrics m =
      tuning::Evaluate(needs, Weights::Constant(1.0), {10, tuning::TieOrder::kEngine});
  EXPECT_EQ(m.needs, 3u);
  EXPECT_NEAR(m.ndcg, (kD2 + 1.0 + 0.0) / 3.0, 1e-15);
  EXPECT_NEAR(m.mrr, (0.5 + 1.0 + 0.0) / 3.0, 1e-15);
  EXPECT_NEAR(m.recall, 2.0 / 3.0, 1e-15);
  // The fast objective of coordinate ascent agrees with Evaluate.
  std::vector<size_t> rows = {0, 1, 2};
  EXPECT_NEAR(
      tuning::MeanNdcg(needs, rows, Weights::Constant(1.0), {10, tuning::TieOrder::kEngine}),
      m.ndcg, 1e-15);
}

// Needs where the chosen authority always has the larger `thematic` and the smaller
// `availability`; the other features are noise.
std::vector<HistoricalNeed> ThematicNeeds(size_t count) {
  std::vector<HistoricalNeed> needs;
  uint64_t state = 7;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) * 0x1.0p-53;
  };
  for (size_t n = 0; n < count; ++n) {
    std::vector<std::string> ids = {"a", "b", "c", "d"};
    std::vector<matcher::FeatureVector> features(4);
    for (auto& f : features) {
      for (double& v : f) v = next();
    }
    features[n % 4][0] = 1.0;
    features[n % 4][5] = 0.0;
    std::string id = "n";
    id += std::to_string(n);
    needs.push_back(Need(id, ids[n % 4], std::nullopt, ids, features));
  }
  return needs;
}

TEST(TuningFit, PairwiseLogisticFindsTheDecisiveFeatureAndKeepsWeightsNonNegative) {
  std::vector<HistoricalNeed> needs = ThematicNeeds(200);
  std::vector<size_t> rows(needs.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  Weights w = tuning::FitPairwiseLogistic(needs, rows, {});
  EXPECT_NEAR(w.sum(), 1.0, 1e-12);
  EXPECT_GE(w.minCoeff(), 0.0);
  EXPECT_EQ(w[5], 0.0);  // availability argues against the choice: held at 0
  Eigen::Index best;
  w.maxCoeff(&best);
  EXPECT_EQ(best, 0);
  EXPECT_GE(tuning::Evaluate(needs, w, {}).mrr, 0.98);  // the noise features tie-break a few
}

TEST(TuningFit, CoordinateAscentReachesPerfectNdcgFromTheDefaultWeights) {
  std::vector<HistoricalNeed> needs = ThematicNeeds(120);
  std::vector<size_t> rows(needs.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  const Weights start = tuning::ToWeights(matcher::DefaultProfile().weights);
  EXPECT_LT(tuning::Evaluate(needs, start, {}).ndcg, 1.0);
  Weights w = tuning::FitCoordinateAscent(needs, rows, start, {});
  EXPECT_NEAR(w.sum(), 1.0, 1e-12);
  EXPECT_GE(w.minCoeff(), 0.0);
  EXPECT_DOUBLE_EQ(tuning::Evaluate(needs, w, {}).ndcg, 1.0);
  // Same seed, same weights.
  EXPECT_EQ(w, tuning::FitCoordinateAscent(needs, rows, start, {}));
}

TEST(TuningFolds, TrainOnThePastAndTestOnTheNextBlock) {
  auto blocks = tuning::TimeBlocks(12, 5);
  ASSERT_EQ(blocks.size(), 6u);
  EXPECT_EQ(blocks.front(), (std::pair<size_t, size_t>{0, 2}));
  EXPECT_EQ(blocks.back(), (std::pair<size_t, size_t>{10, 12}));
  std::vector<HistoricalNeed> needs = ThematicNeeds(60);
  tuning::TuneOptions options;
  options.method = tuning::Method::kPairwiseLogistic;
  options.bootstrap = 20;
  tuning::TuneResult r =
      tuning::Tune(needs, tuning::ToWeights(matcher::DefaultProfile().weights), options);
  ASSERT_EQ(r.folds.size(), 5u);
  for (size_t i = 0; i < r.folds.size(); ++i) {
    EXPECT_EQ(r.folds[i].train_needs, 10 * (i + 1));
    EXPECT_EQ(r.folds[i].test_needs, 10u);
    EXPECT_GT(r.folds[i].fitted.mrr, r.folds[i].baseline.mrr);
  }
  for (int f = 0; f < tuning::kFeatures; ++f) {
    EXPECT_LE(r.low[f], r.fitted[f] + 1e-12);
    EXPECT_GE(r.high[f], r.fitted[f] - 1e-12);
  }
  EXPECT_EQ(r.change_summary.improved + r.change_summary.worsened + r.change_summary.unchanged,
            needs.size());
  std::string html = tuning::RenderHtmlReport(r, {"test", "default", "ajuste"});
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
}

// A small generated history, shared by the tests below (generated once).
struct GeneratedHistory {
  matcher::Dataset data;
  synth::HiddenTruth truth;
};
const GeneratedHistory& Generated() {
  static const GeneratedHistory* history = [] {
    auto* h = new GeneratedHistory;
    h->data = synth::GenerateDataset({5000, 2});
    h->truth = synth::AddHistory(&h->data, {600, 2});
    return h;
  }();
  return *history;
}

TEST(TuningHistory, TheDayBeforeHoldsNoRecordOfThatDayOrLater) {
  const matcher::Dataset& data = Generated().data;
  tuning::AsOfCatalogues snapshots(data, datasets::CountryTable());
  const matcher::Date day = matcher::Date::FromYmd(2023, 3, 1);
  matcher::Dataset known = snapshots.DatasetAt(day);
  ASSERT_FALSE(known.missions.empty());
  for (const matcher::Mission& m : known.missions) {
    EXPECT_LT(m.start, day) << m.id;
    if (m.rating) {
      EXPECT_LT(m.end, day) << m.id;
    }
    if (m.report_delivered) {
      EXPECT_LT(*m.report_delivered, day) << m.id;
    }
  }
  for (const matcher::Need& n : known.needs) {
    EXPECT_LT(
        tuning::DecisionDay(*std::find_if(data.needs.begin(), data.needs.end(),
                                          [&](const matcher::Need& x) { return x.id == n.id; })),
        day);
  }
}

TEST(TuningHistory, AFeatureNeverSeesTheNeedsOwnOutcome) {
  const matcher::Dataset& data = Generated().data;
  std::vector<HistoricalNeed> history = tuning::BuildHistory(data, datasets::CountryTable());
  ASSERT_GT(history.size(), 500u);
  // For a few needs: remove the need's own decision and mission, and everything decided or
  // started on or after its day; the features must not change.
  for (size_t pick : {size_t{40}, size_t{250}, size_t{480}}) {
    const HistoricalNeed& h = history[pick];
    matcher::Dataset cut = data;
    std::erase_if(cut.missions, [&](const matcher::Mission& m) {
      return m.need == h.id || !(m.start < h.decided);
    });
    for (matcher::Need& n : cut.needs) {
      if (n.id == h.id || !(tuning::DecisionDay(n) < h.decided)) {
        n.selected.clear();
        n.status = matcher::NeedStatus::kSubmitted;
      }
    }
    tuning::AsOfCatalogues snapshots(cut, datasets::CountryTable());
    auto catalogue = snapshots.At(h.decided);
    auto it = std::find_if(data.needs.begin(), data.needs.end(),
                           [&](const matcher::Need& n) { return n.id == h.id; });
    std::vector<matcher::Candidate> again = tuning::EligibleCandidates(*catalogue, *it);
    ASSERT_EQ(again.size(), h.candidates.size()) << h.id;
    for (const matcher::Candidate& c : again) {
      const std::string& id = catalogue->collectivites()[c.collectivite].id;
      size_t row = static_cast<size_t>(std::find(h.candidates.begin(), h.candidates.end(), id) -
                                       h.candidates.begin());
      ASSERT_LT(row, h.candidates.size()) << id;
      for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
        EXPECT_EQ(c.values[f],
                  h.features(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(f)))
            << h.id << " " << id;
      }
    }
    EXPECT_GE(h.SelectedRow(), 0) << h.id;  // the officer chose among these very candidates
  }
}

TEST(TuningHistory, GenerationIsDeterministicAndAppendsOnly) {
  matcher::Dataset a = synth::GenerateDataset({800, 5});
  const matcher::Dataset base = a;
  matcher::Dataset b = a;
  synth::HiddenTruth ta = synth::AddHistory(&a, {60, 5});
  synth::HiddenTruth tb = synth::AddHistory(&b, {60, 5});
  EXPECT_EQ(ta.weights, tb.weights);
  ASSERT_EQ(a.needs.size(), b.needs.size());
  for (size_t i = 0; i < a.needs.size(); ++i)
    EXPECT_EQ(datasets::Encode(a.needs[i]), datasets::Encode(b.needs[i]));
  ASSERT_EQ(a.missions.size(), b.missions.size());
  for (size_t i = 0; i < a.missions.size(); ++i)
    EXPECT_EQ(datasets::Encode(a.missions[i]), datasets::Encode(b.missions[i]));
  EXPECT_EQ(a.needs.size(), base.needs.size() + 60);
  EXPECT_EQ(ta.decided + ta.cancelled, 60u);
  for (size_t i = 0; i < base.needs.size(); ++i)
    EXPECT_EQ(datasets::Encode(a.needs[i]), datasets::Encode(base.needs[i]));
  double sum = 0.0;
  for (double w : ta.weights) sum += w;
  EXPECT_NEAR(sum, 1.0, 1e-12);
}

TEST(TuningProof, PairwiseLogisticRecoversTheHiddenWeightingAndBeatsTheDefaultOnTheFuture) {
  const GeneratedHistory& g = Generated();
  std::vector<HistoricalNeed> history = tuning::BuildHistory(g.data, datasets::CountryTable());
  tuning::TuneOptions options;
  options.method = tuning::Method::kPairwiseLogistic;
  options.bootstrap = 0;
  tuning::TuneResult r =
      tuning::Tune(history, tuning::ToWeights(matcher::DefaultProfile().weights), options);
  const double cosine = tuning::Cosine(r.fitted, tuning::ToWeights(g.truth.weights));
  EXPECT_GE(cosine, 0.95);
  EXPECT_GT(r.fitted_held_out.ndcg, r.baseline_held_out.ndcg);
  // The hidden weighting itself ranks the past better than the default profile.
  EXPECT_GT(tuning::Evaluate(history, tuning::ToWeights(g.truth.weights), {}).ndcg,
            r.baseline_all.ndcg);
}

TEST(TuningStore, LoggedDecisionsJoinTheLastRankingBeforeTheDecisionAndTheRating) {
  testing::ScratchDir dir;
  const auto db = dir.path() / "t.db";
  {
    store::Store store(db);
    service::OpenSnapshot(store, testing::TestData("tiny"));
    auto candidates = [](double a, double b) {
      return nlohmann::json::array({{{"rank", 1},
                                     {"collectivite", "com-b"},
                                     {"score", a},
                                     {"features",
                                      {{"thematic", a},
                                       {"country_presence", 0},
                                       {"partner_history", 0},
                                       {"track_record", 0},
                                       {"language", 1},
                                       {"availability", 1}}}},
                                    {{"rank", 2},
                                     {"collectivite", "dep-c"},
                                     {"score", b},
                                     {"features",
                                      {{"thematic", b},
                                       {"country_presence", 1},
                                       {"partner_history", 0},
                                       {"track_record", 0},
                                       {"language", 1},
                                       {"availability", 1}}}}})
          .dump();
    };
    store.AppendRankingLog(
        {{"r1", "2026-01-01T10:00:00Z", "default", 1, "n1", "{}", candidates(0.9, 0.1), "", ""},
         {"r2", "2026-01-02T10:00:00Z", "default", 1, "n1", "{}", candidates(0.8, 0.2), "", ""},
         {"r3", "2026-01-05T10:00:00Z", "default", 1, "n1", "{}", candidates(0.1, 0.9), "", ""}});
    std::optional<store::NeedRow> row = store.GetNeed("n1");
    ASSERT_TRUE(row);
    nlohmann::json doc = nlohmann::json::parse(row->json);
    doc["selected"] = "dep-c";
    doc["status"] = "assigned";
    store::NeedRow updated = *row;
    updated.status = "assigned";
    updated.selected = "dep-c";
    updated.json = doc.dump();
    ASSERT_TRUE(
        store.UpdateNeed(updated, row->json,
                         store::DecisionRow{"n1", "dep-c", "2026-01-03T09:00:00Z", "k_test", ""}));
    store::SeedDocuments mission;
    mission.missions.push_back(
        {"m-n1",
         R"({"id":"m-n1","need":"n1","collectivite":"dep-c","country":"SN","themes":["env.dechets"],"start":"2026-02-02","end":"2026-02-05","report_delivered":null,"rating":5})",
         "n1", "dep-c", 5});
    store.Import(mission);
    std::vector<store::LoggedDecisionRow> rows = store.LoggedDecisions();
    ASSERT_EQ(rows.size(), 1u);  // n2's decision (from the data set) has no logged ranking
    EXPECT_EQ(rows[0].need_id, "n1");
    EXPECT_EQ(rows[0].request_id, "r2");  // the last served before the decision
    EXPECT_EQ(rows[0].collectivite, "dep-c");
    EXPECT_EQ(rows[0].rating, std::optional<int>(5));
  }
  // The command line: dep-c (grade 2) second under default, first under a profile on presence.
  testing::CliRun run =
      testing::Expectmatch(Args({"evaluate --db", db.string(), "--profile default --json"}));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  nlohmann::json out = nlohmann::json::parse(run.output.substr(run.output.find('{')));
  EXPECT_EQ(out["needs"], 1);
  EXPECT_NEAR(out["profiles"][0]["metrics"]["mrr"].get<double>(), 0.5, 1e-12);
  testing::WriteFile(
      dir.path() / "presence.json",
      R"({"name":"presence","weights":{"thematic":0,"country_presence":1,"partner_history":0,"track_record":0,"language":0,"availability":0}})");
  run = testing::Expectmatch(Args({"whatif --db", db.string(), "--profile",
                                   (dir.path() / "presence.json").string(), "--json"}));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  out = nlohmann::json::parse(run.output.substr(run.output.find('{')));
  EXPECT_EQ(out["needs"][0]["baseline_rank"], 2);
  EXPECT_EQ(out["needs"][0]["profile_rank"], 1);
  EXPECT_EQ(out["summary"]["improved"], 1);
}

// A need proposed to com-b, which declined, then to dep-c, which accepted: the ranking the
// proposals were made from (before the first proposal) is the one judged, where com-b still
// stands, above dep-c; later rankings leave com-b out (the declined filter).
TEST(TuningStore, AnAuthorityThatDeclinedAProposalCountsAsANegative) {
  testing::ScratchDir dir;
  const auto db = dir.path() / "t.db";
  {
    store::Store store(db);
    service::OpenSnapshot(store, testing::TestData("tiny"));
    auto candidate = [](int rank, const char* id, double thematic) {
      return nlohmann::json{{"rank", rank},
                            {"collectivite", id},
                            {"score", thematic},
                            {"features",
                             {{"thematic", thematic},
                              {"country_presence", 0},
                              {"partner_history", 0},
                              {"track_record", 0},
                              {"language", 1},
                              {"availability", 1}}}};
    };
    const std::string before =
        nlohmann::json::array({candidate(1, "com-b", 0.9), candidate(2, "dep-c", 0.1)}).dump();
    const std::string after = nlohmann::json::array({candidate(1, "dep-c", 0.1)}).dump();
    store.AppendRankingLog(
        {{"r1", "2026-01-01T10:00:00Z", "default", 1, "n1", "{}", before, "", ""},
         {"r2", "2026-01-02T10:00:00Z", "default", 1, "n1", "{}", after, "", ""}});
    auto proposal = [](const char* id, const char* to, const char* at, const char* status) {
      store::ProposalRow p;
      p.id = id;
      p.need = "n1";
      p.collectivite = to;
      p.respond_by = "2026-01-20";
      p.status = status;
      p.created_at = at;
      p.created_by = "k_test";
      p.answered_at = at;
      p.answered_by = "k_test";
      return p;
    };
    store::NeedUpdate proposals;
    proposals.proposals.push_back(
        {proposal("p-1", "com-b", "2026-01-01T12:00:00Z", "declined"), ""});
    proposals.proposals.push_back(
        {proposal("p-2", "dep-c", "2026-01-02T12:00:00Z", "accepted"), ""});
    ASSERT_TRUE(store.ApplyNeedUpdate(proposals));
    std::optional<store::NeedRow> row = store.GetNeed("n1");
    ASSERT_TRUE(row);
    nlohmann::json doc = nlohmann::json::parse(row->json);
    doc["selected"] = "dep-c";
    doc["status"] = "assigned";
    store::NeedRow updated = *row;
    updated.status = "assigned";
    updated.selected = "dep-c";
    updated.json = doc.dump();
    ASSERT_TRUE(
        store.UpdateNeed(updated, row->json,
                         store::DecisionRow{"n1", "dep-c", "2026-01-03T09:00:00Z", "k_test", ""}));
    std::vector<store::LoggedDecisionRow> rows = store.LoggedDecisions();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].request_id, "r1");  // the last served before the first proposal
    EXPECT_EQ(rows[0].declined, std::vector<std::string>{"com-b"});
  }
  // dep-c comes second, behind the authority that declined: a reciprocal rank of 1/2 (with the
  // ranking served after the decline it would have been 1).
  testing::CliRun run =
      testing::Expectmatch(Args({"evaluate --db", db.string(), "--profile default --json"}));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("1 collectivités ayant décliné une proposition comptées comme non "
                            "retenues"),
            std::string::npos)
      << run.output;
  nlohmann::json out = nlohmann::json::parse(run.output.substr(run.output.find('{')));
  EXPECT_EQ(out["needs"], 1);
  EXPECT_NEAR(out["profiles"][0]["metrics"]["mrr"].get<double>(), 0.5, 1e-12);
  run = testing::Expectmatch(Args({"tune --db", db.string()}));
  EXPECT_NE(run.output.find("1 collectivités ayant décliné"), std::string::npos) << run.output;
}

TEST(TuningCli, GenerateEvaluateTuneAndWhatifOnAGeneratedHistory) {
  testing::ScratchDir dir;
  const std::string data = (dir.path() / "h").string();
  testing::CliRun run =
      testing::Expectmatch(Args({"generate --authorities 1500 --seed 4 --history 150", data}));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "h" / "hidden_weights.json"));
  EXPECT_EQ(testing::Expectmatch(Args({"validate", data})).exit_code, 0);
  run = testing::Expectmatch(Args({"evaluate", data, "--profile default --profile ouverture"}));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("NDCG@10"), std::string::npos);
  EXPECT_NE(run.output.find("ouverture"), std::string::npos);
  const std::string out = (dir.path() / "p.json").string(), html = (dir.path() / "r.html").string(),
                    json = (dir.path() / "r.json").string();
  run = testing::Expectmatch(
      Args({"tune", data, "--method pairwise-logistic --folds 3 --bootstrap 10 --out", out,
            "--report", html, "--report-json", json}));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  nlohmann::json profile = nlohmann::json::parse(testing::ReadFile(out));
  EXPECT_EQ(profile["name"], "ajuste");
  EXPECT_EQ(profile["weights"].size(), 6u);
  nlohmann::json report = nlohmann::json::parse(testing::ReadFile(json));
  EXPECT_EQ(report["per_fold"].size(), 3u);
  EXPECT_NE(testing::ReadFile(html).find("<svg"), std::string::npos);
  run = testing::Expectmatch(Args({"whatif", data, "--profile", out, "--json"}));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(testing::Expectmatch(Args({"evaluate", data, "--profile nope"})).exit_code, 2);
  EXPECT_EQ(testing::Expectmatch(Args({"tune", data, "--method gradient"})).exit_code != 0, true);
}

}  // namespace
}  // namespace expectmatch
