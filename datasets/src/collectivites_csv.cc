#include "expectmatch/datasets/collectivites_csv.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "expectmatch/datasets/official_list.h"
#include "expectmatch/datasets/reference.h"
#include "text.h"

namespace expectmatch::datasets {
namespace {

using internal::AsciiLower;
using internal::BlankLength;
using internal::Cp1252ToUtf8;
using internal::Guillemets;
using internal::IsValidUtf8;
using internal::NextCodePoint;
using internal::Trim;

// ---- Folding: case, accents, blanks and punctuation do not matter --------------------------

// ASCII spellings of U+00C0..U+00FF ("" for × and ÷).
constexpr std::array<const char*, 64> kLatin1Folded = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   //
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",  //
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   //
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

// Lower-case ASCII letters and digits only: "Jusqu’au 1" → "jusquau1", "Île-de-France" →
// "iledefrance".
std::string Fold(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    std::optional<char32_t> cp = NextCodePoint(text, &i);
    if (!cp) continue;
    if (*cp >= 'A' && *cp <= 'Z') {
      out.push_back(static_cast<char>(*cp - 'A' + 'a'));
    } else if ((*cp >= 'a' && *cp <= 'z') || (*cp >= '0' && *cp <= '9')) {
      out.push_back(static_cast<char>(*cp));
    } else if (*cp >= 0xC0 && *cp <= 0xFF) {
      out += kLatin1Folded[*cp - 0xC0];
    } else if (*cp == 0x152 || *cp == 0x153) {
      out += "oe";
    } else if (*cp == 0x178) {
      out += "y";
    }
  }
  return out;
}

// "1 000" for 1000: French thousands separators in messages.
std::string FrenchNumber(long long value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(' ');
    out.push_back(digits[i]);
  }
  return out;
}

// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
std::string ColumnLetters(size_t index) {
  std::string out;
  for (size_t n = index + 1; n > 0; n = (n - 1) / 26)
    out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  return out;
}

// ---- Values --------------------------------------------------------------------------------

// An integer in [min, max]; blanks are thousands separators and a zero fraction of one or two
// digits (`2,00`, `2.0`) is accepted (`1.000` is not: a thousands separator elsewhere). Sets
// *message on failure.
std::optional<long long> ParseInteger(const std::string& cell, long long min, long long max,
                                      std::string* message) {
  std::string digits;
  for (size_t i = 0; i < cell.size();) {
    if (size_t n = BlankLength(cell, i)) {
      i += n;
      continue;
    }
    digits.push_back(cell[i++]);
  }
  bool negative = !digits.empty() && digits[0] == '-';
  if (negative || (!digits.empty() && digits[0] == '+')) digits.erase(0, 1);
  if (auto point = digits.find_first_of(",.");
      point != std::string::npos && point > 0 && digits.size() - point - 1 >= 1 &&
      digits.size() - point - 1 <= 2 &&
      digits.find_first_not_of('0', point + 1) == std::string::npos) {
    digits.erase(point);
  }
  bool numeric = !digits.empty() && std::all_of(digits.begin(), digits.end(),
                                                [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!numeric) {
    *message = "nombre entier attendu, lu " + Guillemets(cell);
    return std::nullopt;
  }
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
  long long value = digits.size() > 15 ? max + 1 : std::stoll(digits);
  if (negative) value = -value;
  if (value < min || value > max) {
    *message = "doit être compris entre " + FrenchNumber(min) + " et " + FrenchNumber(max) +
               ", lu " + Guillemets(cell);
    return std::nullopt;
  }
  return value;
}

// YYYY-MM-DD or DD/MM/YYYY (day and month may have one digit).
std::optional<matcher::Date> ParseCellDate(const std::string& cell) {
  if (auto date = matcher::ParseIsoDate(cell)) return date;
  auto digits = [](std::string_view part, size_t min, size_t max) {
    return part.size() >= min && part.size() <= max &&
           std::all_of(part.begin(), part.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  };
  size_t first = cell.find('/');
  size_t second = first == std::string::npos ? first : cell.find('/', first + 1);
  if (second == std::string::npos) return std::nullopt;
  std::string_view text(cell);
  std::string_view day = text.substr(0, first), month = text.substr(first + 1, second - first - 1),
                   year = text.substr(second + 1);
  if (!digits(day, 1, 2) || !digits(month, 1, 2) || !digits(year, 4, 4)) return std::nullopt;
  std::string iso(year);
  iso.append("-")
      .append(month.size() == 1 ? "0" : "")
      .append(month)
      .append("-")
      .append(day.size() == 1 ? "0" : "")
      .append(day);
  return matcher::ParseIsoDate(iso);
}

const std::map<std::string, matcher::CollectiviteKind>& Kinds() {
  static const std::map<std::string, matcher::CollectiviteKind> kinds = {
      {"region", matcher::CollectiviteKind::kRegion},
      {"departement", matcher::CollectiviteKind::kDepartement},
      {"commune", matcher::CollectiviteKind::kCommune},
      {"epci", matcher::CollectiviteKind::kEpci},
      {"association", matcher::CollectiviteKind::kAssociation}};
  return kinds;
}

const std::unordered_map<std::string, std::string>& Regions() {
  static const std::unordered_map<std::string, std::string> regions = [] {
    std::unordered_map<std::string, std::string> out;
    for (std::string_view region : FrenchRegions()) out.emplace(Fold(region), std::string(region));
    out.emplace("reunion", "La Réunion");
    return out;
  }();
  return regions;
}

// French language names (each of the ISO table's "; "-separated names) → ISO 639-1 code.
const std::unordered_map<std::string, std::string>& LanguageNames() {
  static const std::unordered_map<std::string, std::string> names = [] {
    std::unordered_map<std::string, std::string> out;
    for (char a = 'a'; a <= 'z'; ++a) {
      for (char b = 'a'; b <= 'z'; ++b) {
        const char code[] = {a, b, '\0'};
        const Language* language = FindLanguage(code);
        if (!language) continue;
        std::string_view names_fr = language->name_fr;
        for (size_t start = 0; start <= names_fr.size();) {
          size_t end = std::min(names_fr.find_first_of(";,", start), names_fr.size());
          if (std::string key = Fold(names_fr.substr(start, end - start)); !key.empty())
            out.emplace(key, code);
          start = end + 1;
        }
      }
    }
    out.emplace("espagnol", "es");  // the ISO table names it "castillan"
    return out;
  }();
  return names;
}

std::optional<std::string> LanguageCode(const std::string& token) {
  if (token.size() == 2) {
    std::string code = AsciiLower(token);
    if (FindLanguage(code)) return code;
  }
  auto it = LanguageNames().find(Fold(token));
  if (it != LanguageNames().end()) return it->second;
  return std::nullopt;
}

// ---- Columns -------------------------------------------------------------------------------

enum class Field {
  kId,
  kName,
  kKind,
  kRegion,
  kPopulation,
  kLanguages,
  kCapacity,
  kExperts,
  kLabel,
  kSince,
  kUntil,
  kSiren,
  kInsee
};

struct FieldSpec {
  Field field;
  const char* display;              // how messages name a missing column
  std::array<const char*, 2> keys;  // folded headers (null: none)
  bool required;
};

const std::array<FieldSpec, 10> kPlainFields = {{
    {Field::kId, "identifiant", {"identifiant", "id"}, true},
    {Field::kName, "nom", {"nom", nullptr}, true},
    {Field::kKind, "type", {"type", nullptr}, true},
    {Field::kRegion, "région", {"region", nullptr}, true},
    {Field::kPopulation, "population", {"population", nullptr}, false},
    {Field::kLanguages, "langues", {"langues", nullptr}, true},
    {Field::kCapacity, "capacité annuelle", {"capaciteannuelle", "capacite"}, true},
    {Field::kExperts, "experts", {"experts", nullptr}, true},
    {Field::kSiren, "siren", {"siren", nullptr}, false},
    {Field::kInsee, "insee", {"insee", "codeinsee"}, false},
}};

struct GroupSpec {
  Field field;
  const char* display;
  std::array<const char*, 2> keys;
};

const std::array<GroupSpec, 3> kGroupFields = {{
    {Field::kLabel, "label", {"label", nullptr}},
    {Field::kSince, "depuis", {"depuis", "debut"}},
    {Field::kUntil, "jusqu'au", {"jusquau", "jusqua"}},
}};

// A recognised column: its field, label group (label fields only) and header as written.
struct Column {
  Field field;
  int group = 0;
  size_t index = 0;
  std::string header;
};

struct LabelGroup {
  std::optional<Column> label;
  std::optional<Column> since;
  std::optional<Column> until;
};

// What the header row says: where each field is, the label groups by number.
struct Layout {
  std::map<Field, Column> plain;
  std::map<int, LabelGroup> groups;
  size_t width = 0;           // cells in the header row
  std::vector<bool> ignored;  // per header cell: an unknown or untitled column
};

std::optional<Column> Classify(const std::string& header, size_t index) {
  std::string key = Fold(header);
  for (const FieldSpec& spec : kPlainFields) {
    for (const char* k : spec.keys) {
      if (k && key == k) return Column{spec.field, 0, index, header};
    }
  }
  size_t digits = key.find_first_of("0123456789");
  std::string stem = key.substr(0, digits);
  std::string number = digits == std::string::npos ? "" : key.substr(digits);
  if (number.size() > 6 || number.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  // "Label n°2" folds to "labeln2".
  std::string stem_without_n = !number.empty() && stem.size() > 1 && stem.back() == 'n'
                                   ? stem.substr(0, stem.size() - 1)
                                   : "";
  for (const GroupSpec& spec : kGroupFields) {
    for (const char* k : spec.keys) {
      if (k && (stem == k || stem_without_n == k))
        return Column{spec.field, number.empty() ? 0 : std::stoi(number), index, header};
    }
  }
  return std::nullopt;
}

std::string GroupDisplay(Field field, int group) {
  for (const GroupSpec& spec : kGroupFields) {
    if (spec.field == field)
      return std::string(spec.display) + (group > 0 ? " " + std::to_string(group) : "");
  }
  return "";
}

std::optional<Layout> ReadHeader(const std::vector<std::string>& header_cells,
                                 std::vector<CsvError>* errors, std::vector<CsvError>* warnings) {
  Layout layout;
  layout.width = header_cells.size();
  layout.ignored.assign(header_cells.size(), false);
  std::map<std::pair<Field, int>, size_t> seen;  // → header cell index
  bool good = true;
  for (size_t i = 0; i < header_cells.size(); ++i) {
    std::string header = Trim(header_cells[i]);
    if (header.empty()) {
      layout.ignored[i] = true;  // reported by the rows that fill it
      continue;
    }
    std::optional<Column> column = Classify(header, i);
    if (!column) {
      layout.ignored[i] = true;
      warnings->push_back(
          {1, header, "colonne inconnue, ignorée (colonne " + ColumnLetters(i) + ")"});
      continue;
    }
    auto [it, inserted] = seen.emplace(std::pair(column->field, column->group), i);
    if (!inserted) {
      errors->push_back({1, header,
                         "colonne en double : colonne " + ColumnLetters(i) + ", déjà en colonne " +
                             ColumnLetters(it->second) + " (" +
                             Guillemets(Trim(header_cells[it->second])) + ")"});
      good = false;
      continue;
    }
    if (column->field == Field::kLabel || column->field == Field::kSince ||
        column->field == Field::kUntil) {
      LabelGroup& group = layout.groups[column->group];
      (column->field == Field::kLabel   ? group.label
       : column->field == Field::kSince ? group.since
                                        : group.until) = *column;
    } else {
      layout.plain.emplace(column->field, *column);
    }
  }

  std::vector<std::string> missing;
  for (const FieldSpec& spec : kPlainFields) {
    if (spec.required && !layout.plain.count(spec.field))
      missing.push_back(Guillemets(spec.display));
  }
  for (const auto& [number, group] : layout.groups) {
    if (!group.label) missing.push_back(Guillemets(GroupDisplay(Field::kLabel, number)));
    if (!group.since) missing.push_back(Guillemets(GroupDisplay(Field::kSince, number)));
  }
  if (!missing.empty()) {
    std::string list;
    for (const std::string& name : missing) list += (list.empty() ? "" : ", ") + name;
    errors->push_back({1, "",
                       (missing.size() == 1 ? "colonne obligatoire manquante : "
                                            : "colonnes obligatoires manquantes : ") +
                           list});
    good = false;
  }
  if (!good) return std::nullopt;
  return layout;
}

// ---- Themes --------------------------------------------------------------------------------

class ThemeResolver {
 public:
  explicit ThemeResolver(const std::vector<matcher::Theme>* themes) : themes_(themes) {
    if (!themes) return;
    for (const matcher::Theme& theme : *themes) {
      ids_.insert(theme.id);
      by_label_[Fold(theme.label)].push_back(theme.id);
    }
  }

  // The theme id a label cell names, or nullopt with *message set.
  std::optional<std::string> Resolve(const std::string& cell, std::string* message) const {
    if (!themes_) return cell;
    if (ids_.count(cell)) return cell;
    if (std::string lower = AsciiLower(cell); ids_.count(lower)) return lower;
    auto it = by_label_.find(Fold(cell));
    if (it != by_label_.end() && it->second.size() == 1) return it->second.front();
    if (it != by_label_.end()) {
      std::string ids;
      for (const std::string& id : it->second) ids += (ids.empty() ? "" : ", ") + id;
      *message = "plusieurs thèmes s'appellent " + Guillemets(cell) + " (" + ids +
                 ") : indiquez l'identifiant du thème";
      return std::nullopt;
    }
    *message = "thème inconnu " + Guillemets(cell);
    return std::nullopt;
  }

 private:
  const std::vector<matcher::Theme>* themes_;
  std::set<std::string> ids_;
  std::unordered_map<std::string, std::vector<std::string>> by_label_;
};

// ---- Rows ----------------------------------------------------------------------------------

class RowDecoder {
 public:
  RowDecoder(const Layout& layout, const std::vector<std::string>& cells, size_t row,
             std::vector<CsvError>* errors)
      : layout_(layout), cells_(cells), row_(row), errors_(errors), first_error_(errors->size()) {}

  bool ok() const { return errors_->size() == first_error_; }
  void Fail(const Column& column, std::string message) {
    errors_->push_back({row_, column.header, std::move(message)});
  }

  std::string Cell(const Column* column) const {
    return column && column->index < cells_.size() ? Trim(cells_[column->index]) : std::string();
  }
  const Column* At(Field field) const {
    auto it = layout_.plain.find(field);
    return it == layout_.plain.end() ? nullptr : &it->second;
  }
  // A required cell's trimmed text, or nullopt after recording it is empty.
  std::optional<std::string> Required(Field field, const char* what) {
    std::string cell = Cell(At(field));
    if (cell.empty()) {
      Fail(*At(field), std::string(what));
      return std::nullopt;
    }
    return cell;
  }
  std::optional<long long> Integer(Field field, long long min, long long max) {
    std::optional<std::string> cell = Required(field, "valeur obligatoire manquante");
    if (!cell) return std::nullopt;
    std::string message;
    std::optional<long long> value = ParseInteger(*cell, min, max, &message);
    if (!value) Fail(*At(field), message);
    return value;
  }
  std::optional<matcher::Date> DateCell(const Column& column, const std::string& cell) {
    std::optional<matcher::Date> date = ParseCellDate(cell);
    if (!date)
      Fail(column, "date invalide " + Guillemets(cell) + ", attendue AAAA-MM-JJ ou JJ/MM/AAAA");
    return date;
  }

 private:
  const Layout& layout_;
  const std::vector<std::string>& cells_;
  size_t row_;
  std::vector<CsvError>* errors_;
  size_t first_error_;
};

std::optional<matcher::Collectivite> DecodeRow(const Layout& layout,
                                               const std::vector<std::string>& cells, size_t row,
                                               const ThemeResolver& themes,
                                               std::vector<CsvError>* errors) {
  RowDecoder r(layout, cells, row, errors);
  matcher::Collectivite c;

  if (cells.size() > layout.width) {
    size_t filled = 0;
    for (size_t i = layout.width; i < cells.size(); ++i) filled += !Trim(cells[i]).empty();
    if (filled > 0) {
      errors->push_back({row, "",
                         std::to_string(cells.size()) + " cellules alors que l'en-tête a " +
                             std::to_string(layout.width) +
                             " colonnes (un séparateur dans une cellule sans guillemets ?)"});
    }
  }

  c.id = r.Required(Field::kId, "identifiant manquant").value_or("");
  c.name = r.Required(Field::kName, "nom manquant").value_or("");
  if (auto kind = r.Required(Field::kKind, "type manquant")) {
    auto it = Kinds().find(Fold(*kind));
    if (it != Kinds().end()) {
      c.kind = it->second;
    } else {
      r.Fail(*r.At(Field::kKind),
             "type inconnu " + Guillemets(*kind) +
                 ", attendu Région, Département, Commune, EPCI ou Association");
    }
  }
  if (auto region = r.Required(Field::kRegion, "région manquante")) {
    auto it = Regions().find(Fold(*region));
    if (it != Regions().end()) {
      c.region = it->second;
    } else {
      r.Fail(*r.At(Field::kRegion), "région inconnue " + Guillemets(*region));
    }
  }
  if (const Column* column = r.At(Field::kPopulation)) {
    if (std::string cell = r.Cell(column); !cell.empty()) {
      std::string message;
      c.population = ParseInteger(cell, 0, 100'000'000, &message);
      if (!c.population) r.Fail(*column, message);
    }
  }

  if (const Column* column = r.At(Field::kLanguages)) {
    std::string cell = r.Cell(column);
    for (size_t start = 0; start <= cell.size();) {
      size_t end = std::min(cell.find_first_of(",;/", start), cell.size());
      std::string token = Trim(std::string_view(cell).substr(start, end - start));
      start = end + 1;
      if (token.empty()) continue;
      std::vector<std::string> codes;
      if (auto code = LanguageCode(token)) {
        codes.push_back(*code);
      } else {
        // "fr en": codes separated by blanks only.
        std::istringstream words(token);
        std::string word;
        bool all = true;
        while (words >> word) {
          auto word_code = word.size() == 2 ? LanguageCode(word) : std::nullopt;
          if (!word_code) all = false;
          if (word_code) codes.push_back(*word_code);
        }
        if (!all) {
          r.Fail(
              *column,
              "langue inconnue " + Guillemets(token) +
                  ", attendu un code ISO 639-1 (« fr », « en ») ou un nom français (« anglais »)");
          continue;
        }
      }
      for (const std::string& code : codes) {
        if (std::find(c.languages.begin(), c.languages.end(), code) == c.languages.end())
          c.languages.push_back(code);
      }
    }
  }
  c.capacity_per_year = static_cast<int>(r.Integer(Field::kCapacity, 0, 1000).value_or(0));
  c.experts = static_cast<int>(r.Integer(Field::kExperts, 0, 100'000).value_or(0));

  std::map<std::string, const Column*> label_themes;  // theme → the column that named it
  for (const auto& entry : layout.groups) {
    const LabelGroup& group = entry.second;
    const Column* label_column = &*group.label;
    const Column* since_column = &*group.since;
    const Column* until_column = group.until ? &*group.until : nullptr;
    std::string label_cell = r.Cell(label_column);
    std::string since_cell = r.Cell(since_column);
    std::string until_cell = r.Cell(until_column);
    if (label_cell.empty()) {
      for (const Column* column : {since_column, until_column}) {
        if (column && !r.Cell(column).empty()) {
          r.Fail(*column,
                 "date sans label : la colonne " + Guillemets(label_column->header) + " est vide");
        }
      }
      continue;
    }
    matcher::Label label;
    bool good = true;
    std::string message;
    if (auto theme = themes.Resolve(label_cell, &message)) {
      label.theme = *theme;
      auto [it, inserted] = label_themes.emplace(*theme, label_column);
      if (!inserted) {
        r.Fail(*label_column, "label en double : le thème " + Guillemets(*theme) +
                                  " figure déjà en " + Guillemets(it->second->header));
        good = false;
      }
    } else {
      r.Fail(*label_column, message);
      good = false;
    }
    std::optional<matcher::Date> since;
    if (since_cell.empty()) {
      r.Fail(*since_column, "date de début manquante pour le label " + Guillemets(label_cell));
    } else {
      since = r.DateCell(*since_column, since_cell);
    }
    if (!until_cell.empty()) {
      label.until = r.DateCell(*until_column, until_cell);
      if (!label.until) good = false;
    }
    if (since && label.until && *label.until < *since) {
      r.Fail(*until_column, "le label finit le " + Guillemets(until_cell) +
                                ", avant son début le " + Guillemets(since_cell));
      good = false;
    }
    if (!since) good = false;
    if (good) {
      label.since = *since;
      c.labels.push_back(std::move(label));
    }
  }

  if (const Column* column = r.At(Field::kSiren)) {
    // Blanks are allowed inside, as the INSEE prints the number: "210 100 012".
    std::string cell = r.Cell(column);
    cell.erase(std::remove(cell.begin(), cell.end(), ' '), cell.end());
    if (!cell.empty()) {
      if (cell.size() != 9 || cell.find_first_not_of("0123456789") != std::string::npos) {
        r.Fail(*column, "le numéro SIREN " + Guillemets(cell) + " doit avoir 9 chiffres");
      } else if (!IsValidSiren(cell)) {
        r.Fail(*column,
               "le numéro SIREN " + Guillemets(cell) + " n'a pas une clé de contrôle valide");
      } else {
        c.siren = cell;
      }
    }
  }
  if (const Column* column = r.At(Field::kInsee)) {
    if (std::string cell = r.Cell(column); !cell.empty()) {
      if (std::string problem = InseeProblem(c.kind, cell); !problem.empty()) {
        r.Fail(*column, "code INSEE " + Guillemets(cell) + " : " + problem);
      } else {
        c.insee = cell;
      }
    }
  }

  if (!r.ok()) return std::nullopt;
  return c;
}

}  // namespace

CollectivitesCsv DecodeCollectivitesCsv(std::string_view bytes,
                                        const std::vector<matcher::Theme>* themes) {
  CollectivitesCsv result;
  if (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF") {
    result.errors.push_back(
        {0, "", "le fichier est en UTF-16 : enregistrez-le au format « CSV UTF-8 »"});
    return result;
  }
  std::string converted;
  if (!IsValidUtf8(bytes)) {
    converted = Cp1252ToUtf8(bytes);
    bytes = converted;
    result.warnings.push_back({0, "",
                               "le fichier n'est pas en UTF-8 : lu comme Windows-1252 (le « CSV » "
                               "d'Excel) ; vérifiez les accents"});
  }
  std::optional<CsvTable> table = ParseCsv(bytes, &result.errors);
  if (!table) return result;
  // Leading rows with nothing in them cannot be a header.
  if (table->rows.empty() ||
      std::all_of(table->rows[0].begin(), table->rows[0].end(),
                  [](const std::string& cell) { return Trim(cell).empty(); })) {
    result.errors.push_back({table->rows.empty() ? size_t{0} : size_t{1}, "",
                             "la première ligne doit nommer les colonnes"});
    return result;
  }
  std::optional<Layout> layout = ReadHeader(table->rows[0], &result.errors, &result.warnings);
  if (!layout) return result;

  ThemeResolver resolver(themes);
  std::unordered_map<std::string, size_t> id_rows;
  std::vector<bool> ignored_reported(layout->width, false);
  for (size_t i = 1; i < table->rows.size(); ++i) {
    const std::vector<std::string>& cells = table->rows[i];
    size_t row = i + 1;
    if (std::all_of(cells.begin(), cells.end(),
                    [](const std::string& cell) { return Trim(cell).empty(); }))
      continue;
    for (size_t k = 0; k < std::min(cells.size(), layout->width); ++k) {
      if (!layout->ignored[k] || ignored_reported[k] || !Trim(table->rows[0][k]).empty() ||
          Trim(cells[k]).empty())
        continue;
      ignored_reported[k] = true;
      result.warnings.push_back({row, "",
                                 "la colonne " + ColumnLetters(k) +
                                     " n'a pas de titre en ligne 1 : ses valeurs sont ignorées"});
    }
    size_t first_error = result.errors.size();
    std::optional<matcher::Collectivite> c =
        DecodeRow(*layout, cells, row, resolver, &result.errors);
    const Column& id_column = layout->plain.at(Field::kId);
    if (std::string id = id_column.index < cells.size() ? Trim(cells[id_column.index]) : "";
        !id.empty()) {
      auto [it, inserted] = id_rows.emplace(id, row);
      if (!inserted) {
        result.errors.push_back({row, id_column.header,
                                 "identifiant " + Guillemets(id) + " déjà utilisé ligne " +
                                     std::to_string(it->second)});
        continue;
      }
    }
    if (c && result.errors.size() == first_error) {
      result.collectivites.push_back(std::move(*c));
      result.rows.push_back(row);
    }
  }
  return result;
}

CollectivitesCsv ReadCollectivitesCsv(const std::filesystem::path& path,
                                      const std::vector<matcher::Theme>* themes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    CollectivitesCsv result;
    result.errors.push_back({0, "", "impossible de lire le fichier " + path.string()});
    return result;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return DecodeCollectivitesCsv(buffer.str(), themes);
}

}  // namespace expectmatch::datasets
