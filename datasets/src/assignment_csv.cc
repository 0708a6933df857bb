#include "expectmatch/datasets/assignment_csv.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

namespace expectmatch::datasets {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

// Lower-case ASCII letters and digits only; é, è, ê, É → e (the accented headers we accept).
std::string NormalizeHeader(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char ch = static_cast<unsigned char>(s[i]);
    if (ch == 0xC3 && i + 1 < s.size()) {
      unsigned char next = static_cast<unsigned char>(s[i + 1]);
      if ((next >= 0xA8 && next <= 0xAB) || (next >= 0x88 && next <= 0x8B)) out.push_back('e');
      ++i;
    } else if (std::isalnum(ch)) {
      out.push_back(static_cast<char>(std::tolower(ch)));
    }
  }
  return out;
}

struct ColumnSpec {
  std::string name;                  // canonical, used in messages when the file has no header
  std::vector<std::string> aliases;  // normalized
};

std::optional<double> ParseNumber(std::string cell) {
  for (char& ch : cell) {
    if (ch == ',') ch = '.';
  }
  if (cell.empty()) return std::nullopt;
  double value = 0;
  const char* begin = cell.data() + (cell[0] == '+' ? 1 : 0);
  auto [ptr, ec] = std::from_chars(begin, cell.data() + cell.size(), value);
  if (ec != std::errc() || ptr != cell.data() + cell.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<int> ParseInt(const std::string& cell, int lo, int hi) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (cell.empty() || ec != std::errc() || ptr != cell.data() + cell.size() || value < lo ||
      value > hi)
    return std::nullopt;
  return value;
}

// The cells of `bytes` with their columns resolved: calls row(cells, line, header names) for each
// data row, cells in the order of `specs`.
template <typename Result, typename RowFn>
void ReadTable(std::string_view bytes, const std::vector<ColumnSpec>& specs, Result* result,
               RowFn row) {
  std::vector<CsvError> parse_errors;
  std::optional<CsvTable> table = ParseCsv(bytes, &parse_errors);
  for (CsvError& e : parse_errors) result->errors.push_back(std::move(e));
  if (!table) return;
  auto is_empty = [](const std::vector<std::string>& cells) {
    for (const std::string& c : cells) {
      if (!Trim(c).empty()) return false;
    }
    return true;
  };
  if (table->rows.empty() || is_empty(table->rows[0])) {
    result->errors.push_back({0, "", "fichier vide"});
    return;
  }
  std::vector<int> position(specs.size(), -1);
  std::vector<std::string> header(specs.size());
  const std::vector<std::string>& first = table->rows[0];
  bool has_header = false;
  for (size_t c = 0; c < first.size(); ++c) {
    std::string norm = NormalizeHeader(first[c]);
    for (size_t s = 0; s < specs.size(); ++s) {
      for (const std::string& alias : specs[s].aliases) {
        if (norm == alias && position[s] < 0) {
          position[s] = static_cast<int>(c);
          header[s] = Trim(first[c]);
          has_header = true;
        }
      }
    }
  }
  size_t start = 1;
  if (!has_header) {
    start = 0;
    for (size_t s = 0; s < specs.size(); ++s) {
      position[s] = static_cast<int>(s);
      header[s] = specs[s].name;
    }
  } else {
    bool missing = false;
    for (size_t s = 0; s < specs.size(); ++s) {
      if (position[s] < 0) {
        result->errors.push_back({1, "", "colonne « " + specs[s].name + " » absente"});
        missing = true;
      }
    }
    if (missing) return;
  }
  for (size_t r = start; r < table->rows.size(); ++r) {
    const std::vector<std::string>& cells = table->rows[r];
    if (is_empty(cells)) continue;
    std::vector<std::string> values(specs.size());
    for (size_t s = 0; s < specs.size(); ++s) {
      size_t c = static_cast<size_t>(position[s]);
      values[s] = c < cells.size() ? Trim(cells[c]) : "";
    }
    row(values, r + 1, header);
  }
}

std::string ReadAll(const std::filesystem::path& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

template <typename Result, typename Decode>
Result ReadPath(const std::filesystem::path& path, Decode decode) {
  bool ok = false;
  std::string bytes = ReadAll(path, &ok);
  if (!ok) {
    Result result;
    result.file = path.filename().string();
    result.errors.push_back({0, "", "impossible de lire " + path.string()});
    return result;
  }
  return decode(bytes, path.filename().string());
}

}  // namespace

template <typename Row>
std::vector<std::string> AssignmentCsv<Row>::Messages() const {
  std::vector<std::string> out;
  for (const CsvError& e : errors) out.push_back(e.ToString(file));
  return out;
}
template struct AssignmentCsv<ScoreRow>;
template struct AssignmentCsv<DemandRow>;
template struct AssignmentCsv<CapacityRow>;

ScoresCsv DecodeScoresCsv(std::string_view bytes, std::string file) {
  ScoresCsv result;
  result.file = std::move(file);
  std::set<std::pair<std::string, std::string>> seen;
  const std::vector<ColumnSpec> specs = {{"need", {"need", "besoin", "paper"}},
                                         {"authority", {"authority", "collectivite", "reviewer"}},
                                         {"score", {"score", "affinity", "affinite"}}};
  ReadTable(bytes, specs, &result,
            [&](const std::vector<std::string>& v, size_t line, const std::vector<std::string>& h) {
              bool ok = true;
              for (size_t s = 0; s < 2; ++s) {
                if (v[s].empty()) {
                  result.errors.push_back({line, h[s], "cellule vide"});
                  ok = false;
                }
              }
              std::optional<double> score = ParseNumber(v[2]);
              if (!score || std::abs(*score) > matcher::kMaxAbsScore) {
                result.errors.push_back({line, h[2], "nombre invalide « " + v[2] + " »"});
                ok = false;
              }
              if (!ok) return;
              if (!seen.emplace(v[0], v[1]).second) {
                result.errors.push_back(
                    {line, "", "couple « " + v[0] + " » → « " + v[1] + " » en double"});
                return;
              }
              result.rows.push_back({v[0], v[1], *score});
              result.line.push_back(line);
            });
  return result;
}

DemandsCsv DecodeDemandsCsv(std::string_view bytes, std::string file) {
  DemandsCsv result;
  result.file = std::move(file);
  std::set<std::string> seen;
  const std::vector<ColumnSpec> specs = {{"need", {"need", "besoin", "paper"}},
                                         {"demand", {"demand", "demande", "cov", "coverage"}}};
  ReadTable(
      bytes, specs, &result,
      [&](const std::vector<std::string>& v, size_t line, const std::vector<std::string>& h) {
        if (v[0].empty()) {
          result.errors.push_back({line, h[0], "cellule vide"});
          return;
        }
        std::optional<int> demand = ParseInt(v[1], 0, 10000);
        if (!demand) {
          result.errors.push_back({line, h[1], "entier de 0 à 10000 attendu, lu « " + v[1] + " »"});
          return;
        }
        if (!seen.insert(v[0]).second) {
          result.errors.push_back({line, h[0], "besoin « " + v[0] + " » en double"});
          return;
        }
        result.rows.push_back({v[0], *demand});
        result.line.push_back(line);
      });
  return result;
}

CapacitiesCsv DecodeCapacitiesCsv(std::string_view bytes, std::string file) {
  CapacitiesCsv result;
  result.file = std::move(file);
  std::set<std::string> seen;
  const std::vector<ColumnSpec> specs = {{"authority", {"authority", "collectivite", "reviewer"}},
                                         {"min", {"min", "minimum", "chargemin"}},
                                         {"max", {"max", "maximum", "chargemax"}}};
  ReadTable(bytes, specs, &result,
            [&](const std::vector<std::string>& v, size_t line, const std::vector<std::string>& h) {
              if (v[0].empty()) {
                result.errors.push_back({line, h[0], "cellule vide"});
                return;
              }
              std::optional<int> min = ParseInt(v[1], 0, 1'000'000'000),
                                 max = ParseInt(v[2], 0, 1'000'000'000);
              if (!min)
                result.errors.push_back(
                    {line, h[1], "entier positif ou nul attendu, lu « " + v[1] + " »"});
              if (!max)
                result.errors.push_back(
                    {line, h[2], "entier positif ou nul attendu, lu « " + v[2] + " »"});
              if (!min || !max) return;
              if (*min > *max) {
                result.errors.push_back(
                    {line, h[1], "minimum " + v[1] + " supérieur au maximum " + v[2]});
                return;
              }
              if (!seen.insert(v[0]).second) {
                result.errors.push_back({line, h[0], "collectivité « " + v[0] + " » en double"});
                return;
              }
              result.rows.push_back({v[0], *min, *max});
              result.line.push_back(line);
            });
  return result;
}

ScoresCsv ReadScoresCsv(const std::filesystem::path& path) {
  return ReadPath<ScoresCsv>(path, DecodeScoresCsv);
}
DemandsCsv ReadDemandsCsv(const std::filesystem::path& path) {
  return ReadPath<DemandsCsv>(path, DecodeDemandsCsv);
}
CapacitiesCsv ReadCapacitiesCsv(const std::filesystem::path& path) {
  return ReadPath<CapacitiesCsv>(path, DecodeCapacitiesCsv);
}

matcher::AssignmentProblem BuildAssignmentProblem(const ScoresCsv& scores,
                                                  const DemandsCsv& demands,
                                                  const CapacitiesCsv& capacities,
                                                  bool use_min_loads,
                                                  std::vector<std::string>* errors) {
  matcher::AssignmentProblem problem;
  std::unordered_map<std::string, uint32_t> need_index, authority_index;
  for (const DemandRow& row : demands.rows) {
    need_index.emplace(row.need, static_cast<uint32_t>(problem.needs.size()));
    problem.needs.push_back(row.need);
    problem.demand.push_back(row.demand);
  }
  for (const CapacityRow& row : capacities.rows) {
    authority_index.emplace(row.authority, static_cast<uint32_t>(problem.authorities.size()));
    problem.authorities.push_back(row.authority);
    problem.min_load.push_back(use_min_loads ? row.min : 0);
    problem.max_load.push_back(row.max);
  }
  problem.edges.reserve(scores.rows.size());
  std::set<std::string> reported;
  for (size_t r = 0; r < scores.rows.size(); ++r) {
    const ScoreRow& row = scores.rows[r];
    auto authority = authority_index.find(row.authority);
    if (authority == authority_index.end()) {
      if (reported.insert(row.authority).second) {
        CsvError error{scores.line[r], "",
                       "collectivité « " + row.authority + " » absente de " + capacities.file};
        errors->push_back(error.ToString(scores.file));
      }
      continue;
    }
    auto [need, inserted] =
        need_index.emplace(row.need, static_cast<uint32_t>(problem.needs.size()));
    if (inserted) {
      problem.needs.push_back(row.need);
      problem.demand.push_back(1);
    }
    problem.edges.push_back({need->second, authority->second, row.score});
  }
  return problem;
}

}  // namespace expectmatch::datasets
