// The official list of French local authorities (Etalab): reading the package's files, the
// store's lookups and search, the API routes, SIREN and INSEE on records (codec, CSV, PUT), the
// `import --official-list` command and the generator drawing from the list. Exact values come
// from the fixture tests/data/official (see its README.md).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <set>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/collectivites_csv.h"
#include "expectmatch/datasets/loader.h"
#include "expectmatch/datasets/official_list.h"
#include "expectmatch/service/official.h"
#include "expectmatch/store_rows/store_rows.h"
#include "expectmatch/synth/generator.h"
#include "live_server.h"
#include "testutil.h"

namespace expectmatch {
namespace {

using datasets::Json;
using datasets::OfficialAuthority;
using datasets::OfficialList;
using matcher::CollectiviteKind;
using testing::ScratchDir;
using testing::TestData;

std::filesystem::path Fixture() { return TestData("official") / "data"; }

const OfficialAuthority* Find(const OfficialList& list, const std::string& name) {
  for (const OfficialAuthority& a : list.authorities) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::vector<std::string> Names(const std::vector<store::OfficialRow>& rows) {
  std::vector<std::string> names;
  for (const store::OfficialRow& row : rows) names.push_back(row.name);
  return names;
}

TEST(OfficialList, SirenLuhnCheck) {
  EXPECT_TRUE(datasets::IsValidSiren("213502388"));   // Rennes
  EXPECT_TRUE(datasets::IsValidSiren("243500139"));   // Rennes Métropole
  EXPECT_TRUE(datasets::IsValidSiren("732829320"));   // a company: the check is the same
  EXPECT_FALSE(datasets::IsValidSiren("213502389"));  // last digit changed
  EXPECT_FALSE(datasets::IsValidSiren("213502838"));  // two digits swapped
  EXPECT_FALSE(datasets::IsValidSiren("21350238"));
  EXPECT_FALSE(datasets::IsValidSiren("2135023880"));
  EXPECT_FALSE(datasets::IsValidSiren("21350238A"));
  EXPECT_FALSE(datasets::IsValidSiren(""));
}

TEST(OfficialList, InseeCodeFormatByKind) {
  using datasets::InseeProblem;
  EXPECT_EQ(InseeProblem(CollectiviteKind::kCommune, "35238"), "");
  EXPECT_EQ(InseeProblem(CollectiviteKind::kCommune, "2A004"), "");
  EXPECT_EQ(InseeProblem(CollectiviteKind::kCommune, "2B033"), "");
  EXPECT_NE(InseeProblem(CollectiviteKind::kCommune, "2C004"), "");
  EXPECT_NE(InseeProblem(CollectiviteKind::kCommune, "3523"), "");
  EXPECT_NE(InseeProblem(CollectiviteKind::kCommune, "352380"), "");
  EXPECT_EQ(InseeProblem(CollectiviteKind::kDepartement, "35"), "");
  EXPECT_EQ(InseeProblem(CollectiviteKind::kDepartement, "2A"), "");
  EXPECT_EQ(InseeProblem(CollectiviteKind::kDepartement, "974"), "");
  EXPECT_NE(InseeProblem(CollectiviteKind::kDepartement, "3"), "");
  EXPECT_NE(InseeProblem(CollectiviteKind::kDepartement, "2C"), "");
  EXPECT_EQ(InseeProblem(CollectiviteKind::kRegion, "53"), "");
  EXPECT_NE(InseeProblem(CollectiviteKind::kRegion, "975"), "");
  EXPECT_EQ(InseeProblem(CollectiviteKind::kEpci, "243500139"),
            "un EPCI n'a pas de code INSEE (son identifiant est son numéro SIREN)");
  EXPECT_NE(InseeProblem(CollectiviteKind::kAssociation, "35"), "");
}

TEST(OfficialList, ReadsTheFixtureExactly) {
  OfficialList list = datasets::ReadOfficialList(Fixture());
  ASSERT_TRUE(list.ok()) << list.errors.front();
  EXPECT_EQ(list.version, "6.0.0-fixture");
  EXPECT_EQ(list.Count(CollectiviteKind::kRegion), 2u);
  EXPECT_EQ(list.Count(CollectiviteKind::kDepartement), 2u);
  EXPECT_EQ(list.Count(CollectiviteKind::kEpci), 2u);
  // Six current communes, one refused for its SIREN; the delegated commune is not current.
  EXPECT_EQ(list.Count(CollectiviteKind::kCommune), 5u);
  EXPECT_EQ(list.authorities.size(), 11u);
  EXPECT_EQ(list.bad_siren, 1u);
  ASSERT_EQ(list.bad_siren_examples.size(), 1u);
  EXPECT_EQ(list.bad_siren_examples[0], "commune 35289 « Saint-Malo-de-Phily » : SIREN 213502892");
  EXPECT_EQ(Find(list, "Saint-Malo-de-Phily"), nullptr);
  EXPECT_EQ(Find(list, "Antrain"), nullptr);
  // Miquelon-Langlade and Saint-Pierre-et-Miquelon are outside the 18 régions.
  EXPECT_EQ(list.outside_regions, 2u);
  EXPECT_EQ(Find(list, "Miquelon-Langlade"), nullptr);

  const OfficialAuthority* rennes = Find(list, "Rennes");
  ASSERT_NE(rennes, nullptr);
  EXPECT_EQ(rennes->kind, CollectiviteKind::kCommune);
  EXPECT_EQ(rennes->insee, "35238");
  EXPECT_EQ(rennes->siren, "213502388");
  EXPECT_EQ(rennes->region, "Bretagne");
  EXPECT_EQ(rennes->departement, "35");
  EXPECT_EQ(rennes->population, 230890);

  const OfficialAuthority* metropole = Find(list, "Métropole de Lyon");
  ASSERT_NE(metropole, nullptr);
  EXPECT_EQ(metropole->kind, CollectiviteKind::kEpci);
  EXPECT_EQ(metropole->insee, "");
  EXPECT_EQ(metropole->siren, "200046977");
  EXPECT_EQ(metropole->region, "Auvergne-Rhône-Alpes");  // its members'
  EXPECT_EQ(metropole->departement, "69");
  EXPECT_EQ(metropole->population, 1449118);

  // A département's and a région's population: the sum of their current communes' (a commune
  // whose SIREN is refused still counts: 19,683 + 230,890 + 47,439 + 1,081).
  const OfficialAuthority* ille = Find(list, "Ille-et-Vilaine");
  ASSERT_NE(ille, nullptr);
  EXPECT_EQ(ille->insee, "35");
  EXPECT_EQ(ille->siren, "");
  EXPECT_EQ(ille->region, "Bretagne");
  EXPECT_EQ(ille->population, 299093);
  const OfficialAuthority* bretagne = Find(list, "Bretagne");
  ASSERT_NE(bretagne, nullptr);
  EXPECT_EQ(bretagne->kind, CollectiviteKind::kRegion);
  EXPECT_EQ(bretagne->insee, "53");
  EXPECT_EQ(bretagne->departement, "");
  EXPECT_EQ(bretagne->population, 299093);
  EXPECT_EQ(Find(list, "Auvergne-Rhône-Alpes")->population, 682811);
}

TEST(OfficialList, AMissingFolderOrFileIsAnError) {
  OfficialList missing = datasets::ReadOfficialList(TestData("official") / "absent");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.authorities.empty());
  ScratchDir scratch;
  testing::WriteFile(scratch.path() / "communes.json", "[]");
  testing::WriteFile(scratch.path() / "epci.json", "{not json");
  OfficialList broken = datasets::ReadOfficialList(scratch.path());
  ASSERT_EQ(broken.errors.size(), 3u);
  EXPECT_EQ(broken.errors[0], "epci.json : JSON illisible ou pas un tableau");
  EXPECT_EQ(broken.errors[1],
            "departements.json : fichier introuvable dans " + scratch.path().string());
}

// The list as the installed package holds it (scripts/install-official-list.sh). CMake defines
// EXPECTMATCH_OFFICIAL_LIST_DIR when it finds the package or when the variable is given; a
// given folder that is missing fails the test rather than skipping it.
TEST(OfficialList, TheInstalledPackageHasTheNationalCounts) {
#ifndef EXPECTMATCH_OFFICIAL_LIST_DIR
  GTEST_SKIP() << "the package is not installed (make deps installs it)";
#else
  OfficialList list = datasets::ReadOfficialList(EXPECTMATCH_OFFICIAL_LIST_DIR);
  ASSERT_TRUE(list.ok()) << list.errors.front();
  EXPECT_EQ(list.version, "6.0.0");
  EXPECT_EQ(list.Count(CollectiviteKind::kRegion), 18u);
  EXPECT_EQ(list.Count(CollectiviteKind::kDepartement), 101u);
  EXPECT_EQ(list.Count(CollectiviteKind::kEpci), 1255u);
  // 34,969 current communes, 94 of them in overseas collectivités outside the régions.
  EXPECT_EQ(list.Count(CollectiviteKind::kCommune), 34875u);
  EXPECT_EQ(list.bad_siren, 0u);
  EXPECT_EQ(list.outside_regions, 94u + 8u + 8u);  // communes, départements, régions
  std::set<std::string> sirens;
  for (const OfficialAuthority& a : list.authorities) {
    if (a.siren.empty()) continue;
    EXPECT_TRUE(datasets::IsValidSiren(a.siren)) << a.name;
    EXPECT_TRUE(sirens.insert(a.siren).second) << "SIREN twice: " << a.siren;
  }
  EXPECT_EQ(sirens.size(), 34875u + 1255u);  // every commune and EPCI has one
#endif
}

class OfficialStore : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_unique<store::Store>(scratch_.path() / "official.db");
    service::OfficialImport import =
        service::ImportOfficialList(*store_, Fixture(), "2026-11-30T18:00:00Z");
    ASSERT_TRUE(import.written);
  }
  std::vector<store::OfficialRow> Search(const std::string& text, const std::string& kind = "",
                                         size_t limit = 10, size_t* total = nullptr) {
    return store_->SearchOfficial(service::OfficialSearchWords(text), kind, limit, total);
  }

  ScratchDir scratch_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(OfficialStore, ImportRecordsTheListAndItsProvenance) {
  std::optional<store::OfficialListInfo> info = store_->OfficialList();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->count, 11u);
  EXPECT_EQ(info->version, "6.0.0-fixture");
  EXPECT_EQ(info->imported_at, "2026-11-30T18:00:00Z");
  EXPECT_EQ(info->source, std::filesystem::absolute(Fixture()).lexically_normal().string());
  // A second import replaces the list: nothing is there twice.
  service::ImportOfficialList(*store_, Fixture(), "2026-12-01T08:00:00Z");
  EXPECT_EQ(store_->OfficialList()->count, 11u);
  EXPECT_EQ(store_->OfficialList()->imported_at, "2026-12-01T08:00:00Z");
  // The list is not catalogue data: the generation does not move.
  const uint64_t generation = store_->Generation();
  service::ImportOfficialList(*store_, Fixture(), "2026-12-02T08:00:00Z");
  EXPECT_EQ(store_->Generation(), generation);
}

TEST_F(OfficialStore, AnEmptyStoreHasNoList) {
  store::Store empty(scratch_.path() / "empty.db");
  EXPECT_FALSE(empty.OfficialList());
  EXPECT_FALSE(empty.FindOfficialBySiren("213502388"));
}

TEST_F(OfficialStore, FindsBySirenAndByInsee) {
  std::optional<store::OfficialRow> rennes = store_->FindOfficialBySiren("213502388");
  ASSERT_TRUE(rennes);
  EXPECT_EQ(rennes->name, "Rennes");
  EXPECT_EQ(rennes->kind, "commune");
  EXPECT_EQ(rennes->insee, "35238");
  EXPECT_EQ(rennes->region, "Bretagne");
  EXPECT_EQ(rennes->departement, "35");
  EXPECT_EQ(rennes->population, 230890);
  EXPECT_EQ(rennes->words, " rennes ");
  EXPECT_EQ(store_->FindOfficialBySiren("200046977")->name, "Métropole de Lyon");
  EXPECT_FALSE(store_->FindOfficialBySiren("213502892"));  // refused at import
  EXPECT_FALSE(store_->FindOfficialBySiren(""));           // départements have none
  EXPECT_EQ(store_->FindOfficialByInsee("departement", "69")->name, "Rhône");
  EXPECT_EQ(store_->FindOfficialByInsee("region", "84")->name, "Auvergne-Rhône-Alpes");
  EXPECT_EQ(store_->FindOfficialByInsee("commune", "69266")->siren, "216902668");
  EXPECT_FALSE(store_->FindOfficialByInsee("commune", "69"));
  EXPECT_FALSE(store_->FindOfficialByInsee("departement", "35238"));
}

TEST_F(OfficialStore, SearchIgnoresAccentsAndCaseAndPrefixMatchesEveryWord) {
  size_t total = 0;
  // Bigger population first.
  EXPECT_EQ(Names(Search("lyon", "", 10, &total)),
            (std::vector<std::string>{"Métropole de Lyon", "Lyon"}));
  EXPECT_EQ(total, 2u);
  EXPECT_EQ(Names(Search("REN")), (std::vector<std::string>{"Rennes Métropole", "Rennes"}));
  EXPECT_EQ(Names(Search("metropole")),
            (std::vector<std::string>{"Métropole de Lyon", "Rennes Métropole"}));
  // Every word must start a word of the name, in any order.
  EXPECT_EQ(Names(Search("métro ren")), (std::vector<std::string>{"Rennes Métropole"}));
  EXPECT_EQ(Names(Search("malo saint")), (std::vector<std::string>{"Saint-Malo"}));
  EXPECT_EQ(Names(Search("Saint-Malo")), (std::vector<std::string>{"Saint-Malo"}));
  EXPECT_TRUE(Search("alo").empty());  // not the start of a word
  // Equal populations keep the list's order (régions first).
  EXPECT_EQ(Names(Search("rhone")), (std::vector<std::string>{"Auvergne-Rhône-Alpes", "Rhône"}));
  EXPECT_EQ(Names(Search("rhone", "departement")), (std::vector<std::string>{"Rhône"}));
  EXPECT_EQ(Names(Search("lyon", "commune")), (std::vector<std::string>{"Lyon"}));
  EXPECT_EQ(Names(Search("e", "", 10, &total)),
            (std::vector<std::string>{"Ille-et-Vilaine"}));  // "et" starts with e
  EXPECT_EQ(total, 1u);
  // The limit cuts the items, not the total.
  EXPECT_EQ(Names(Search("r", "", 2, &total)),
            (std::vector<std::string>{"Auvergne-Rhône-Alpes", "Rhône"}));
  EXPECT_EQ(total, 4u);  // and Rennes Métropole, Rennes
}

TEST_F(OfficialStore, CollectivitesAreFoundBySiren) {
  datasets::LoadResult tiny = datasets::LoadDatasetDir(TestData("tiny"));
  ASSERT_TRUE(tiny.ok());
  tiny.dataset.collectivites[0].siren = "213502388";
  store_->Seed(store_rows::SeedDocumentsFor(tiny.dataset, "tiny"));
  std::optional<store::Document> found = store_->FindCollectiviteBySiren("213502388");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, "com-a");
  EXPECT_EQ(Json::parse(found->json)["siren"], "213502388");
  EXPECT_FALSE(store_->FindCollectiviteBySiren("216901231"));
  EXPECT_FALSE(store_->FindCollectiviteBySiren(""));  // the others have none
}

// A database of schema 10 gets the table and the column, the SIREN read from the documents.
TEST(OfficialMigration, BackfillsTheSirenColumnFromTheDocuments) {
  ScratchDir scratch;
  const auto db = scratch.path() / "v10.db";
  {
    store::Store store(db);
    datasets::LoadResult tiny = datasets::LoadDatasetDir(TestData("tiny"));
    ASSERT_TRUE(tiny.ok());
    tiny.dataset.collectivites[1].siren = "216901231";
    store.Seed(store_rows::SeedDocumentsFor(tiny.dataset, "tiny"));
  }
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.string().c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "DROP TABLE official_authorities; DROP INDEX collectivites_by_siren; "
                           "ALTER TABLE collectivites DROP COLUMN siren; PRAGMA user_version = 11;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(raw);
    sqlite3_close(raw);
  }
  store::Store store(db);
  EXPECT_EQ(store.SchemaVersion(), 12);
  EXPECT_EQ(store.FindCollectiviteBySiren("216901231")->id, "com-b");
  EXPECT_FALSE(store.OfficialList());
}

// ---- records: codec and CSV ------------------------------------------------------------------

Json Commune(const std::string& extra) {
  return Json::parse(
      R"({"id": "com-r", "name": "Rennes", "kind": "commune", "region": "Bretagne",
      "labels": [], "languages": ["fr"], "capacity_per_year": 1, "experts": 1)" +
      extra + "}");
}

datasets::FieldErrors Decode(const Json& json, std::optional<matcher::Collectivite>* out) {
  datasets::FieldErrors errors;
  *out = datasets::DecodeCollectivite(json, datasets::FieldPath(), {}, &errors);
  return errors;
}

TEST(OfficialCodes, TheCodecReadsAndWritesSirenAndInsee) {
  std::optional<matcher::Collectivite> c;
  ASSERT_TRUE(Decode(Commune(R"(, "siren": "213502388", "insee": "35238")"), &c).empty());
  EXPECT_EQ(c->siren, "213502388");
  EXPECT_EQ(c->insee, "35238");
  Json encoded = datasets::Encode(*c);
  EXPECT_EQ(encoded["siren"], "213502388");
  EXPECT_EQ(encoded["insee"], "35238");
  // Absent: empty, and left out when written.
  ASSERT_TRUE(Decode(Commune(""), &c).empty());
  EXPECT_EQ(c->siren, "");
  EXPECT_FALSE(datasets::Encode(*c).contains("siren"));
  EXPECT_FALSE(datasets::Encode(*c).contains("insee"));
}

TEST(OfficialCodes, TheCodecRefusesABadSirenOrInseeNamingTheField) {
  std::optional<matcher::Collectivite> c;
  datasets::FieldErrors errors = Decode(Commune(R"(, "siren": "213502389")"), &c);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path.Pointer(), "/siren");
  EXPECT_EQ(errors[0].message, "le numéro SIREN « 213502389 » n'a pas une clé de contrôle valide");
  errors = Decode(Commune(R"(, "siren": "2135")"), &c);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "le numéro SIREN « 2135 » doit avoir 9 chiffres");
  errors = Decode(Commune(R"(, "insee": "35")"), &c);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path.Pointer(), "/insee");
  EXPECT_EQ(errors[0].message,
            "code INSEE « 35 » : le code INSEE d'une commune a 5 caractères (chiffres, ou 2A/2B "
            "puis 3 chiffres)");
  Json epci = Commune(R"(, "insee": "243500139")");
  epci["kind"] = "epci";
  errors = Decode(epci, &c);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path.Pointer(), "/insee");
  Json departement = Commune(R"(, "insee": "2A")");
  departement["kind"] = "departement";
  EXPECT_TRUE(Decode(departement, &c).empty());
  errors = Decode(Commune(R"(, "siren": 213502388)"), &c);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path.Pointer(), "/siren");
}

TEST(OfficialCodes, TheCsvReadsSirenAndInseeColumns) {
  const std::string header =
      "identifiant;nom;type;région;langues;capacité annuelle;experts;SIREN;code INSEE\n";
  datasets::CollectivitesCsv good = datasets::DecodeCollectivitesCsv(
      header +
          "com-r;Rennes;Commune;Bretagne;fr;1;1;213 502 388;35238\n"
          "dep-35;Ille-et-Vilaine;Département;Bretagne;fr;1;1;;35\n",
      nullptr);
  ASSERT_TRUE(good.ok()) << good.errors.front().ToString("f.csv");
  EXPECT_EQ(good.collectivites[0].siren, "213502388");
  EXPECT_EQ(good.collectivites[0].insee, "35238");
  EXPECT_EQ(good.collectivites[1].siren, "");
  EXPECT_EQ(good.collectivites[1].insee, "35");
  datasets::CollectivitesCsv bad = datasets::DecodeCollectivitesCsv(
      header + "com-r;Rennes;Commune;Bretagne;fr;1;1;213502389;3523\n", nullptr);
  ASSERT_EQ(bad.errors.size(), 2u);
  EXPECT_EQ(bad.errors[0].ToString("f.csv"),
            "f.csv, ligne 2, colonne « SIREN » : le numéro SIREN « 213502389 » n'a pas une clé "
            "de contrôle valide");
  EXPECT_EQ(bad.errors[1].ToString("f.csv"),
            "f.csv, ligne 2, colonne « code INSEE » : code INSEE « 3523 » : le code INSEE d'une "
            "commune a 5 caractères (chiffres, ou 2A/2B puis 3 chiffres)");
}

// ---- the command line ------------------------------------------------------------------------

TEST(OfficialCli, ImportPrintsAFrenchSummaryAndIfMissingKeepsTheList) {
  ScratchDir scratch;
  const std::string db = (scratch.path() / "var" / "x.db").string();
  testing::CliRun run =
      testing::Expectmatch("import --official-list " + Fixture().string() + " --db " + db);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output,
            "liste officielle (version 6.0.0-fixture) importée dans " + db +
                " : 2 régions, 2 départements, 2 EPCI, 5 communes (11 en tout)\n"
                "1 ligne écartée : son numéro SIREN n'a pas une clé de contrôle valide\n"
                "  commune 35289 « Saint-Malo-de-Phily » : SIREN 213502892\n"
                "2 lignes de collectivités d'outre-mer hors des 18 régions laissées de côté\n");
  run = testing::Expectmatch("import --official-list " + Fixture().string() +
                             " --if-missing --db " + db);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "la base " + db +
                            " a déjà la liste officielle (version 6.0.0-fixture) : 11 "
                            "collectivités, rien à importer\n");
  run = testing::Expectmatch("import --official-list " + scratch.path().string() + " --db " + db);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("liste officielle illisible : rien n'a été importé"), std::string::npos)
      << run.output;
  store::Store store(db);
  EXPECT_EQ(store.OfficialList()->count, 11u);  // the refused import changed nothing
}

// ---- the generator ---------------------------------------------------------------------------

TEST(OfficialGenerator, DrawsRealAuthoritiesFromTheList) {
  OfficialList list = datasets::ReadOfficialList(Fixture());
  ASSERT_TRUE(list.ok());
  matcher::Dataset data = synth::GenerateDataset({300, 4}, list.authorities);
  ASSERT_EQ(data.collectivites.size(), 300u);
  std::map<std::string, const OfficialAuthority*> by_name;
  for (const OfficialAuthority& a : list.authorities) by_name[a.name] = &a;
  std::set<std::string> ids, drawn;
  for (const matcher::Collectivite& c : data.collectivites) {
    EXPECT_TRUE(ids.insert(c.id).second) << c.id;
    if (c.siren.empty() && c.insee.empty()) continue;
    // A real one: its name, kind, région, population and codes are the list's.
    auto it = by_name.find(c.name);
    ASSERT_NE(it, by_name.end()) << c.name;
    const OfficialAuthority& a = *it->second;
    EXPECT_EQ(c.kind, a.kind) << c.name;
    EXPECT_EQ(c.region, a.region) << c.name;
    EXPECT_EQ(c.population, a.population) << c.name;
    EXPECT_EQ(c.siren, a.siren) << c.name;
    EXPECT_EQ(c.insee, a.insee) << c.name;
    EXPECT_EQ(c.id, std::string(c.kind == CollectiviteKind::kRegion        ? "reg-"
                                : c.kind == CollectiviteKind::kDepartement ? "dep-"
                                : c.kind == CollectiviteKind::kEpci        ? "epci-"
                                                                           : "com-") +
                        (a.insee.empty() ? a.siren : a.insee));
    drawn.insert(c.name);
  }
  // The plan wants more of each kind than the fixture has: all of them are drawn.
  EXPECT_EQ(drawn.size(), list.authorities.size());
  // The data set is valid as a whole, and the same options give the same data.
  datasets::DatasetDocuments documents;
  auto encode_all = [](const auto& records) {
    Json out = Json::array();
    for (const auto& record : records) out.push_back(datasets::Encode(record));
    return out;
  };
  documents["themes.json"] = encode_all(data.themes);
  documents["collectivites.json"] = encode_all(data.collectivites);
  documents["cooperations.json"] = encode_all(data.cooperations);
  documents["missions.json"] = encode_all(data.missions);
  documents["needs.json"] = encode_all(data.needs);
  datasets::LoadResult loaded = datasets::DecodeDataset(documents);
  EXPECT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors.front());
  matcher::Dataset again = synth::GenerateDataset({300, 4}, list.authorities);
  EXPECT_EQ(encode_all(again.collectivites), documents["collectivites.json"]);
  // Without the list, the names are invented and carry no codes.
  for (const matcher::Collectivite& c : synth::GenerateDataset({300, 4}).collectivites) {
    EXPECT_EQ(c.siren, "");
    EXPECT_EQ(c.insee, "");
  }
}

// ---- the API ---------------------------------------------------------------------------------

class OfficialApi : public testing::LiveServer<OfficialApi> {
 protected:
  static void SetUpTestSuite() {
    LiveServer::SetUpTestSuite();
    service::ImportOfficialList(*store_, Fixture(), "2026-11-30T18:00:00Z");
  }
};

TEST_F(OfficialApi, SearchAnswersItemsAndTotal) {
  httplib::Result result = Get("/v1/official-authorities?q=Lyon&limit=1", daect_);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(Json::parse(result->body),
            Json::parse(R"({"items": [{"siren": "200046977", "insee": null, "kind": "epci",
            "name": "Métropole de Lyon", "region": "Auvergne-Rhône-Alpes", "departement": "69",
            "population": 1449118}], "total": 2})"));
  // Accents and case do not matter; every role may search, an authority too.
  const std::string com_a =
      service::CreateApiKey(*store_, service::Role::kCollectivite, "com-a", "Commune A").secret;
  for (const std::string& key : {analyst_, embassy_sn_, com_a}) {
    result = Get("/v1/official-authorities?q=ILLE%20VIL&kind=departement", key);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(Json::parse(result->body),
              Json::parse(R"({"items": [{"siren": null, "insee": "35", "kind": "departement",
              "name": "Ille-et-Vilaine", "region": "Bretagne", "departement": "35",
              "population": 299093}], "total": 1})"));
  }
  result = Get("/v1/official-authorities?q=zz", daect_);
  EXPECT_EQ(Json::parse(result->body), Json::parse(R"({"items": [], "total": 0})"));
}

TEST_F(OfficialApi, SearchRefusesAShortTextAndUnknownParameters) {
  for (const char* path : {"/v1/official-authorities?q=L", "/v1/official-authorities",
                           "/v1/official-authorities?q=%20-%20", "/v1/official-authorities?q=é"}) {
    httplib::Result result = Get(path, daect_);
    ExpectProblem(result, 422, "q", "parameter");
    EXPECT_EQ(Json::parse(result->body)["errors"][0]["detail"],
              "la recherche doit compter au moins 2 caractères (lettres ou chiffres)");
  }
  ExpectProblem(Get("/v1/official-authorities?q=Lyon&kind=association", daect_), 400, "kind",
                "parameter");
  ExpectProblem(Get("/v1/official-authorities?q=Lyon&limit=0", daect_), 400, "limit", "parameter");
  ExpectProblem(Get("/v1/official-authorities?q=Lyon&limit=51", daect_), 400, "limit", "parameter");
  ExpectProblem(Get("/v1/official-authorities?q=Lyon&page=2", daect_), 400, "page", "parameter");
  httplib::Result none = Get("/v1/official-authorities?q=Lyon", "");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
}

TEST_F(OfficialApi, OneAuthorityBySiren) {
  httplib::Result result = Get("/v1/official-authorities/216902668", embassy_sn_);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(Json::parse(result->body),
            Json::parse(R"({"siren": "216902668", "insee": "69266", "kind": "commune",
            "name": "Villeurbanne", "region": "Auvergne-Rhône-Alpes", "departement": "69",
            "population": 163684})"));
  // Unknown, refused at import, or not a SIREN at all: the same 404.
  for (const char* siren : {"216901232", "213502892", "abc"}) {
    result = Get(std::string("/v1/official-authorities/") + siren, daect_);
    ExpectProblem(result, 404, "siren", "parameter");
  }
}

TEST_F(OfficialApi, PutCollectiviteChecksItsSirenAgainstTheList) {
  auto body = [](const std::string& kind, const std::string& extra) {
    return R"({"name": "Rennes", "kind": ")" + kind +
           R"(", "region": "Bretagne", "labels": [], "languages": ["fr"],
           "capacity_per_year": 1, "experts": 1)" +
           extra + "}";
  };
  // Not in the list: 422 naming /siren, nothing stored.
  httplib::Result result =
      Put("/v1/collectivites/com-rennes", body("commune", R"(, "siren": "216901223")"), daect_);
  ExpectProblem(result, 422, "/siren");
  EXPECT_EQ(Json::parse(result->body)["errors"][0]["detail"],
            "le numéro SIREN « 216901223 » n'est pas celui d'une collectivité de la liste "
            "officielle");
  EXPECT_FALSE(store_->GetCollectivite("com-rennes"));
  // In the list with another kind.
  result =
      Put("/v1/collectivites/com-rennes", body("commune", R"(, "siren": "243500139")"), daect_);
  ExpectProblem(result, 422, "/siren");
  EXPECT_EQ(Json::parse(result->body)["errors"][0]["detail"],
            "le numéro SIREN « 243500139 » est celui de « Rennes Métropole », de type epci et "
            "non commune");
  // A bad check digit is the codec's refusal.
  result =
      Put("/v1/collectivites/com-rennes", body("commune", R"(, "siren": "213502389")"), daect_);
  ExpectProblem(result, 422, "/siren");
  EXPECT_FALSE(store_->GetCollectivite("com-rennes"));
  // The right one is stored with its column.
  result = Put("/v1/collectivites/com-rennes",
               body("commune", R"(, "siren": "213502388", "insee": "35238")"), daect_);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 201) << result->body;
  EXPECT_EQ(Json::parse(result->body)["siren"], "213502388");
  EXPECT_EQ(store_->FindCollectiviteBySiren("213502388")->id, "com-rennes");
  // An association of elected officials stays a free record: any valid SIREN, or none.
  result = Put("/v1/collectivites/asso-maires-35", body("association", R"(, "siren": "732829320")"),
               daect_);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 201) << result->body;
  // The list has no SIREN for départements and régions: a valid one is kept, and their INSEE
  // code is what the list checks.
  result = Put("/v1/collectivites/dep-35",
               body("departement", R"(, "siren": "223500018", "insee": "35")"), daect_);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 201) << result->body;
  result = Put("/v1/collectivites/dep-99",
               body("departement", R"(, "siren": "223500018", "insee": "22")"), daect_);
  ExpectProblem(result, 422, "/insee");
  EXPECT_EQ(Json::parse(result->body)["errors"][0]["detail"],
            "le code INSEE « 22 » n'est celui d'aucun département de la liste officielle");
  EXPECT_FALSE(store_->GetCollectivite("dep-99"));
}

}  // namespace
}  // namespace expectmatch
