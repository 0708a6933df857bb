// The synthetic data set generator and `expectmatch generate`: valid, realistic, deterministic.
#include "expectmatch/synth/generator.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "expectmatch/datasets/loader.h"
#include "expectmatch/datasets/reference.h"
#include "expectmatch/datasets/writer.h"
#include "expectmatch/understanding/fold.h"
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

// The key a partner resolver compares, written here apart from the generator's: folded, the
// generic words of local authorities dropped at either end, "st" read as "saint".
std::string ResolverKey(std::string_view name) {
  static const std::set<std::string> kLeading = {"commune",
                                                 "communes",
                                                 "rurale",
                                                 "urbaine",
                                                 "ville",
                                                 "mairie",
                                                 "municipalite",
                                                 "municipalites",
                                                 "municipality",
                                                 "municipalities",
                                                 "municipalidad",
                                                 "municipio",
                                                 "municipios",
                                                 "municipal",
                                                 "prefeitura",
                                                 "camara",
                                                 "alcaldia",
                                                 "ayuntamiento",
                                                 "region",
                                                 "regiao",
                                                 "regional",
                                                 "conseil",
                                                 "council",
                                                 "gobierno",
                                                 "province",
                                                 "provincia",
                                                 "provincial",
                                                 "federation",
                                                 "federacion",
                                                 "union",
                                                 "associacao",
                                                 "city",
                                                 "town",
                                                 "of",
                                                 "de",
                                                 "d",
                                                 "du",
                                                 "des",
                                                 "la",
                                                 "l",
                                                 "dos",
                                                 "da",
                                                 "do"};
  static const std::set<std::string> kTrailing = {
      "city", "council", "municipality", "municipalities", "region", "regional", "province"};
  std::vector<std::string> words = understanding::FoldedWords(name);
  size_t begin = 0, end = words.size();
  while (begin < end && kLeading.count(words[begin])) ++begin;
  while (end > begin && kTrailing.count(words[end - 1])) --end;
  std::string key;
  for (size_t i = begin; i < end; ++i) {
    if (!key.empty()) key += ' ';
    key += words[i] == "st" ? "saint" : words[i] == "ste" ? "sainte" : words[i];
  }
  return key;
}

std::string Lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Open needs and 500 history needs of 2,000 authorities, seed 11: how their partners are
// written, against the cooperations' partners.
class WordedNeeds : public ::testing::Test {
 protected:
  struct Known {
    std::set<std::pair<std::string, std::string>> exact;  // (id, name)
    std::map<std::string, std::set<std::string>> names_by_key;
    std::map<std::string, std::string> name_by_lower_id;
    std::set<std::string> names;
  };
  enum class Written { kExact, kTyped, kNew };

  static void SetUpTestSuite() {
    data_ = new matcher::Dataset(GenerateDataset({2000, 11}));
    synth::AddHistory(data_, {500, 11});
    known_ = new std::map<std::string, Known>;
    for (const matcher::Cooperation& link : data_->cooperations) {
      Known& k = (*known_)[link.country];
      k.exact.insert({link.partner.id, link.partner.name});
      k.names_by_key[ResolverKey(link.partner.name)].insert(link.partner.name);
      k.name_by_lower_id[Lowercase(link.partner.id)] = link.partner.name;
      k.names.insert(link.partner.name);
    }
  }
  static void TearDownTestSuite() {
    delete known_;
    delete data_;
  }

  // The cooperation partners' names of `need`'s country that its partner designates: by its id
  // in any case, else by key up to one transposition of adjacent letters.
  static std::set<std::string> Designated(const matcher::Need& need) {
    const Known& k = (*known_)[need.country];
    if (!need.partner.id.empty()) {
      auto it = k.name_by_lower_id.find(Lowercase(need.partner.id));
      return it == k.name_by_lower_id.end() ? std::set<std::string>{}
                                            : std::set<std::string>{it->second};
    }
    std::string key = ResolverKey(need.partner.name);
    std::set<std::string> out;
    for (size_t i = 0; i <= key.size(); ++i) {
      std::string probe = key;
      if (i > 0) {
        if (i == key.size()) break;
        std::swap(probe[i - 1], probe[i]);
      }
      auto it = k.names_by_key.find(probe);
      if (it != k.names_by_key.end()) out.insert(it->second.begin(), it->second.end());
    }
    return out;
  }

  static Written HowWritten(const matcher::Need& need) {
    const Known& k = (*known_)[need.country];
    if (k.exact.count({need.partner.id, need.partner.name})) return Written::kExact;
    if (need.partner.id.empty() && k.names.count(need.partner.name)) return Written::kNew;
    return Designated(need).empty() ? Written::kNew : Written::kTyped;
  }

  static inline matcher::Dataset* data_ = nullptr;
  static inline std::map<std::string, Known>* known_ = nullptr;
};

TEST_F(WordedNeeds, AboutFortyPercentOfKnownPartnersAreWrittenAsTyped) {
  size_t exact = 0, typed = 0;
  for (const matcher::Need& need : data_->needs) {
    Written how = HowWritten(need);
    exact += how == Written::kExact;
    typed += how == Written::kTyped;
  }
  ASSERT_GT(exact + typed, 150u);
  double share = static_cast<double>(typed) / static_cast<double>(exact + typed);
  EXPECT_NEAR(share, 0.4, 0.08) << typed << " typed, " << exact << " exact";
}

TEST_F(WordedNeeds, ATypedPartnerDesignatesOnePartnerOfItsOwnCountry) {
  size_t typed = 0;
  for (const matcher::Need& need : data_->needs) {
    if (HowWritten(need) != Written::kTyped) continue;
    ++typed;
    ASSERT_FALSE(need.country.empty()) << need.id;
    // Designated() looks in the need's country only: the partner is there, and only one.
    std::set<std::string> designated = Designated(need);
    EXPECT_EQ(designated.size(), 1u) << need.id << " « " << need.partner.name << " »";
    // Its spelling is no partner's recorded name, and folds to no other partner's name.
    const Known& k = (*known_)[need.country];
    EXPECT_FALSE(k.names.count(need.partner.name)) << need.id << " " << need.partner.name;
    auto same_key = k.names_by_key.find(ResolverKey(need.partner.name));
    if (same_key != k.names_by_key.end()) {
      EXPECT_EQ(same_key->second, designated) << need.id << " « " << need.partner.name << " »";
    }
    if (!need.partner.id.empty()) {
      EXPECT_FALSE(k.exact.count({need.partner.id, *designated.begin()})) << need.id;
    }
  }
  EXPECT_GT(typed, 50u);
}

TEST_F(WordedNeeds, TypedPartnersAreSpelledInManyWays) {
  size_t capitals = 0, bare = 0, other_language = 0, other_case_id = 0, no_id = 0;
  std::set<std::string> first_words;
  for (const matcher::Need& need : data_->needs) {
    if (HowWritten(need) != Written::kTyped) continue;
    const std::string& name = need.partner.name;
    bool upper =
        std::none_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    capitals += upper;
    bare += ResolverKey(name) == understanding::Fold(name);
    for (std::string_view word : {"City", "Municipality", "Municipalidad", "Municipio",
                                  "Prefeitura", "Município", "Alcaldía", "Province of"})
      other_language += name.find(word) != std::string::npos;
    other_case_id += !need.partner.id.empty();
    no_id += need.partner.id.empty();
    first_words.insert(understanding::FoldedWords(name).front());
  }
  EXPECT_GE(capitals, 5u);
  EXPECT_GE(bare, 10u);
  EXPECT_GE(other_language, 1u);
  EXPECT_GE(other_case_id, 3u);
  EXPECT_GT(no_id, other_case_id);
  EXPECT_GE(first_words.size(), 20u);
}

TEST_F(WordedNeeds, DescriptionsVaryAndStayShort) {
  std::set<std::string> openings, descriptions;
  size_t needs = 0;
  for (const matcher::Need& need : data_->needs) {
    ++needs;
    const std::string& text = need.description;
    ASSERT_FALSE(text.empty()) << need.id;
    EXPECT_LE(text.size(), 1500u) << need.id;
    EXPECT_EQ(text.find('{'), std::string::npos) << need.id << ": " << text;
    EXPECT_EQ(text.find("  "), std::string::npos) << need.id << ": " << text;
    std::vector<std::string> words = understanding::FoldedWords(text);
    ASSERT_GE(words.size(), 3u) << need.id;
    openings.insert(words[0] + " " + words[1]);
    descriptions.insert(text);
  }
  ASSERT_GE(needs, 200u);
  EXPECT_GE(openings.size(), 10u);
  EXPECT_GE(descriptions.size() * 100, needs * 95);
}

TEST(Generator, SameSeedWritesIdenticalHistories) {
  ScratchDir a, b;
  for (const ScratchDir* dir : {&a, &b}) {
    matcher::Dataset data = GenerateDataset({800, 5});
    synth::AddHistory(&data, {80, 5});
    WriteDataset(data, dir->path());
  }
  EXPECT_EQ(DatasetBytes(a.path()), DatasetBytes(b.path()));
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
