// Full-text search over mission reports ("capitalisation"): what earlier missions learnt.
//
// A Xapian in-memory index (BM25, French Snowball stemmer and stop words shared with the theme
// suggester, text folded by Fold so that accents and case do not matter) over each report's
// summary (results, recommendations, follow-ups), the text extracted from its document and the
// need's description. Fields are weighted: a word in the summary counts more than the same word
// in the document. Boolean filters: themes (a theme also matches its sub-themes), country, and
// the mission's end within a period. A hit carries a snippet of its best field with the matched
// words between <mark> and </mark> (Xapian's MSet::snippet with the French stemmer), everything
// else HTML-escaped, the score and the fields that matched.
//
// Built once from plain records, immutable afterwards; Search is thread-safe: Xapian objects are
// not, so one mutex serialises the Xapian part of every search (as in the theme suggester).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expectmatch/matcher/date.h"

namespace expectmatch::understanding {

// One report as the index sees it.
struct ReportRecord {
  std::string need;
  std::string country;              // ISO 3166-1 alpha-2
  std::vector<std::string> themes;  // the need's theme ids
  std::optional<matcher::Date> mission_start;
  std::optional<matcher::Date> mission_end;
  std::string collectivite;       // the authority's id
  std::string collectivite_name;  // its name
  // The summary.
  std::string resultats;
  std::string recommandations;
  std::string suites_envisagees;
  std::string document_text;  // extracted from the uploaded document; may be empty
  std::string description;    // the need's description
};

// The searchable fields, strongest first.
enum class ReportField { kResultats, kRecommandations, kSuitesEnvisagees, kDescription, kDocument };
inline constexpr std::size_t kReportFieldCount = 5;
// "resultats", "recommandations", "suites_envisagees", "description", "document".
const char* ReportFieldName(ReportField field);
// How much a matching word of the field weighs relative to the document's text.
double ReportFieldWeight(ReportField field);

struct ReportQuery {
  std::string text;                   // French words; empty: filters only
  std::vector<std::string> themes;    // any of them, each with its sub-themes; empty: any
  std::string country;                // empty: any
  std::optional<matcher::Date> from;  // the mission's end on or after
  std::optional<matcher::Date> to;    // the mission's end on or before
  std::string exclude_need;           // this need's report is left out
  // Related reports: a hit's text score is multiplied by (1 + ½·[same country] + ½·share of
  // `boost_themes` its themes cover, on the same branch of the taxonomy).
  std::string boost_country;
  std::vector<std::string> boost_themes;
  std::size_t limit = 10;
  std::size_t offset = 0;
};

struct ReportHit {
  std::size_t record = 0;  // index in ReportIndex::record()
  double score = 0;        // 0 when the query has no text (filters only)
  std::string snippet;     // HTML: escaped text, matched words within <mark>...</mark>
  ReportField snippet_field = ReportField::kResultats;
  std::vector<ReportField> matched;  // the fields a query word was found in, strongest first
};

struct ReportResults {
  // Best first; equal scores (and every hit of a query without words): the latest mission end
  // first, then by need id.
  std::vector<ReportHit> hits;
  std::size_t total = 0;  // every match, not only this page
};

class ReportIndex {
 public:
  ReportIndex();  // finds nothing
  explicit ReportIndex(std::vector<ReportRecord> records);
  ~ReportIndex();
  ReportIndex(ReportIndex&&) noexcept;
  ReportIndex& operator=(ReportIndex&&) noexcept;

  // The query's text words that are searched for (folded, stop words left out); empty when the
  // text holds none.
  static std::vector<std::string> SearchedWords(std::string_view text);

  ReportResults Search(const ReportQuery& query) const;

  std::size_t size() const;
  const ReportRecord& record(std::size_t i) const;

 private:
  struct Index;
  std::unique_ptr<Index> index_;
};

}  // namespace expectmatch::understanding
