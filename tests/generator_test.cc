// The synthetic data set generator and `expectmatch generate`: valid, realistic, deterministic.
#include "expectmatch/synth/generator.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <set>

#include "expectmatch/datasets/loader.h"
#include "expectmatch/datasets/reference.h"
#include "expectmatch/datasets/writer.h"
#include "testutil.h"

namespace expectmatch::datasets {
namespace {

using matcher::CollectiviteKind;
using synth::GenerateDataset;
using synth::GeneratorPlan;
using synth::GeneratorProgress;
using synth::PlanDataset;
using testing::ReadFile;
using testing::ScratchDir;

std::string AllErrors(const LoadResult& result) {
  std::string out;
  for (size_t i = 0; i < result.errors.size() && i < 20; ++i) out += result.errors[i] + "\n";
  return out;
}

// The five files of a folder, concatenated.
std::string DatasetBytes(const std::filesystem::path& dir) {
  std::string out;
  for (const char* file : kDatasetFiles) out += std::string(file) + "\n" + ReadFile(dir / file);
  return out;
}

size_t CountKind(const matcher::Dataset& data, CollectiviteKind kind) {
  return static_cast<size_t>(
      std::count_if(data.collectivites.begin(), data.collectivites.end(),
                    [kind](const matcher::Collectivite& c) { return c.kind == kind; }));
}

// 2,000 authorities with seed 7, written to a folder and loaded back through the validator.
class GeneratedDataSet : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new ScratchDir();
    WriteDataset(GenerateDataset({2000, 7}), scratch_->path());
    loaded_ = new LoadResult(LoadDatasetDir(scratch_->path()));
  }
  static void TearDownTestSuite() {
    delete loaded_;
    delete scratch_;
  }
  static const matcher::Dataset& data() { return loaded_->dataset; }

  static inline ScratchDir* scratch_ = nullptr;
  static inline LoadResult* loaded_ = nullptr;
};

TEST_F(GeneratedDataSet, PassesValidation) {
  ASSERT_TRUE(loaded_->ok()) << AllErrors(*loaded_);
  EXPECT_EQ(data().collectivites.size(), 2000u);
  EXPECT_EQ(data().themes.size(), 58u);
  EXPECT_NEAR(static_cast<double>(data().cooperations.size()), 2000.0 / 3, 1.0);
  EXPECT_GE(data().missions.size(), 20u);
  EXPECT_GE(data().needs.size(), 20u);
}

TEST_F(GeneratedDataSet, HasTheSampleTaxonomy) {
  LoadResult sample = LoadDatasetDir(testing::SampleDir());
  ASSERT_TRUE(sample.ok());
  ASSERT_EQ(data().themes.size(), sample.dataset.themes.size());
  for (size_t i = 0; i < data().themes.size(); ++i) {
    EXPECT_EQ(data().themes[i].id, sample.dataset.themes[i].id);
    EXPECT_EQ(data().themes[i].label, sample.dataset.themes[i].label);
    EXPECT_EQ(data().themes[i].parent, sample.dataset.themes[i].parent);
  }
}

TEST_F(GeneratedDataSet, KindsFollowTheFrenchProportions) {
  double n = static_cast<double>(data().collectivites.size());
  EXPECT_EQ(CountKind(data(), CollectiviteKind::kRegion), 18u);
  EXPECT_GE(CountKind(data(), CollectiviteKind::kDepartement), 5u);
  EXPECT_GE(CountKind(data(), CollectiviteKind::kAssociation), 3u);
  EXPECT_NEAR(CountKind(data(), CollectiviteKind::kCommune) / n, 34935.0 / 36308, 0.02);
  EXPECT_NEAR(CountKind(data(), CollectiviteKind::kEpci) / n, 1254.0 / 36308, 0.01);
  std::set<std::string> regions;
  for (const matcher::Collectivite& c : data().collectivites) {
    if (c.kind == CollectiviteKind::kRegion) regions.insert(c.region);
  }
  EXPECT_EQ(regions.size(), FrenchRegions().size());
}

TEST(GeneratorPlan, ScalesTheFrenchFiguresWithFixedRegionsAndDepartements) {
  GeneratorPlan france = PlanDataset(36000);
  EXPECT_EQ(france.regions, 18u);
  EXPECT_EQ(france.departements, 100u);
  EXPECT_NEAR(static_cast<double>(france.epci), 1243, 5);
  EXPECT_EQ(france.cooperations, 12000u);
  EXPECT_EQ(france.missions, 120u);
  EXPECT_EQ(france.needs, 45u);
  GeneratorPlan million = PlanDataset(1000000);
  EXPECT_EQ(million.regions, 18u);
  EXPECT_EQ(million.departements, 101u);
  EXPECT_EQ(million.regions + million.departements + million.communes + million.epci +
                million.associations,
            1000000u);
  EXPECT_EQ(million.cooperations, 333333u);
}

TEST_F(GeneratedDataSet, LabelsAreAMinority) {
  size_t labelled = 0, communes = 0, labelled_communes = 0, labelled_regions = 0;
  for (const matcher::Collectivite& c : data().collectivites) {
    if (!c.labels.empty()) {
      ++labelled;
      EXPECT_LE(c.labels.size(), 4u) << c.id;
      EXPECT_GE(c.capacity_per_year, 1) << c.id;
    }
    if (c.kind == CollectiviteKind::kCommune) {
      ++communes;
      labelled_communes += !c.labels.empty();
    }
    labelled_regions += c.kind == CollectiviteKind::kRegion && !c.labels.empty();
  }
  EXPECT_GT(labelled, 20u);
  EXPECT_LT(labelled, data().collectivites.size() / 10);
  EXPECT_LT(labelled_communes, communes / 20);
  EXPECT_GE(labelled_regions, 9u);
}

TEST_F(GeneratedDataSet, MaliBurkinaFasoAndSenegalHoldTheMostLinks) {
  std::map<std::string, size_t> links;
  for (const matcher::Cooperation& link : data().cooperations) ++links[link.country];
  size_t others = 0;
  for (const auto& [country, count] : links) {
    if (country != "ML" && country != "BF" && country != "SN") others = std::max(others, count);
  }
  EXPECT_GE(links["ML"], links["BF"]);
  EXPECT_GE(links["BF"], links["SN"]);
  EXPECT_GT(links["SN"], others);
  EXPECT_GE(links.size(), 100u);
}

TEST_F(GeneratedDataSet, CooperationIsHeavyTailedAndPartnersAreShared) {
  std::map<std::string, size_t> per_authority, per_partner;
  for (const matcher::Cooperation& link : data().cooperations) {
    ++per_authority[link.collectivite];
    ++per_partner[link.partner.id];
  }
  size_t single = 0, most = 0;
  for (const auto& [id, count] : per_authority) {
    single += count == 1;
    most = std::max(most, count);
  }
  EXPECT_GT(single * 2, per_authority.size());
  EXPECT_GE(most, 10u);
  EXPECT_LT(per_authority.size(), data().collectivites.size() / 4);
  EXPECT_LT(per_partner.size(), data().cooperations.size());
}

TEST_F(GeneratedDataSet, MissionsAndNeedsLookLikeTheProgramme) {
  std::set<std::string> labelled;
  for (const matcher::Collectivite& c : data().collectivites) {
    if (!c.labels.empty()) labelled.insert(c.id);
  }
  size_t by_labelled = 0;
  for (const matcher::Mission& m : data().missions) {
    by_labelled += labelled.count(m.collectivite);
    EXPECT_GE(m.start.Year(), 2019) << m.id;
    EXPECT_LE(m.start.Year(), 2026) << m.id;
  }
  EXPECT_GT(by_labelled * 10, data().missions.size() * 7);
  size_t french_only = 0;
  for (const matcher::Need& need : data().needs) {
    EXPECT_EQ(need.period.start.Year(), 2027) << need.id;
    ASSERT_TRUE(need.submitted_at) << need.id;
    EXPECT_EQ(need.submitted_at->Year(), 2026) << need.id;
    EXPECT_FALSE(need.description.empty()) << need.id;
    double weights = 0;
    for (const matcher::NeedTheme& theme : need.themes) weights += theme.weight;
    EXPECT_NEAR(weights, 1.0, 1e-9) << need.id;
    french_only += need.languages == std::vector<std::string>{"fr"};
  }
  EXPECT_GT(french_only * 2, data().needs.size());
}

TEST(Generator, SameSeedWritesIdenticalFiles) {
  ScratchDir a, b;
  WriteDataset(GenerateDataset({2000, 7}), a.path());
  WriteDataset(GenerateDataset({2000, 7}), b.path());
  EXPECT_EQ(DatasetBytes(a.path()), DatasetBytes(b.path()));
}

TEST(Generator, AnotherSeedWritesOtherData) {
  ScratchDir a, b;
  WriteDataset(GenerateDataset({2000, 7}), a.path());
  WriteDataset(GenerateDataset({2000, 8}), b.path());
  EXPECT_EQ(ReadFile(a.path() / "themes.json"), ReadFile(b.path() / "themes.json"));
  EXPECT_NE(ReadFile(a.path() / "collectivites.json"), ReadFile(b.path() / "collectivites.json"));
  EXPECT_NE(ReadFile(a.path() / "cooperations.json"), ReadFile(b.path() / "cooperations.json"));
  EXPECT_NE(ReadFile(a.path() / "needs.json"), ReadFile(b.path() / "needs.json"));
}

TEST(Generator, TinyDataSetsAreValid) {
  for (size_t n : {1, 2, 7, 60, 199}) {
    ScratchDir dir;
    WriteDataset(GenerateDataset({n, 3}), dir.path());
    LoadResult loaded = LoadDatasetDir(dir.path());
    EXPECT_TRUE(loaded.ok()) << n << " authorities:\n" << AllErrors(loaded);
    EXPECT_EQ(loaded.dataset.collectivites.size(), n);
  }
}

TEST(Generator, AFileThatCannotBeWrittenIsNamedAndNothingIsReplaced) {
  ScratchDir dir;
  matcher::Dataset data = GenerateDataset({100, 1});
  WriteDataset(data, dir.path());
  std::string before = DatasetBytes(dir.path());
  std::filesystem::create_directory(dir.path() / "cooperations.json.tmp");
  try {
    WriteDataset(GenerateDataset({100, 2}), dir.path());
    FAIL() << "expected a filesystem_error";
  } catch (const std::filesystem::filesystem_error& e) {
    EXPECT_EQ(e.path1(), dir.path() / "cooperations.json.tmp");
  }
  EXPECT_EQ(DatasetBytes(dir.path()), before);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "collectivites.json.tmp"));
}

TEST(Generator, ReportsEveryStageUpToItsEnd) {
  std::vector<std::string> finished;
  size_t calls = 0;
  GeneratorProgress progress = [&](std::string_view stage, size_t done, size_t total) {
    ++calls;
    EXPECT_LE(done, total) << stage;
    if (done == total) finished.emplace_back(stage);
  };
  ScratchDir dir;
  WriteDataset(GenerateDataset({5000, 1}, progress), dir.path(), progress);
  EXPECT_EQ(finished, (std::vector<std::string>{"collectivités", "coopérations", "missions",
                                                "besoins", "écriture"}));
  EXPECT_LE(calls, 600u);
}

using testing::CliRun;
using testing::Expectmatch;

TEST(GenerateCommand, WritesAValidDataSetAndSummarisesItInFrench) {
  ScratchDir scratch;
  std::filesystem::path out = scratch.path() / "jeu";
  CliRun run = Expectmatch("generate --authorities 300 --seed 5 " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("collectivités : 300/300"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("300 collectivités dont"), std::string::npos) << run.output;
  CliRun validate = Expectmatch("validate " + out.string());
  EXPECT_EQ(validate.exit_code, 0) << validate.output;
}

TEST(GenerateCommand, RefusesToOverwriteADataSetWithoutForce) {
  ScratchDir scratch;
  ASSERT_EQ(Expectmatch("generate --authorities 50 " + scratch.path().string()).exit_code, 0);
  std::string before = DatasetBytes(scratch.path());
  CliRun again = Expectmatch("generate --authorities 60 " + scratch.path().string());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("--force"), std::string::npos) << again.output;
  EXPECT_EQ(DatasetBytes(scratch.path()), before);
  CliRun forced = Expectmatch("generate --authorities 60 --force " + scratch.path().string());
  EXPECT_EQ(forced.exit_code, 0) << forced.output;
  EXPECT_NE(DatasetBytes(scratch.path()), before);
}

TEST(GenerateCommand, ReportsAWriteFailureInFrench) {
  ScratchDir scratch;
  std::filesystem::create_directory(scratch.path() / "needs.json.tmp");
  CliRun run = Expectmatch("generate --authorities 50 " + scratch.path().string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("erreur : impossible d'écrire " +
                            (scratch.path() / "needs.json.tmp").string()),
            std::string::npos)
      << run.output;
}

TEST(GenerateCommand, RejectsZeroAuthorities) {
  ScratchDir scratch;
  EXPECT_NE(Expectmatch("generate --authorities 0 " + scratch.path().string()).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(scratch.path() / "collectivites.json"));
}

}  // namespace
}  // namespace expectmatch::datasets
