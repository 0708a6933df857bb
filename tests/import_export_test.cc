// Authorities from a spreadsheet (CSV), and `expectmatch import` / `expectmatch export`.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/collectivites_csv.h"
#include "expectmatch/datasets/loader.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/store/store.h"
#include "testutil.h"

namespace expectmatch {
namespace {

using datasets::CollectivitesCsv;
using datasets::CsvError;
using datasets::Json;
using testing::CliRun;
using testing::Expectmatch;
using testing::ReadFile;
using testing::ScratchDir;
using testing::TestData;
using testing::WriteFile;

const std::vector<matcher::Theme>& TinyThemes() {
  static const std::vector<matcher::Theme> themes =
      datasets::LoadDatasetDir(TestData("tiny")).dataset.themes;
  return themes;
}

// The header of the CSV tests, with `;`.
constexpr const char* kHeader =
    "identifiant;nom;type;région;population;langues;capacité annuelle;experts;label 1;depuis "
    "1;jusqu'au 1\n";

CollectivitesCsv Decode(const std::string& text) {
  return datasets::DecodeCollectivitesCsv(text, &TinyThemes());
}

std::vector<std::string> Errors(const CollectivitesCsv& csv) {
  std::vector<std::string> out;
  for (const CsvError& error : csv.errors) out.push_back(error.ToString("collectivites.csv"));
  return out;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// The one error of a file made of the header and `row` (spreadsheet row 2).
std::string OnlyError(const std::string& row) {
  CollectivitesCsv csv = Decode(std::string(kHeader) + row + "\n");
  std::vector<std::string> errors = Errors(csv);
  EXPECT_EQ(errors.size(), 1u) << Joined(errors);
  EXPECT_TRUE(csv.collectivites.empty());
  return errors.empty() ? "" : errors.front();
}

// ---- CSV syntax ------------------------------------------------------------------------------

TEST(ImportCsvSyntax, DetectsTheSeparatorFromTheHeaderRow) {
  std::vector<CsvError> errors;
  auto semicolons = datasets::ParseCsv("a;b;c\n1,5;2;3\n", &errors);
  ASSERT_TRUE(semicolons);
  EXPECT_EQ(semicolons->delimiter, ';');
  EXPECT_EQ(semicolons->rows[1], (std::vector<std::string>{"1,5", "2", "3"}));
  auto commas = datasets::ParseCsv("a,b,\"c;d\"\n1;5,2,3\n", &errors);
  ASSERT_TRUE(commas);
  EXPECT_EQ(commas->delimiter, ',');
  EXPECT_EQ(commas->rows[0], (std::vector<std::string>{"a", "b", "c;d"}));
  EXPECT_EQ(commas->rows[1], (std::vector<std::string>{"1;5", "2", "3"}));
  auto named = datasets::ParseCsv("sep=,\r\na;b,c\r\n", &errors);
  ASSERT_TRUE(named);
  EXPECT_EQ(named->delimiter, ',');
  ASSERT_EQ(named->rows.size(), 1u);  // the sep= line is not a row
  EXPECT_EQ(named->rows[0], (std::vector<std::string>{"a;b", "c"}));
  EXPECT_TRUE(errors.empty());
}

TEST(ImportCsvSyntax, StripsTheByteOrderMarkAndAcceptsCrlfOrLf) {
  std::vector<CsvError> errors;
  auto crlf = datasets::ParseCsv("\xEF\xBB\xBFid;nom\r\na;A\r\nb;B", &errors);
  ASSERT_TRUE(crlf);
  ASSERT_EQ(crlf->rows.size(), 3u);
  EXPECT_EQ(crlf->rows[0][0], "id");
  EXPECT_EQ(crlf->rows[2], (std::vector<std::string>{"b", "B"}));
  auto lf = datasets::ParseCsv("id;nom\na;A\nb;B\n", &errors);
  ASSERT_TRUE(lf);
  EXPECT_EQ(lf->rows, crlf->rows);
  EXPECT_TRUE(errors.empty());
}

TEST(ImportCsvSyntax, QuotedCellsHoldSeparatorsQuotesAndLineBreaks) {
  std::vector<CsvError> errors;
  auto table = datasets::ParseCsv(
      "id;nom;note\r\n1;\"Commune \"\"A\"\" ; B\";\"ligne 1\r\nligne 2\"\r\n2;;\"\"\r\n", &errors);
  ASSERT_TRUE(table) << (errors.empty() ? "" : errors[0].ToString("f"));
  ASSERT_EQ(table->rows.size(), 3u);  // the line break inside a cell does not start a row
  EXPECT_EQ(table->rows[1],
            (std::vector<std::string>{"1", "Commune \"A\" ; B", "ligne 1\nligne 2"}));
  EXPECT_EQ(table->rows[2], (std::vector<std::string>{"2", "", ""}));
}

TEST(ImportCsvSyntax, AQuoteLeftOpenNamesTheRowWhereItBegan) {
  std::vector<CsvError> errors;
  EXPECT_FALSE(datasets::ParseCsv("id;nom\n1;A\n2;\"B\n3;C\n", &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].ToString("c.csv"),
            "c.csv, ligne 3 : guillemet non fermé : la cellule qui commence à cette ligne se "
            "poursuit jusqu'à la fin "
            "du fichier");
}

// ---- Authorities from CSV ------------------------------------------------------------------

TEST(ImportCsvCollectivites, TheFixtureDecodesToTheContractsValues) {
  CollectivitesCsv csv =
      datasets::ReadCollectivitesCsv(TestData("csv") / "collectivites.csv", &TinyThemes());
  ASSERT_TRUE(csv.ok()) << Joined(Errors(csv));
  EXPECT_TRUE(csv.warnings.empty());
  ASSERT_EQ(csv.collectivites.size(), 4u);
  EXPECT_EQ(csv.rows, (std::vector<size_t>{2, 3, 4, 5}));

  const matcher::Collectivite& a = csv.collectivites[0];
  EXPECT_EQ(a.id, "com-a");
  EXPECT_EQ(a.kind, matcher::CollectiviteKind::kCommune);
  EXPECT_EQ(a.population, 21500);  // "21 500"
  ASSERT_EQ(a.labels.size(), 2u);
  EXPECT_EQ(a.labels[0].theme, "env.eau");
  EXPECT_EQ(a.labels[0].since, matcher::Date::FromYmd(2020, 1, 1));  // 01/01/2020
  EXPECT_FALSE(a.labels[0].until);
  EXPECT_EQ(a.labels[1].since, matcher::Date::FromYmd(2021, 6, 1));  // 2021-06-01

  const matcher::Collectivite& h = csv.collectivites[1];
  EXPECT_EQ(h.region, "Île-de-France");
  EXPECT_EQ(h.languages, (std::vector<std::string>{"fr", "en"}));  // "fr, en"
  ASSERT_EQ(h.labels.size(), 1u);
  EXPECT_EQ(h.labels[0].theme, "env.dechets");  // by its French label, "Gestion des déchets"

  const matcher::Collectivite& i = csv.collectivites[2];
  EXPECT_EQ(i.kind, matcher::CollectiviteKind::kEpci);
  EXPECT_EQ(i.name, "Communauté d'agglomération I ; « Les Trois Rivières »");
  ASSERT_EQ(i.labels.size(), 2u);
  EXPECT_EQ(i.labels[0].until, matcher::Date::FromYmd(2028, 8, 31));
  EXPECT_EQ(i.capacity_per_year, 1);
  EXPECT_EQ(i.experts, 2);

  const matcher::Collectivite& j = csv.collectivites[3];
  EXPECT_EQ(j.kind, matcher::CollectiviteKind::kAssociation);
  EXPECT_EQ(j.region, "La Réunion");
  EXPECT_FALSE(j.population);
  EXPECT_EQ(j.languages, (std::vector<std::string>{"fr", "en"}));  // "fr;en" in a quoted cell

  // Each decodes as the contract's JSON would.
  std::unordered_set<std::string> theme_ids;
  for (const matcher::Theme& theme : TinyThemes()) theme_ids.insert(theme.id);
  for (const matcher::Collectivite& c : csv.collectivites) {
    datasets::FieldErrors errors;
    auto again = datasets::DecodeCollectivite(datasets::Encode(c), datasets::FieldPath("c"),
                                              {&theme_ids, nullptr}, &errors);
    ASSERT_TRUE(again) << errors.front().ToString();
    EXPECT_EQ(datasets::Encode(*again), datasets::Encode(c));
  }
}

TEST(ImportCsvCollectivites, HeadersAndValuesIgnoreCaseAccentsAndPunctuation) {
  CollectivitesCsv csv = Decode(
      "ID,NOM,Type,REGION,Langues,Capacite,Experts,Label n°2,Début 2,Jusqu’à 2\r\n"
      "x1,Conseil X,DÉPARTEMENT,provence alpes cote d'azur,Français / anglais,\"1 "
      "000\",3,ENV.EAU,2/3/2024,\r\n"
      "x2,Région Y,région,Réunion,fr en,0,0,Musées,2024-01-01,2025-01-01\r\n");
  ASSERT_TRUE(csv.ok()) << Joined(Errors(csv));
  ASSERT_EQ(csv.collectivites.size(), 2u);
  const matcher::Collectivite& x = csv.collectivites[0];
  EXPECT_EQ(x.kind, matcher::CollectiviteKind::kDepartement);
  EXPECT_EQ(x.region, "Provence-Alpes-Côte d'Azur");
  EXPECT_EQ(x.languages, (std::vector<std::string>{"fr", "en"}));
  EXPECT_EQ(x.capacity_per_year, 1000);
  EXPECT_EQ(x.labels[0].theme, "env.eau");
  EXPECT_EQ(x.labels[0].since, matcher::Date::FromYmd(2024, 3, 2));
  const matcher::Collectivite& y = csv.collectivites[1];
  EXPECT_EQ(y.kind, matcher::CollectiviteKind::kRegion);
  EXPECT_EQ(y.region, "La Réunion");
  EXPECT_EQ(y.languages, (std::vector<std::string>{"fr", "en"}));
  EXPECT_EQ(y.labels[0].theme, "culture.musees");
  EXPECT_EQ(y.labels[0].until, matcher::Date::FromYmd(2025, 1, 1));
}

TEST(ImportCsvCollectivites, AWrongTypeNamesItsRowAndColumn) {
  EXPECT_EQ(OnlyError("c1;C;Mairie;Bretagne;;fr;1;1;;;"),
            "collectivites.csv, ligne 2, colonne « type » : type inconnu « Mairie », attendu "
            "Région, Département, "
            "Commune, EPCI ou Association");
}

TEST(ImportCsvCollectivites, AnUnknownRegionNamesItsRowAndColumn) {
  EXPECT_EQ(OnlyError("c1;C;commune;Aquitaine;;fr;1;1;;;"),
            "collectivites.csv, ligne 2, colonne « région » : région inconnue « Aquitaine »");
}

TEST(ImportCsvCollectivites, ABadDateNamesItsRowAndColumn) {
  EXPECT_EQ(OnlyError("c1;C;commune;Bretagne;;fr;1;1;env.eau;31/02/2024;"),
            "collectivites.csv, ligne 2, colonne « depuis 1 » : date invalide « 31/02/2024 », "
            "attendue AAAA-MM-JJ ou "
            "JJ/MM/AAAA");
  EXPECT_EQ(OnlyError("c1;C;commune;Bretagne;;fr;1;1;env.eau;2024-01-01;2023-12-31"),
            "collectivites.csv, ligne 2, colonne « jusqu'au 1 » : le label finit le « 2023-12-31 "
            "», avant son début le "
            "« 2024-01-01 »");
  EXPECT_EQ(OnlyError("c1;C;commune;Bretagne;;fr;1;1;env.eau;;"),
            "collectivites.csv, ligne 2, colonne « depuis 1 » : date de début manquante pour le "
            "label « env.eau »");
}

TEST(ImportCsvCollectivites, AnUnknownThemeNamesItsRowAndColumn) {
  EXPECT_EQ(OnlyError("c1;C;commune;Bretagne;;fr;1;1;patrimoine.musee;2024-01-01;"),
            "collectivites.csv, ligne 2, colonne « label 1 » : thème inconnu « patrimoine.musee »");
}

TEST(ImportCsvCollectivites, ANonNumericCapacityNamesItsRowAndColumn) {
  EXPECT_EQ(OnlyError("c1;C;commune;Bretagne;;fr;deux;1;;;"),
            "collectivites.csv, ligne 2, colonne « capacité annuelle » : nombre entier attendu, lu "
            "« deux »");
  EXPECT_EQ(OnlyError("c1;C;commune;Bretagne;;fr;1 001;1;;;"),
            "collectivites.csv, ligne 2, colonne « capacité annuelle » : doit être compris entre 0 "
            "et 1 000, lu « 1 001 »");
  EXPECT_EQ(OnlyError("c1;C;commune;Bretagne;;fr;1.000;1;;;"),  // 1 or 1000? Refused.
            "collectivites.csv, ligne 2, colonne « capacité annuelle » : nombre entier attendu, lu "
            "« 1.000 »");
  EXPECT_EQ(
      OnlyError("c1;C;commune;Bretagne;;fr;;1;;;"),
      "collectivites.csv, ligne 2, colonne « capacité annuelle » : valeur obligatoire manquante");
}

TEST(ImportCsvCollectivites, MissingRequiredColumnsAreReportedOnceByName) {
  CollectivitesCsv csv =
      Decode("Identifiant;Nom;Type;Label 1\nc1;C;commune;env.eau\nc2;D;commune;\n");
  EXPECT_EQ(Errors(csv),
            (std::vector<std::string>{"collectivites.csv, ligne 1 : colonnes obligatoires "
                                      "manquantes : « région », « langues », "
                                      "« capacité annuelle », « experts », « depuis 1 »"}));
  EXPECT_TRUE(csv.collectivites.empty());
}

TEST(ImportCsvCollectivites, ADuplicateIdNamesTheRowThatFirstUsedIt) {
  CollectivitesCsv csv =
      Decode(std::string(kHeader) + "c1;C;commune;Bretagne;;fr;1;1;;;\n" +
             "c2;D;commune;Bretagne;;fr;1;1;;;\n" + "c1;E;commune;Corse;;fr;1;1;;;\n");
  EXPECT_EQ(Errors(csv),
            (std::vector<std::string>{"collectivites.csv, ligne 4, colonne « identifiant » : "
                                      "identifiant « c1 » déjà utilisé ligne 2"}));
}

TEST(ImportCsvCollectivites, EveryErrorIsReportedWithItsSpreadsheetRow) {
  // The quoted name spans two lines of the file but is one row of the sheet; blank rows count.
  CollectivitesCsv csv = Decode(
      std::string(kHeader) + "c1;\"Commune\nsur deux lignes\";commune;Bretagne;;fr;1;1;;;\n" +
      ";;;;;;;;;;\n" + "c2;D;ville;Bretagne;beaucoup;xx;1;1;env.eau;01/13/2024;\n");
  EXPECT_EQ(Errors(csv),
            (std::vector<std::string>{"collectivites.csv, ligne 4, colonne « type » : type inconnu "
                                      "« ville », attendu Région, Département, "
                                      "Commune, EPCI ou Association",
                                      "collectivites.csv, ligne 4, colonne « population » : nombre "
                                      "entier attendu, lu « beaucoup »",
                                      "collectivites.csv, ligne 4, colonne « langues » : langue "
                                      "inconnue « xx », attendu un code ISO 639-1 "
                                      "(« fr », « en ») ou un nom français (« anglais »)",
                                      "collectivites.csv, ligne 4, colonne « depuis 1 » : date "
                                      "invalide « 01/13/2024 », attendue AAAA-MM-JJ ou "
                                      "JJ/MM/AAAA"}));
  ASSERT_EQ(csv.collectivites.size(), 1u);
  EXPECT_EQ(csv.collectivites[0].name, "Commune\nsur deux lignes");
}

TEST(ImportCsvCollectivites, UnknownColumnsAreIgnoredWithAWarning) {
  CollectivitesCsv csv = Decode(
      "identifiant;nom;type;région;langues;capacité;experts;Commentaire\n"
      "c1;C;commune;Bretagne;fr;1;1;à rappeler\n");
  ASSERT_TRUE(csv.ok()) << Joined(Errors(csv));
  ASSERT_EQ(csv.warnings.size(), 1u);
  EXPECT_EQ(csv.warnings[0].ToString("c.csv"),
            "c.csv, ligne 1, colonne « Commentaire » : colonne inconnue, ignorée (colonne H)");
  EXPECT_EQ(csv.collectivites.size(), 1u);
}

TEST(ImportCsvCollectivites, AnExcelWindows1252FileIsReadWithAWarning) {
  CollectivitesCsv csv = Decode(
      "identifiant;nom;type;r\xE9gion;langues;capacit\xE9;experts\n"
      "c1;D\xE9partement;d\xE9partement;\xCEle-de-France;fr;1;1\n");
  ASSERT_TRUE(csv.ok()) << Joined(Errors(csv));
  ASSERT_EQ(csv.collectivites.size(), 1u);
  EXPECT_EQ(csv.collectivites[0].name, "Département");
  EXPECT_EQ(csv.collectivites[0].region, "Île-de-France");
  ASSERT_EQ(csv.warnings.size(), 1u);
  EXPECT_NE(csv.warnings[0].message.find("Windows-1252"), std::string::npos);
}

// ---- import and export through the binary --------------------------------------------------

// A database seeded from tests/data/tiny in a scratch folder.
struct TinyDatabase {
  ScratchDir scratch;
  std::filesystem::path db = scratch.path() / "test.db";
  TinyDatabase() {
    store::Store store(db);
    service::OpenSnapshot(store, TestData("tiny"));
  }
  datasets::LoadResult Load() const {
    store::Store store(db);
    return service::LoadFromStore(store);
  }
  uint64_t Generation() const {
    store::Store store(db);
    return store.Generation();
  }
  const matcher::Collectivite* Find(const matcher::Dataset& data, const std::string& id) const {
    for (const matcher::Collectivite& c : data.collectivites) {
      if (c.id == id) return &c;
    }
    return nullptr;
  }
};

TEST(ImportCsv, AValidFileIsImportedAndVisibleInTheStore) {
  TinyDatabase base;
  CliRun run = Expectmatch("import --db " + base.db.string() + " --csv " +
                           (TestData("csv") / "collectivites.csv").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find(
                "collectivites.csv importé dans " + base.db.string() +
                " : 3 collectivités ajoutées, 1 modifiée, 0 inchangée (10 collectivités en tout)"),
            std::string::npos)
      << run.output;

  datasets::LoadResult loaded = base.Load();
  ASSERT_TRUE(loaded.ok()) << loaded.errors.front();
  ASSERT_EQ(loaded.dataset.collectivites.size(), 10u);
  EXPECT_EQ(loaded.dataset.collectivites[0].id, "com-a");  // replaced in place
  EXPECT_EQ(loaded.dataset.collectivites[0].population, 21500);
  EXPECT_EQ(loaded.dataset.collectivites[0].experts, 4);
  EXPECT_EQ(loaded.dataset.collectivites[9].id, "assoc-j");
  const matcher::Collectivite* h = base.Find(loaded.dataset, "com-h");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->labels[0].theme, "env.dechets");
  EXPECT_EQ(loaded.dataset.cooperations.size(), 6u);  // links untouched

  // Importing it again changes nothing and writes nothing.
  uint64_t generation = base.Generation();
  run = Expectmatch("import --db " + base.db.string() + " --csv " +
                    (TestData("csv") / "collectivites.csv").string());
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("rien à importer"), std::string::npos) << run.output;
  EXPECT_EQ(base.Generation(), generation);
}

TEST(ImportCsv, AnInvalidFileListsEveryErrorAndWritesNothing) {
  TinyDatabase base;
  uint64_t generation = base.Generation();
  WriteFile(
      base.scratch.path() / "collectivites.csv",
      std::string(kHeader) +
          "com-a;A;commune;Bretagne;;fr;1;1;;;\ncom-z;Z;commune;Aquitaine;;fr;1;1;zz;2024-01-01;\n"
          "com-y;Y;commune;Corse;;fr;1;1;;;;;en trop\n");
  CliRun run = Expectmatch("import --db " + base.db.string() + " --csv " +
                           (base.scratch.path() / "collectivites.csv").string());
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find(
                "collectivites.csv, ligne 3, colonne « région » : région inconnue « Aquitaine »"),
            std::string::npos)
      << run.output;
  EXPECT_NE(
      run.output.find("collectivites.csv, ligne 3, colonne « label 1 » : thème inconnu « zz »"),
      std::string::npos);
  EXPECT_NE(
      run.output.find("collectivites.csv, ligne 4 : 13 cellules alors que l'en-tête a 11 colonnes"),
      std::string::npos);
  EXPECT_NE(run.output.find("erreur : collectivites.csv : rien n'a été importé (3 erreurs)"),
            std::string::npos);
  EXPECT_EQ(base.Generation(), generation);
  EXPECT_EQ(base.Load().dataset.collectivites[0].name, "Commune A");
}

TEST(ImportCsv, NeedsASeededDatabase) {
  ScratchDir scratch;
  CliRun run = Expectmatch("import --db " + (scratch.path() / "new.db").string() + " --csv " +
                           (TestData("csv") / "collectivites.csv").string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("n'existe pas ; créez-la d'abord depuis un jeu de données complet"),
            std::string::npos)
      << run.output;
  EXPECT_FALSE(std::filesystem::exists(scratch.path() / "new.db"));
  CliRun neither = Expectmatch("import --db " + (scratch.path() / "new.db").string());
  EXPECT_EQ(neither.exit_code, 1);
  EXPECT_NE(neither.output.find("indiquez soit --data DOSSIER, soit --csv FICHIER"),
            std::string::npos);
}

TEST(ImportFolder, SeedsAnEmptyDatabase) {
  ScratchDir scratch;
  CliRun run = Expectmatch("import --db " + (scratch.path() / "new.db").string() + " --data " +
                           TestData("tiny").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("initialisée depuis " + TestData("tiny").string() +
                            " : 7 thèmes, 7 collectivités, 6 coopérations, 5 missions, 2 besoins"),
            std::string::npos)
      << run.output;
  store::Store store(scratch.path() / "new.db");
  EXPECT_TRUE(store.IsSeeded());
  EXPECT_EQ(store.LatestProfiles().size(), 2u);  // the built-in profiles
}

TEST(ImportFolder, AnInvalidDataSetDoesNotCreateTheDatabase) {
  ScratchDir scratch;
  testing::CopyDataset(TestData("tiny"), scratch.path() / "data");
  WriteFile(scratch.path() / "data" / "missions.json", "[");
  CliRun run = Expectmatch("import --db " + (scratch.path() / "new.db").string() + " --data " +
                           (scratch.path() / "data").string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("missions.json: invalid JSON"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find(
                "n'est pas un jeu de données complet et valide ; rien n'a été importé (1 erreur)"),
            std::string::npos)
      << run.output;
  EXPECT_FALSE(std::filesystem::exists(scratch.path() / "new.db"));
}

TEST(ImportFolder, RecordsReplaceThoseWithTheirIdAndNewOnesAreAdded) {
  TinyDatabase base;
  const auto folder = base.scratch.path() / "update";
  std::filesystem::create_directories(folder);
  Json collectivites = Json::parse(ReadFile(TestData("tiny") / "collectivites.json"));
  Json update = Json::array({collectivites[1], collectivites[0], collectivites[0]});
  update[0]["name"] = "Commune B (renommée)";
  update[1]["capacity_per_year"] = 2;  // unchanged: it already is
  update[2]["id"] = "com-n";
  WriteFile(folder / "collectivites.json", update.dump());
  Json needs = Json::parse(ReadFile(TestData("tiny") / "needs.json"));
  needs[0]["status"] = "shortlisted";
  WriteFile(folder / "needs.json", Json::array({needs[0]}).dump());

  CliRun run = Expectmatch("import --db " + base.db.string() + " --data " + folder.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("collectivités : 1 ajoutée, 1 modifiée, 1 inchangée"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("besoins : 0 ajouté, 1 modifié, 0 inchangé"), std::string::npos)
      << run.output;
  EXPECT_EQ(run.output.find("thèmes"), std::string::npos);  // not in the folder

  datasets::LoadResult loaded = base.Load();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded.dataset.collectivites.size(), 8u);
  EXPECT_EQ(loaded.dataset.collectivites[1].name, "Commune B (renommée)");
  EXPECT_EQ(loaded.dataset.collectivites[7].id, "com-n");
  EXPECT_EQ(loaded.dataset.needs[0].status, matcher::NeedStatus::kShortlisted);
  EXPECT_EQ(loaded.dataset.themes.size(), 7u);
}

TEST(ImportFolder, CooperationsReplaceThoseOfTheAuthoritiesTheyName) {
  TinyDatabase base;
  const auto folder = base.scratch.path() / "links";
  std::filesystem::create_directories(folder);
  WriteFile(folder / "cooperations.json", R"([
    {"collectivite": "com-a", "country": "TN", "partner": {"name": "Commune de Sousse"}, "themes": ["env.eau"],
     "since": "2021-01-01", "until": null},
    {"collectivite": "com-e", "country": "MA", "partner": {"name": "Commune d'Essaouira"}, "themes": [],
     "since": "2022-01-01", "until": null}])");
  CliRun run = Expectmatch("import --db " + base.db.string() + " --data " + folder.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(
      run.output.find(
          "coopérations : 2 collectivités aux liens remplacés (3 liens supprimés, 2 enregistrés)"),
      std::string::npos)
      << run.output;

  datasets::LoadResult loaded = base.Load();
  ASSERT_TRUE(loaded.ok());
  std::map<std::string, std::vector<std::string>> countries;
  for (const matcher::Cooperation& link : loaded.dataset.cooperations)
    countries[link.collectivite].push_back(link.country);
  EXPECT_EQ(countries["com-a"],
            (std::vector<std::string>{"TN"}));  // its three links replaced by one
  EXPECT_EQ(countries["com-e"], (std::vector<std::string>{"MA"}));        // had none
  EXPECT_EQ(countries["com-b"], (std::vector<std::string>{"SN", "SN"}));  // not named: kept
  EXPECT_EQ(countries["dep-c"], (std::vector<std::string>{"ML"}));
}

TEST(ImportFolder, AnInvalidFolderLeavesTheDatabaseUnchanged) {
  TinyDatabase base;
  const uint64_t generation = base.Generation();
  const std::string before = datasets::Encode(base.Load().dataset.collectivites.at(0)).dump();
  const auto folder = base.scratch.path() / "bad";
  std::filesystem::create_directories(folder);
  Json collectivites = Json::parse(ReadFile(TestData("tiny") / "collectivites.json"));
  Json update = Json::array({collectivites[0], collectivites[1]});
  update[0]["name"] = "Commune A (renommée)";            // valid on its own
  update[1]["labels"][0]["theme"] = "patrimoine.musee";  // not in the database's themes
  WriteFile(folder / "collectivites.json", update.dump());
  WriteFile(
      folder / "cooperations.json",
      R"([{"collectivite": "com-x", "country": "SN", "partner": {"name": "P"}, "themes": [], "since": "2020-01-01", "until": null}])");

  CliRun run = Expectmatch("import --db " + base.db.string() + " --data " + folder.string());
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(
      run.output.find("collectivites.json[1].labels[0].theme: unknown theme \"patrimoine.musee\""),
      std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("cooperations.json[0].collectivite: unknown collectivite \"com-x\""),
            std::string::npos);
  EXPECT_NE(run.output.find("est invalide ; rien n'a été importé (2 erreurs)"), std::string::npos);
  EXPECT_EQ(base.Generation(), generation);
  EXPECT_EQ(datasets::Encode(base.Load().dataset.collectivites[0]).dump(), before);
}

TEST(Export, ExportImportExportIsByteIdentical) {
  ScratchDir scratch;
  for (const std::filesystem::path& source : {TestData("tiny"), testing::SampleDir()}) {
    const auto name = source.filename().string();
    const auto first = scratch.path() / (name + "-1"), second = scratch.path() / (name + "-2");
    const auto db1 = scratch.path() / (name + "-1.db"), db2 = scratch.path() / (name + "-2.db");
    ASSERT_EQ(Expectmatch("import --db " + db1.string() + " --data " + source.string()).exit_code,
              0);
    CliRun exported = Expectmatch("export --db " + db1.string() + " " + first.string());
    ASSERT_EQ(exported.exit_code, 0) << exported.output;
    ASSERT_EQ(Expectmatch("import --db " + db2.string() + " --data " + first.string()).exit_code,
              0);
    ASSERT_EQ(Expectmatch("export --db " + db2.string() + " " + second.string()).exit_code, 0);
    for (const char* file : datasets::kDatasetFiles) {
      std::string a = ReadFile(first / file), b = ReadFile(second / file);
      EXPECT_FALSE(a.empty()) << name << " " << file;
      EXPECT_EQ(a, b) << name << " " << file;
    }
    // The export is the source data set, and importing it into its own database changes nothing.
    datasets::LoadResult original = datasets::LoadDatasetDir(source),
                         back = datasets::LoadDatasetDir(first);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back.dataset.collectivites.size(), original.dataset.collectivites.size());
    CliRun again = Expectmatch("import --db " + db1.string() + " --data " + first.string());
    EXPECT_EQ(again.exit_code, 0) << again.output;
    EXPECT_NE(again.output.find("rien à importer"), std::string::npos) << again.output;
  }
}

TEST(Export, RefusesToOverwriteADataSetWithoutForce) {
  TinyDatabase base;
  const auto out = base.scratch.path() / "out";
  CliRun first = Expectmatch("export --db " + base.db.string() + " " + out.string());
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(
      first.output.find("exportée dans " + out.string() +
                        " : 7 thèmes, 7 collectivités, 6 coopérations, 5 missions, 2 besoins"),
      std::string::npos)
      << first.output;
  CliRun refused = Expectmatch("export --db " + base.db.string() + " " + out.string());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(
      refused.output.find(
          "contient déjà un jeu de données (themes.json, collectivites.json, cooperations.json, "
          "missions.json, needs.json) ; ajoutez --force pour l'écraser"),
      std::string::npos)
      << refused.output;
  EXPECT_EQ(Expectmatch("export --force --db " + base.db.string() + " " + out.string()).exit_code,
            0);
  CliRun missing = Expectmatch("export --db " + (base.scratch.path() / "none.db").string() + " " +
                               out.string() + "2");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("erreur : la base " + (base.scratch.path() / "none.db").string() +
                                " n'existe pas"),
            std::string::npos);
}

}  // namespace
}  // namespace expectmatch
