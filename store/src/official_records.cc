// The official list of French local authorities, and the collectivités' SIREN column. The list is
// not part of the catalogue (the ranking never reads it): replacing it leaves the data
// generation alone.
#include "expectmatch/store/store.h"
#include "statement.h"

namespace expectmatch::store {

using internal::Statement;

namespace {

constexpr const char* kOfficialColumns =
    "kind, insee, siren, name, words, region, departement, COALESCE(population, -1)";

OfficialRow ReadOfficialRow(Statement& s) {
  OfficialRow row{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6), {}};
  if (long long population = s.Int(7); population >= 0) row.population = population;
  return row;
}

}  // namespace

void Store::ReplaceOfficialList(const std::vector<OfficialRow>& rows,
                                const OfficialListInfo& info) {
  std::lock_guard lock(mutex_);
  Transact([&] {
    Exec("DELETE FROM official_authorities");
    Statement insert(db_,
                     "INSERT INTO official_authorities (kind, insee, siren, name, words, region, "
                     "departement, population) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, -1))");
    for (const OfficialRow& row : rows) {
      insert.Bind(1, row.kind);
      insert.Bind(2, row.insee);
      insert.Bind(3, row.siren);
      insert.Bind(4, row.name);
      insert.Bind(5, row.words);
      insert.Bind(6, row.region);
      insert.Bind(7, row.departement);
      insert.Bind(8, row.population.value_or(-1));
      insert.Step();
      insert.Reset();
    }
    Statement meta(db_, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    for (const auto& [key, value] :
         {std::pair<const char*, std::string>{"official_source", info.source},
          {"official_version", info.version},
          {"official_imported_at", info.imported_at}}) {
      meta.Bind(1, std::string(key));
      meta.Bind(2, value);
      meta.Step();
      meta.Reset();
    }
    return true;
  });
}

std::optional<OfficialListInfo> Store::OfficialList() {
  std::lock_guard lock(mutex_);
  OfficialListInfo info;
  bool found = false;
  Statement meta(db_,
                 "SELECT key, value FROM meta WHERE key IN ('official_source', "
                 "'official_version', 'official_imported_at')");
  while (meta.Step()) {
    found = true;
    std::string key = meta.Text(0);
    (key == "official_source"    ? info.source
     : key == "official_version" ? info.version
                                 : info.imported_at) = meta.Text(1);
  }
  if (!found) return std::nullopt;
  Statement count(db_, "SELECT COUNT(*) FROM official_authorities");
  count.Step();
  info.count = static_cast<size_t>(count.Int(0));
  return info;
}

std::optional<OfficialRow> Store::FindOfficialBySiren(const std::string& siren) {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string("SELECT ") + kOfficialColumns +
                    " FROM official_authorities WHERE siren = ? AND siren <> '' ORDER BY seq "
                    "LIMIT 1")
                       .c_str());
  s.Bind(1, siren);
  if (!s.Step()) return std::nullopt;
  return ReadOfficialRow(s);
}

std::optional<OfficialRow> Store::FindOfficialByInsee(const std::string& kind,
                                                      const std::string& code) {
  std::lock_guard lock(mutex_);
  Statement s(db_, (std::string("SELECT ") + kOfficialColumns +
                    " FROM official_authorities WHERE kind = ? AND insee = ? ORDER BY seq LIMIT 1")
                       .c_str());
  s.Bind(1, kind);
  s.Bind(2, code);
  if (!s.Step()) return std::nullopt;
  return ReadOfficialRow(s);
}

std::vector<OfficialRow> Store::SearchOfficial(const std::vector<std::string>& prefixes,
                                               const std::string& kind, size_t limit,
                                               size_t* total) {
  std::lock_guard lock(mutex_);
  // Each prefix must start a word: `words` has a space before every word. Folded words are
  // letters and digits only, so LIKE's wildcards cannot occur in them. A scan of the ~36,000
  // rows then a sort of the matches: walking an index in population order would read every
  // row through it when few match (measured in bench/README.md, "The official list").
  std::string where = " FROM official_authorities WHERE (?1 = '' OR kind = ?1)";
  for (size_t i = 0; i < prefixes.size(); ++i) where += " AND words LIKE ?" + std::to_string(i + 2);
  auto bind = [&](Statement& s) {
    s.Bind(1, kind);
    for (size_t i = 0; i < prefixes.size(); ++i)
      s.Bind(static_cast<int>(i + 2), "% " + prefixes[i] + "%");
  };
  {
    Statement count(db_, ("SELECT COUNT(*)" + where).c_str());
    bind(count);
    count.Step();
    if (total) *total = static_cast<size_t>(count.Int(0));
  }
  Statement s(db_, (std::string("SELECT ") + kOfficialColumns + where +
                    " ORDER BY +population DESC NULLS LAST, seq LIMIT ?" +
                    std::to_string(prefixes.size() + 2))
                       .c_str());
  bind(s);
  s.Bind(static_cast<int>(prefixes.size() + 2), static_cast<long long>(limit));
  std::vector<OfficialRow> rows;
  while (s.Step()) rows.push_back(ReadOfficialRow(s));
  return rows;
}

std::optional<Document> Store::FindCollectiviteBySiren(const std::string& siren) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT id, doc FROM collectivites WHERE siren = ? AND siren <> '' ORDER BY position "
              "LIMIT 1");
  s.Bind(1, siren);
  if (!s.Step()) return std::nullopt;
  return Document{s.Text(0), s.Text(1)};
}

}  // namespace expectmatch::store
