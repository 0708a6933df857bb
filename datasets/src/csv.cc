#include "expectmatch/datasets/csv.h"

#include "text.h"

namespace expectmatch::datasets {
namespace {

using internal::AsciiLower;
using internal::Guillemets;
using internal::Trim;

// `;` or `,`, whichever the header row has more of outside quotes (`;` on a tie).
char DetectDelimiter(std::string_view text) {
  size_t semicolons = 0, commas = 0;
  bool quoted = false;
  for (char ch : text) {
    if (ch == '"') quoted = !quoted;  // "" toggles twice: no effect, as it should
    if (quoted) continue;
    if (ch == '\n' || ch == '\r') break;
    semicolons += ch == ';';
    commas += ch == ',';
  }
  return commas > semicolons ? ',' : ';';
}

}  // namespace

std::string CsvError::ToString(std::string_view file) const {
  std::string out(file);
  if (row > 0) out += ", ligne " + std::to_string(row);
  if (!column.empty()) out += ", colonne " + Guillemets(column);
  out += " : " + message;
  return out;
}

std::optional<CsvTable> ParseCsv(std::string_view text, std::vector<CsvError>* errors) {
  CsvTable table;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  // Excel's "sep=;" first line names the separator; it is not a row of the sheet.
  if (text.size() >= 5 && AsciiLower(text.substr(0, 4)) == "sep=" &&
      (text[4] == ';' || text[4] == ',') &&
      (text.size() == 5 || text[5] == '\r' || text[5] == '\n')) {
    char delimiter = text[4];
    text.remove_prefix(5);
    if (!text.empty() && text[0] == '\r') text.remove_prefix(1);
    if (!text.empty() && text[0] == '\n') text.remove_prefix(1);
    table.delimiter = delimiter;
  } else {
    table.delimiter = DetectDelimiter(text);
  }

  std::vector<std::string> row;
  std::string cell;
  bool in_quotes = false;
  bool cell_quoted = false;
  size_t quote_row = 0;  // spreadsheet row where the open quote began
  auto end_cell = [&] {
    row.push_back(std::move(cell));
    cell.clear();
    cell_quoted = false;
  };
  auto end_row = [&] {
    end_cell();
    table.rows.push_back(std::move(row));
    row.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (in_quotes) {
      if (ch == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        // A line break inside a cell: kept as LF whatever the file's line ends.
      } else {
        cell.push_back(ch);
      }
      continue;
    }
    if (ch == '"' && !cell_quoted && Trim(cell).empty()) {
      cell.clear();
      in_quotes = true;
      cell_quoted = true;
      quote_row = table.rows.size() + 1;
    } else if (ch == table.delimiter) {
      end_cell();
    } else if (ch == '\n' || ch == '\r') {
      if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
    } else {
      cell.push_back(ch);
    }
  }
  if (in_quotes) {
    errors->push_back({quote_row, "",
                       "guillemet non fermé : la cellule qui commence à cette ligne se poursuit "
                       "jusqu'à la fin du fichier"});
    return std::nullopt;
  }
  if (!cell.empty() || cell_quoted || !row.empty()) end_row();
  return table;
}

}  // namespace expectmatch::datasets
