// OpenReview-style CSV inputs of the batch assignment (`expectmatch assign --scores ...`).
//
// Three files, parsed like every CSV of the project (ParseCsv: UTF-8 with or without BOM, `,` or
// `;` detected on the first row, RFC 4180 quotes, blanks around cells trimmed, empty rows skipped):
//
//   scores      need,authority,score     one row per eligible pair (an absent pair is never
//                                        assigned); score a decimal number (`.` or `,` as the
//                                        decimal mark), |score| ≤ 10^6
//   demands     need,demand              authorities wanted per need, an integer 0 to 10 000;
//                                        a need of the scores file absent here wants 1
//   capacities  authority,min,max        load bounds, integers 0 to 1 000 000 000 (min ≤ max)
//
// The first row names the columns (any order; case, accents and punctuation ignored; French and
// OpenReview names accepted: need/besoin/paper, authority/collectivite/reviewer,
// score/affinity/affinite, demand/demande, min/minimum, max/maximum). A first row that names none of
// them is taken as data, the columns then being in the order above (OpenReview's CSVs have no
// header). Errors name the file, the spreadsheet row (first row = 1) and the column:
//   scores.csv, ligne 12, colonne « score » : nombre invalide « abc »
// Every error is reported. Stateless; thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "expectmatch/datasets/collectivites_csv.h"
#include "expectmatch/matcher/assignment.h"

namespace expectmatch::datasets {

struct ScoreRow {
  std::string need, authority;
  double score = 0;
};
struct DemandRow {
  std::string need;
  int demand = 1;
};
struct CapacityRow {
  std::string authority;
  int min = 0, max = 0;
};

template <typename Row>
struct AssignmentCsv {
  std::string file;          // the name used in messages (the path's file name)
  std::vector<Row> rows;     // in file order; complete only when ok()
  std::vector<size_t> line;  // the spreadsheet row of each
  std::vector<CsvError> errors;
  bool ok() const { return errors.empty(); }
  // "scores.csv, ligne 12, colonne « score » : nombre invalide « abc »", one per error.
  std::vector<std::string> Messages() const;
};

using ScoresCsv = AssignmentCsv<ScoreRow>;
using DemandsCsv = AssignmentCsv<DemandRow>;
using CapacitiesCsv = AssignmentCsv<CapacityRow>;

// Decode a file's bytes (`file` names it in messages) or read a path (an unreadable file is one
// error on row 0). Duplicate keys (the same pair, need or authority twice) are errors.
ScoresCsv DecodeScoresCsv(std::string_view bytes, std::string file);
DemandsCsv DecodeDemandsCsv(std::string_view bytes, std::string file);
CapacitiesCsv DecodeCapacitiesCsv(std::string_view bytes, std::string file);
ScoresCsv ReadScoresCsv(const std::filesystem::path& path);
DemandsCsv ReadDemandsCsv(const std::filesystem::path& path);
CapacitiesCsv ReadCapacitiesCsv(const std::filesystem::path& path);

// The problem the three files describe. Needs: those of the demand file in file order, then
// those only in the scores file (demand 1). Authorities: those of the capacity file in file
// order; an authority of the scores file missing from it is an error appended to *errors (French,
// naming file and row). With use_min_loads false the
// min column is ignored (min 0). top_k is left 0.
matcher::AssignmentProblem BuildAssignmentProblem(const ScoresCsv& scores,
                                                  const DemandsCsv& demands,
                                                  const CapacitiesCsv& capacities,
                                                  bool use_min_loads,
                                                  std::vector<std::string>* errors);

}  // namespace expectmatch::datasets
