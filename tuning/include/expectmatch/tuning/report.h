// The tuning report: one self-contained HTML page (inline CSS and SVG plots, no script, no
// network) in French for analysts: metrics per time fold for the current and the fitted
// profile, fitted weights with their bootstrap intervals, and how the rank of past decisions
// changes. The same figures are what `expectmatch tune --report-json` writes.
#pragma once

#include <string>

#include "expectmatch/tuning/tune.h"

namespace expectmatch::tuning {

struct ReportInfo {
  std::string source;         // the data set folder or database
  std::string baseline_name;  // the current profile
  std::string profile_name;   // the fitted profile's name
};

std::string RenderHtmlReport(const TuneResult& result, const ReportInfo& info);

}  // namespace expectmatch::tuning
