// Reading CSV files as spreadsheets write them (the format is described in
// collectivites_csv.h): UTF-8 with an optional BOM, `;` or `,`, CRLF or LF, RFC 4180 quotes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace expectmatch::datasets {

// A problem (or a warning) in a CSV file.
struct CsvError {
  size_t row = 0;       // spreadsheet row, the header being row 1; 0: the whole file
  std::string column;   // the column's header as written; empty: the whole row
  std::string message;  // French, e.g. "région inconnue « Aquitaine »"

  // "collectivites.csv, ligne 12, colonne « région » : région inconnue « Aquitaine »"
  std::string ToString(std::string_view file) const;
};

// The cells of a CSV file, each row as written (a row may have fewer or more cells than the
// header). rows[0] is the header, spreadsheet row 1.
struct CsvTable {
  char delimiter = ';';
  std::vector<std::vector<std::string>> rows;
};

// Parses UTF-8 CSV text as described in collectivites_csv.h: optional BOM, `;` or `,` detected on the header
// row (or named by `sep=`), CRLF or LF, RFC 4180 quotes. Cells are returned untrimmed. The only syntax error is a
// quote left open at the end of the file, reported on the row where the cell began (a quote
// inside an unquoted cell, or text after a closing quote, is kept as text, as spreadsheets do).
std::optional<CsvTable> ParseCsv(std::string_view text, std::vector<CsvError>* errors);

}  // namespace expectmatch::datasets
