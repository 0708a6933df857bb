#include "import_export_command.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "dataset_folder.h"
#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/collectivites_csv.h"
#include "expectmatch/datasets/loader.h"
#include "expectmatch/datasets/writer.h"
#include "expectmatch/service/clock.h"
#include "expectmatch/service/label_history.h"
#include "expectmatch/service/profiles.h"
#include "expectmatch/service/reports.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/store/store.h"
#include "expectmatch/store_rows/store_rows.h"

namespace expectmatch::app {
namespace {

// The import's documents with the label changes of the authorities it writes (the label history),
// made by "import".
store::SeedDocuments WithLabelHistory(store::SeedDocuments documents,
                                      const std::vector<matcher::Collectivite>& stored) {
  std::unordered_map<std::string, const matcher::Collectivite*> before;
  for (const matcher::Collectivite& c : stored) before[c.id] = &c;
  const std::string now = service::NowRfc3339();
  for (const store::CollectiviteRow& row : documents.collectivites) {
    auto was = before.find(row.id);
    std::vector<store::LabelHistoryRow> changes = service::LabelChanges(
        row.id, was == before.end() ? datasets::Json() : datasets::Encode(*was->second)["labels"],
        datasets::Json::parse(row.json)["labels"], now, "import");
    documents.label_history.insert(documents.label_history.end(), changes.begin(), changes.end());
  }
  return documents;
}

namespace fs = std::filesystem;
using datasets::Json;

constexpr const char* kDefaultDb = "var/expectmatch.db";

struct ImportArgs {
  std::string db = kDefaultDb;
  std::string data;
  std::string csv;
};

struct ExportArgs {
  std::string db = kDefaultDb;
  std::string out;
  bool force = false;
  std::string reports_csv;  // --reports-csv FILE: the missions and their reports, as CSV
};

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "erreur : " << message << "\n";
  throw CLI::RuntimeError(1);
}

// Prints every error, then fails with `summary`.
[[noreturn]] void FailWithErrors(const std::vector<std::string>& errors,
                                 const std::string& summary) {
  for (const std::string& error : errors) std::cerr << error << "\n";
  Fail(summary + " (" + std::to_string(errors.size()) +
       (errors.size() == 1 ? " erreur" : " erreurs") + ")");
}

// "1 ajoutée", "0 modifié", "3 inchangés": a number and an adjective in French agreement, where
// 0 and 1 are singular.
std::string Count(size_t n, const std::string& adjective, bool feminine) {
  std::string out = std::to_string(n) + " " + adjective;
  if (feminine) out += "e";
  if (n > 1) out += "s";
  return out;
}

// "0 thème", "2 thèmes".
std::string Plural(size_t n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n > 1 ? plural : singular);
}

// The data set in the database, which must be seeded and valid.
matcher::Dataset LoadStored(store::Store& store, const std::string& db) {
  datasets::LoadResult stored = service::LoadFromStore(store);
  if (!stored.ok())
    FailWithErrors(stored.errors,
                   "la base " + db + " contient un jeu de données invalide ; rien n'a été importé");
  return std::move(stored.dataset);
}

// ---- Merging -----------------------------------------------------------------------------

// Where a record of the merged data set comes from.
struct Origin {
  bool imported = false;  // from the import (folder or CSV) rather than the database
  size_t index = 0;       // its index in the imported file (or CSV row)
  std::string stored_id;  // the database record it replaces, or its own id when stored
};

struct MergedFile {
  Json records = Json::array();
  std::vector<Origin> origins;
};

template <typename T>
Json EncodeAll(const std::vector<T>& records) {
  Json out = Json::array();
  for (const T& record : records) out.push_back(datasets::Encode(record));
  return out;
}

// Merges by id: an imported record replaces the stored record with its id (once: a second
// record with the same id is appended, so that validation reports the duplicate), others are
// appended.
MergedFile MergeById(const Json& stored, const Json* imported) {
  MergedFile merged;
  std::unordered_map<std::string, size_t> positions;
  for (const Json& record : stored) {
    std::string id = record.at("id").get<std::string>();
    positions.emplace(id, merged.origins.size());
    merged.records.push_back(record);
    merged.origins.push_back({false, 0, id});
  }
  if (!imported) return merged;
  std::set<std::string> replaced;
  for (size_t i = 0; i < imported->size(); ++i) {
    const Json& record = (*imported)[i];
    auto id = record.is_object() ? record.find("id") : record.end();
    if (record.is_object() && id != record.end() && id->is_string()) {
      auto it = positions.find(id->get<std::string>());
      if (it != positions.end() && replaced.insert(it->first).second) {
        merged.records[it->second] = record;
        merged.origins[it->second] = {true, i, it->first};
        continue;
      }
    }
    merged.records.push_back(record);
    merged.origins.push_back({true, i, ""});
  }
  return merged;
}

std::string CollectiviteOf(const Json& link) {
  auto it = link.is_object() ? link.find("collectivite") : link.end();
  return it != link.end() && it->is_string() ? it->get<std::string>() : "";
}

// The stored links of the authorities the imported links do not name, then the imported links.
MergedFile MergeCooperations(const Json& stored, const Json* imported) {
  MergedFile merged;
  std::set<std::string> named;
  if (imported) {
    for (const Json& link : *imported) named.insert(CollectiviteOf(link));
  }
  for (const Json& link : stored) {
    std::string owner = CollectiviteOf(link);
    if (named.count(owner)) continue;
    merged.records.push_back(link);
    merged.origins.push_back({false, 0, owner});
  }
  if (imported) {
    for (size_t i = 0; i < imported->size(); ++i) {
      merged.records.push_back((*imported)[i]);
      merged.origins.push_back({true, i, ""});
    }
  }
  return merged;
}

// Rewrites a validation error of the merged data set ("collectivites.json[57].region: ...")
// to name the imported record (`imported(file, index)`) or the stored one.
std::string PlaceError(const std::string& error, const std::map<std::string, MergedFile>& merged,
                       const std::function<std::string(const std::string&, size_t)>& imported) {
  size_t open = error.find('[');
  size_t close = error.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return error;
  std::string file = error.substr(0, open);
  auto it = merged.find(file);
  if (it == merged.end()) return error;
  size_t index = 0;
  try {
    index = std::stoul(error.substr(open + 1, close - open - 1));
  } catch (const std::exception&) {
    return error;
  }
  if (index >= it->second.origins.size()) return error;
  const Origin& origin = it->second.origins[index];
  std::string rest = error.substr(close + 1);
  if (origin.imported) return imported(file, origin.index) + rest;
  return "(base) " + file + " « " + origin.stored_id + " »" + rest;
}

// ---- import --data -------------------------------------------------------------------------

// Per file: records added, updated and unchanged.
struct Tally {
  size_t added = 0;
  size_t updated = 0;
  size_t unchanged = 0;
};

template <typename T>
void Sort(const std::vector<T>& stored, const std::vector<T>& merged, const MergedFile& origins,
          std::vector<T>* write, Tally* tally) {
  std::unordered_map<std::string, const T*> by_id;
  for (const T& record : stored) by_id.emplace(record.id, &record);
  for (size_t j = 0; j < merged.size(); ++j) {
    const Origin& origin = origins.origins[j];
    if (!origin.imported) continue;
    if (origin.stored_id.empty()) {
      ++tally->added;
      write->push_back(merged[j]);
    } else if (datasets::Encode(*by_id.at(origin.stored_id)) == datasets::Encode(merged[j])) {
      ++tally->unchanged;
    } else {
      ++tally->updated;
      write->push_back(merged[j]);
    }
  }
}

std::string TallyLine(const Tally& tally, bool feminine) {
  return Count(tally.added, "ajouté", feminine) + ", " + Count(tally.updated, "modifié", feminine) +
         ", " + Count(tally.unchanged, "inchangé", feminine);
}

// An empty database takes a complete, valid data set; it is validated before the database
// file is created.
void SeedFromFolder(std::unique_ptr<store::Store> store, const ImportArgs& args) {
  datasets::LoadResult loaded = datasets::LoadDatasetDir(args.data);
  if (!loaded.ok()) {
    FailWithErrors(loaded.errors,
                   "la base " + args.db + " est vide et " + args.data +
                       " n'est pas un jeu de données complet et valide ; rien n'a été importé");
  }
  if (!store) store = std::make_unique<store::Store>(args.db);
  const matcher::Dataset& d = loaded.dataset;
  store->Seed(store_rows::SeedDocumentsFor(d, fs::absolute(args.data).lexically_normal().string()));
  service::EnsureBuiltinProfiles(*store);
  std::cout << "base " << args.db << " initialisée depuis " << args.data << " : "
            << Plural(d.themes.size(), "thème", "thèmes") << ", "
            << Plural(d.collectivites.size(), "collectivité", "collectivités") << ", "
            << Plural(d.cooperations.size(), "coopération", "coopérations") << ", "
            << Plural(d.missions.size(), "mission", "missions") << ", "
            << Plural(d.needs.size(), "besoin", "besoins") << "\n";
}

void ImportFolder(const ImportArgs& args) {
  std::error_code ec;
  if (!fs::is_directory(args.data, ec)) Fail(args.data + " n'est pas un dossier");
  if (!fs::exists(args.db, ec)) {
    SeedFromFolder(nullptr, args);
    return;
  }
  auto opened = std::make_unique<store::Store>(args.db);
  if (!opened->IsSeeded()) {
    SeedFromFolder(std::move(opened), args);
    return;
  }
  store::Store& store = *opened;

  // The folder's files: any of the five; a seeded database is updated with what is there.
  datasets::DatasetDocuments folder;
  std::vector<std::string> errors;
  for (const char* file : datasets::kDatasetFiles) {
    if (!fs::exists(fs::path(args.data) / file, ec)) continue;
    std::ifstream in(fs::path(args.data) / file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) {
      errors.push_back(std::string(file) + ": fichier illisible");
      continue;
    }
    try {
      Json document = Json::parse(buffer.str());
      if (!document.is_array()) {
        errors.push_back(std::string(file) + ": expected a JSON array of objects, got " +
                         std::string(datasets::JsonTypeName(document)));
        continue;
      }
      folder[file] = std::move(document);
    } catch (const Json::parse_error& e) {
      std::string message = e.what();
      auto pos = message.find("parse error");
      errors.push_back(std::string(file) + ": invalid JSON, " +
                       (pos == std::string::npos ? message : message.substr(pos)));
    }
  }
  if (folder.empty() && errors.empty()) {
    Fail(args.data +
         " ne contient aucun fichier de jeu de données (themes.json, collectivites.json, "
         "cooperations.json, "
         "missions.json, needs.json)");
  }
  if (!errors.empty())
    FailWithErrors(errors, args.data + " : fichiers illisibles ; rien n'a été importé");

  matcher::Dataset stored = LoadStored(store, args.db);
  auto imported = [&](const char* file) {
    auto it = folder.find(file);
    return it == folder.end() ? nullptr : &it->second;
  };
  std::map<std::string, MergedFile> merged;
  merged["themes.json"] = MergeById(EncodeAll(stored.themes), imported("themes.json"));
  merged["collectivites.json"] =
      MergeById(EncodeAll(stored.collectivites), imported("collectivites.json"));
  merged["cooperations.json"] =
      MergeCooperations(EncodeAll(stored.cooperations), imported("cooperations.json"));
  merged["missions.json"] = MergeById(EncodeAll(stored.missions), imported("missions.json"));
  merged["needs.json"] = MergeById(EncodeAll(stored.needs), imported("needs.json"));
  datasets::DatasetDocuments documents;
  for (const auto& [file, records] : merged) documents[file] = records.records;
  datasets::LoadResult result = datasets::DecodeDataset(documents);
  if (!result.ok()) {
    std::vector<std::string> placed;
    for (const std::string& error : result.errors) {
      placed.push_back(PlaceError(error, merged, [](const std::string& file, size_t index) {
        return file + "[" + std::to_string(index) + "]";
      }));
    }
    FailWithErrors(placed, "une fois fusionné avec la base " + args.db + ", le jeu de données de " +
                               args.data + " est invalide ; rien n'a été importé");
  }

  // What changed: only that is written.
  const matcher::Dataset& all = result.dataset;
  matcher::Dataset write;
  Tally themes, collectivites, missions, needs;
  Sort(stored.themes, all.themes, merged["themes.json"], &write.themes, &themes);
  Sort(stored.collectivites, all.collectivites, merged["collectivites.json"], &write.collectivites,
       &collectivites);
  Sort(stored.missions, all.missions, merged["missions.json"], &write.missions, &missions);
  Sort(stored.needs, all.needs, merged["needs.json"], &write.needs, &needs);

  // Cooperations, per authority named: replaced when its list of links differs.
  std::map<std::string, std::vector<Json>> old_links, new_links;
  for (const matcher::Cooperation& link : stored.cooperations) {
    old_links[link.collectivite].push_back(datasets::Encode(link));
  }
  std::vector<std::string> named;  // in the folder's order
  for (size_t j = 0; j < all.cooperations.size(); ++j) {
    if (!merged["cooperations.json"].origins[j].imported) continue;
    const matcher::Cooperation& link = all.cooperations[j];
    if (!new_links.count(link.collectivite)) named.push_back(link.collectivite);
    new_links[link.collectivite].push_back(datasets::Encode(link));
  }
  size_t replaced = 0, same = 0, removed = 0, written = 0;
  for (size_t j = 0; j < all.cooperations.size(); ++j) {
    const matcher::Cooperation& link = all.cooperations[j];
    if (merged["cooperations.json"].origins[j].imported &&
        new_links.at(link.collectivite) != old_links[link.collectivite]) {
      write.cooperations.push_back(link);
    }
  }
  for (const std::string& owner : named) {
    if (new_links.at(owner) == old_links[owner]) {
      ++same;
    } else {
      ++replaced;
      removed += old_links[owner].size();
      written += new_links.at(owner).size();
    }
  }

  bool changed = !write.themes.empty() || !write.collectivites.empty() ||
                 !write.cooperations.empty() || !write.missions.empty() || !write.needs.empty();
  if (changed)
    store.Import(WithLabelHistory(
        store_rows::SeedDocumentsFor(write, fs::absolute(args.data).lexically_normal().string()),
        stored.collectivites));

  std::cout << args.data << (changed ? " importé dans " : " : rien à importer, la base ") << args.db
            << (changed ? " :\n" : " contient déjà ces données :\n");
  if (folder.count("themes.json")) std::cout << "  thèmes : " << TallyLine(themes, false) << "\n";
  if (folder.count("collectivites.json"))
    std::cout << "  collectivités : " << TallyLine(collectivites, true) << "\n";
  if (folder.count("cooperations.json")) {
    std::cout << "  coopérations : "
              << Plural(replaced, "collectivité aux liens remplacés",
                        "collectivités aux liens remplacés")
              << " (" << Plural(removed, "lien supprimé", "liens supprimés") << ", "
              << Count(written, "enregistré", false) << "), " << same << " aux liens inchangés\n";
  }
  if (folder.count("missions.json"))
    std::cout << "  missions : " << TallyLine(missions, true) << "\n";
  if (folder.count("needs.json")) std::cout << "  besoins : " << TallyLine(needs, false) << "\n";
}

// ---- import --csv --------------------------------------------------------------------------

void ImportCsv(const ImportArgs& args) {
  const fs::path path(args.csv);
  const std::string file = path.filename().string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) Fail("fichier introuvable : " + args.csv);
  if (!fs::exists(args.db, ec)) {
    Fail("la base " + args.db +
         " n'existe pas ; créez-la d'abord depuis un jeu de données complet "
         "(expectmatch import --db " +
         args.db + " --data DOSSIER)");
  }
  store::Store store(args.db);
  if (!store.IsSeeded()) {
    Fail("la base " + args.db +
         " ne contient pas encore de jeu de données (ni thèmes) ; importez d'abord un dossier "
         "(expectmatch import --db " +
         args.db + " --data DOSSIER)");
  }
  matcher::Dataset stored = LoadStored(store, args.db);

  datasets::CollectivitesCsv csv = datasets::ReadCollectivitesCsv(path, &stored.themes);
  for (const datasets::CsvError& warning : csv.warnings)
    std::cerr << "attention : " << warning.ToString(file) << "\n";
  if (!csv.ok()) {
    std::vector<std::string> errors;
    for (const datasets::CsvError& error : csv.errors) errors.push_back(error.ToString(file));
    FailWithErrors(errors, file + " : rien n'a été importé");
  }

  // Validate the merged data set (the CSV checks cover a collectivité's fields; this is the
  // contract's last word).
  std::map<std::string, MergedFile> merged;
  Json rows = EncodeAll(csv.collectivites);
  merged["collectivites.json"] = MergeById(EncodeAll(stored.collectivites), &rows);
  datasets::DatasetDocuments documents;
  documents["themes.json"] = EncodeAll(stored.themes);
  documents["collectivites.json"] = merged["collectivites.json"].records;
  documents["cooperations.json"] = EncodeAll(stored.cooperations);
  documents["missions.json"] = EncodeAll(stored.missions);
  documents["needs.json"] = EncodeAll(stored.needs);
  datasets::LoadResult result = datasets::DecodeDataset(documents);
  if (!result.ok()) {
    std::vector<std::string> placed;
    for (const std::string& error : result.errors) {
      placed.push_back(PlaceError(error, merged, [&](const std::string&, size_t index) {
        return file + ", ligne " + std::to_string(csv.rows[index]);
      }));
    }
    FailWithErrors(placed, "une fois fusionnées avec la base " + args.db +
                               ", les collectivités de " + file +
                               " sont invalides ; rien n'a été importé");
  }

  matcher::Dataset write;
  Tally tally;
  Sort(stored.collectivites, result.dataset.collectivites, merged["collectivites.json"],
       &write.collectivites, &tally);
  if (write.collectivites.empty()) {
    std::cout << file << " : rien à importer, la base " << args.db << " contient déjà ces données ("
              << Plural(tally.unchanged, "collectivité inchangée", "collectivités inchangées")
              << ")\n";
    return;
  }
  store.Import(WithLabelHistory(
      store_rows::SeedDocumentsFor(write, fs::absolute(path).lexically_normal().string()),
      stored.collectivites));
  std::cout << file << " importé dans " << args.db << " : "
            << Plural(tally.added, "collectivité ajoutée", "collectivités ajoutées") << ", "
            << Count(tally.updated, "modifié", true) << ", "
            << Count(tally.unchanged, "inchangé", true) << " ("
            << Plural(result.dataset.collectivites.size(), "collectivité", "collectivités")
            << " en tout)\n";
}

void RunImport(const ImportArgs& args) {
  if (args.data.empty() == args.csv.empty())
    Fail("indiquez soit --data DOSSIER, soit --csv FICHIER");
  try {
    if (!args.data.empty()) {
      ImportFolder(args);
    } else {
      ImportCsv(args);
    }
  } catch (const store::StoreError& e) {
    Fail(std::string("base ") + args.db + " : " + e.what());
  }
}

// ---- export --------------------------------------------------------------------------------

// export --reports-csv FILE: the CSV of GET /v1/reports/export.csv.
void RunReportsCsv(const ExportArgs& args) {
  std::error_code ec;
  if (!fs::exists(args.db, ec)) Fail("la base " + args.db + " n'existe pas");
  std::string csv;
  try {
    store::Store store(args.db);
    csv = service::ReportsCsv(store);
  } catch (const store::StoreError& e) {
    Fail(std::string("base ") + args.db + " : " + e.what());
  }
  std::ofstream file(args.reports_csv, std::ios::binary | std::ios::trunc);
  file << csv;
  file.close();
  if (!file) Fail("impossible d'écrire " + args.reports_csv);
  std::cout << "rapports de mission de la base " << args.db << " exportés dans "
            << args.reports_csv << "\n";
}

void RunExport(const ExportArgs& args) {
  if (!args.reports_csv.empty()) {
    RunReportsCsv(args);
    if (args.out.empty()) return;
  }
  if (args.out.empty()) Fail("indiquez un dossier de sortie, ou --reports-csv FICHIER");
  const fs::path out(args.out);
  std::error_code ec;
  if (!fs::exists(args.db, ec)) Fail("la base " + args.db + " n'existe pas");
  if (std::string problem = DatasetFolderProblem(args.out, args.force); !problem.empty())
    Fail(problem);
  matcher::Dataset data;
  try {
    store::Store store(args.db);
    if (!store.IsSeeded()) Fail("la base " + args.db + " ne contient aucun jeu de données");
    datasets::LoadResult loaded = service::LoadFromStore(store);
    if (!loaded.ok())
      FailWithErrors(
          loaded.errors,
          "la base " + args.db + " contient un jeu de données invalide ; rien n'a été exporté");
    data = std::move(loaded.dataset);
  } catch (const store::StoreError& e) {
    Fail(std::string("base ") + args.db + " : " + e.what());
  }
  fs::create_directories(out, ec);
  if (ec) Fail("impossible de créer le dossier " + args.out + " : " + ec.message());
  try {
    datasets::WriteDataset(data, out);
  } catch (const fs::filesystem_error& e) {
    Fail("impossible d'écrire " + e.path1().string() + " : " + e.code().message());
  }
  std::cout << "base " << args.db << " exportée dans " << args.out << " : "
            << Plural(data.themes.size(), "thème", "thèmes") << ", "
            << Plural(data.collectivites.size(), "collectivité", "collectivités") << ", "
            << Plural(data.cooperations.size(), "coopération", "coopérations") << ", "
            << Plural(data.missions.size(), "mission", "missions") << ", "
            << Plural(data.needs.size(), "besoin", "besoins") << "\n";
}

}  // namespace

void AddImportExportCommands(CLI::App& app) {
  auto import_args = std::make_shared<ImportArgs>();
  auto* import = app.add_subcommand(
      "import",
      "Importe dans la base un dossier de jeu de données ou un tableur CSV de collectivités");
  import->add_option("--db", import_args->db, "Base SQLite (créée si besoin par --data)")
      ->capture_default_str();
  auto* data = import->add_option(
      "--data", import_args->data,
      "Dossier de jeu de données (les cinq fichiers, ou certains pour mettre à jour la base)");
  auto* csv = import->add_option(
      "--csv", import_args->csv,
      "Tableur de collectivités enregistré en CSV (séparateur « ; » ou « , », UTF-8)");
  data->excludes(csv);
  import->callback([import_args] { RunImport(*import_args);
});

auto export_args = std::make_shared<ExportArgs>();
auto* exporter = app.add_subcommand(
    "export", "Écrit le jeu de données de la base dans un dossier (cinq fichiers JSON)");
exporter->add_option("--db", export_args->db, "Base SQLite")->capture_default_str();
exporter->add_option("out", export_args->out, "Dossier de sortie (créé s'il n'existe pas)");
exporter->add_option("--reports-csv", export_args->reports_csv,
                     "Écrire aussi les missions et leurs rapports dans ce fichier CSV "
                     "(UTF-8 avec BOM, pour la revue annuelle)");
exporter->add_flag("--force", export_args->force,
                   "Écraser les fichiers d'un jeu de données existant");
exporter->callback([export_args] { RunExport(*export_args); });
}  // namespace expectmatch::app

}  // namespace expectmatch::app
