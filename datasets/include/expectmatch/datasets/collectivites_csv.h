// Authorities from a spreadsheet: the CSV that DAECT staff keep in Excel or LibreOffice.
//
// THE FORMAT (tests/data/csv/collectivites.csv is an example to open in LibreOffice)
//
//   identifiant;nom;type;région;population;langues;capacité annuelle;experts;label 1;depuis 1;jusqu'au 1
//   com-a;Commune A;Commune;Bretagne;20 000;fr;2;3;env.eau;01/01/2020;
//   dep-h;Département H;Département;Île-de-France;;"fr, en";3;5;Environnement;2019-01-01;31/12/2028
//
// (more labels: `label 2;depuis 2;jusqu'au 2`, and so on).
//
// One authority per row, the first row naming the columns. Each row replaces the whole stored
// authority with the same id (its labels included); authorities absent from the file are left
// as they are, and so are every authority's cooperation links.
//
// File: UTF-8, with or without a byte order mark (a file that is not valid UTF-8 is read as
// Windows-1252, which Excel's plain "CSV" writes, with a warning). Cells are separated by `;`
// (the French default) or `,`, whichever occurs more often in the header row outside quotes
// (`;` on a tie), unless an Excel `sep=;` (or `sep=,`) first line names it; that line is not a
// row. Lines end with CRLF or LF. Quoting follows RFC 4180: a cell in double quotes
// may hold the separator, line breaks and `""` for one quote. Blanks around a cell are trimmed;
// rows whose cells are all empty are skipped.
//
// Columns are recognised by their header, ignoring case, accents, blanks and punctuation
// (`Région`, `REGION` and `région` are the same column; `jusqu’au 1` with a typographic
// apostrophe is `jusqu'au 1`), in any order:
//
//   column              required  cell
//   identifiant (id)    yes       the authority's id, unique in the file
//   nom                 yes       its name
//   type                yes       region, departement, commune, epci, association, or the French
//                                 Région, Département, Commune, EPCI, Association
//   région              yes       one of the 18 régions as INSEE spells them (case, accents and
//                                 hyphens do not matter: `ile de france`; `Réunion` for La Réunion)
//   population          no        an integer, 0 to 100 000 000, blanks allowed as thousands
//                                 separators (`20 000`, as LibreOffice writes them); empty: unknown
//   langues             yes       ISO 639-1 codes or French names separated by `,` `;` `/` or
//                                 blanks: `fr, en`, `fr;en` (quoted when `;` separates cells),
//                                 `français / anglais`; empty: none
//   capacité annuelle   yes       missions accepted per year, an integer 0 to 1 000
//     (capacité)
//   experts             yes       an integer 0 to 100 000
//   label N             no        an EXPE-CT label: the theme's id (`env.eau`) or its exact
//                                 French label (`Eau et assainissement`); N = 1, 2, ...
//                                 (`label n°1` works too)
//   depuis N (début N)  with label N   the label's first day
//   jusqu'au N          no        its last day; empty: open-ended
//     (jusqu'à N)
//   siren               no        its SIREN number, 9 digits with a valid check digit (blanks
//                                 allowed: `210 100 012`); empty: none
//   insee (code insee)  no        its INSEE code: commune 5 characters (2A/2B for Corsica),
//                                 département 2 or 3, région 2; none for an EPCI
//
// Label groups may be as many as needed; a row leaves the groups it does not use empty. Dates
// are YYYY-MM-DD or DD/MM/YYYY. Other columns (comments, contacts, ...) are ignored with a
// warning.
//
// Errors are in French and name the row as the spreadsheet numbers it (the header is row 1; a
// quoted cell spanning lines is still one row) and the column by its header as written:
//   collectivites.csv, ligne 12, colonne « région » : région inconnue « Aquitaine »
// Every error is reported; missing required columns are reported once, on row 1.
//
// Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expectmatch/datasets/csv.h"
#include "expectmatch/matcher/model.h"

namespace expectmatch::datasets {

struct CollectivitesCsv {
  std::vector<matcher::Collectivite> collectivites;  // in row order; complete only when ok()
  std::vector<size_t> rows;                          // the spreadsheet row of each
  std::vector<CsvError> errors;
  std::vector<CsvError> warnings;  // ignored columns, Windows-1252 input
  bool ok() const { return errors.empty(); }
};

// Decodes the authorities of a CSV file's bytes. Label themes are resolved against `themes`
// (by id, or by French label when exactly one theme has it); when null, a label's cell is
// taken as a theme id unchecked.
CollectivitesCsv DecodeCollectivitesCsv(std::string_view bytes,
                                        const std::vector<matcher::Theme>* themes);

// Reads `path` and decodes it; a file that cannot be read is one error (row 0).
CollectivitesCsv ReadCollectivitesCsv(const std::filesystem::path& path,
                                      const std::vector<matcher::Theme>* themes);

}  // namespace expectmatch::datasets
