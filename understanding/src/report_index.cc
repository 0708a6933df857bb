#include "expectmatch/understanding/report_index.h"

#include <xapian.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "expectmatch/understanding/fold.h"
#include "french.h"

namespace expectmatch::understanding {
namespace {

constexpr std::array<ReportField, kReportFieldCount> kFields = {
    ReportField::kResultats, ReportField::kRecommandations, ReportField::kSuitesEnvisagees,
    ReportField::kDescription, ReportField::kDocument};

// Each field's words carry their own prefix in the index (upper case: stems are lower case), so
// a match names its field; boolean terms have one-letter prefixes of their own.
constexpr std::array<const char*, kReportFieldCount> kFieldPrefix = {"XR", "XC", "XS", "XD", "XT"};
constexpr char kNeedPrefix = 'Q';
constexpr char kCountryPrefix = 'K';
constexpr char kThemePrefix = 'T';
// The mission's end, as Xapian::sortable_serialise(days): the period filter and the order.
constexpr Xapian::valueno kEndSlot = 0;

constexpr std::size_t kSnippetLength = 240;  // characters of text around the matches

std::size_t FieldIndex(ReportField field) { return static_cast<std::size_t>(field); }

const std::string& FieldText(const ReportRecord& record, ReportField field) {
  switch (field) {
    case ReportField::kResultats:
      return record.resultats;
    case ReportField::kRecommandations:
      return record.recommandations;
    case ReportField::kSuitesEnvisagees:
      return record.suites_envisagees;
    case ReportField::kDescription:
      return record.description;
    case ReportField::kDocument:
      return record.document_text;
  }
  return record.resultats;
}

// "gouvernance.etat-civil" -> {"gouvernance", "gouvernance.etat-civil"}: a theme id starts with
// its parent's id.
std::vector<std::string> ThemeAndAncestors(const std::string& theme) {
  std::vector<std::string> out;
  for (std::size_t dot = theme.find('.'); dot != std::string::npos; dot = theme.find('.', dot + 1))
    out.push_back(theme.substr(0, dot));
  out.push_back(theme);
  return out;
}

// True when one theme is the other or an ancestor of it.
bool SameBranch(const std::string& a, const std::string& b) {
  const std::string& shorter = a.size() <= b.size() ? a : b;
  const std::string& longer = a.size() <= b.size() ? b : a;
  return longer == shorter || (longer.rfind(shorter, 0) == 0 && longer[shorter.size()] == '.');
}

// The related-reports factor of a hit: 1 + ½ for the same country + ½ × the share of the
// boosted themes it covers (on the same branch of the taxonomy); in [1, 2].
double Boost(const ReportRecord& record, const ReportQuery& query) {
  double boost = 1.0;
  if (!query.boost_country.empty() && record.country == query.boost_country) boost += 0.5;
  if (!query.boost_themes.empty()) {
    std::size_t covered = 0;
    for (const std::string& wanted : query.boost_themes) {
      if (std::any_of(record.themes.begin(), record.themes.end(),
                      [&](const std::string& theme) { return SameBranch(theme, wanted); }))
        ++covered;
    }
    boost += 0.5 * static_cast<double>(covered) / static_cast<double>(query.boost_themes.size());
  }
  return boost;
}

void AppendEscaped(std::string_view text, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '&':
        *out += "&amp;";
        break;
      case '<':
        *out += "&lt;";
        break;
      case '>':
        *out += "&gt;";
        break;
      case '"':
        *out += "&quot;";
        break;
      case '\'':
        *out += "&#39;";
        break;
      default:
        *out += c;
    }
  }
}

// Xapian's snippets escape &, < and >; quotes too, so the text is safe in an attribute as well.
// The only markup left is <mark> and </mark>, which hold no quote.
std::string EscapeQuotes(const std::string& snippet) {
  std::string out;
  out.reserve(snippet.size());
  for (char c : snippet) {
    if (c == '"') {
      out += "&quot;";
    } else if (c == '\'') {
      out += "&#39;";
    } else {
      out += c;
    }
  }
  return out;
}

// The first `length` characters of `text` or so (cut at a space, never inside a UTF-8
// sequence), escaped, with an ellipsis when cut: the snippet of a query without words.
std::string LeadingSnippet(const std::string& text, std::size_t length) {
  std::string out;
  if (text.size() <= length) {
    AppendEscaped(text, &out);
    return out;
  }
  std::size_t cut = text.rfind(' ', length);
  if (cut == std::string::npos || cut < length / 2) {
    cut = length;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  AppendEscaped(std::string_view(text).substr(0, cut), &out);
  out += "…";
  return out;
}

// Folds long texts word by word, each distinct word once: ICU's transliteration costs about a
// microsecond per byte, and a document's words repeat. Words are split on ASCII blanks, which
// no transliteration rule reads across, so the result is Fold's.
class WordFolder {
 public:
  std::string Fold(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find_first_of(" \t\r\n", start);
      if (end == std::string::npos) end = text.size();
      if (end > start) {
        auto [it, inserted] = cache_.try_emplace(text.substr(start, end - start));
        if (inserted) it->second = understanding::Fold(it->first);
        if (!it->second.empty()) {
          if (!out.empty()) out += ' ';
          out += it->second;
        }
      }
      start = end + 1;
    }
    return out;
  }

 private:
  std::unordered_map<std::string, std::string> cache_;
};

}  // namespace

const char* ReportFieldName(ReportField field) {
  switch (field) {
    case ReportField::kResultats:
      return "resultats";
    case ReportField::kRecommandations:
      return "recommandations";
    case ReportField::kSuitesEnvisagees:
      return "suites_envisagees";
    case ReportField::kDescription:
      return "description";
    case ReportField::kDocument:
      return "document";
  }
  return "";
}

double ReportFieldWeight(ReportField field) {
  switch (field) {
    case ReportField::kResultats:
    case ReportField::kRecommandations:
    case ReportField::kSuitesEnvisagees:
      return 3.0;  // what the authority wrote for DAECT: the lesson itself
    case ReportField::kDescription:
      return 1.5;  // what was asked, not what was learnt
    case ReportField::kDocument:
      return 1.0;  // long, and words come up in passing
  }
  return 1.0;
}

// Xapian's Database, Stem, TermGenerator and Enquire are not thread-safe, even for reading: one
// mutex serialises the Xapian part of every search. An in-memory database cannot be opened
// twice, so per-thread handles are not an option.
struct ReportIndex::Index {
  std::vector<ReportRecord> records;  // by Xapian docid - 1

  std::mutex mutex;
  Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
  Xapian::Stem stemmer{internal::kFrenchStemmer};
  Xapian::SimpleStopper stopper;
  Xapian::TermGenerator indexer;
  Xapian::TermGenerator tokenizer;  // unstemmed, unfolded: the words as Xapian's snippets see them

  // The terms of the snippet query for `text`: each word of the text as typed (lower case,
  // accents kept, "l'éducation" one word) whose folded stems include a searched stem, stemmed
  // as MSet::snippet stems it. The index holds folded words, the snippet reads the text itself.
  std::vector<std::string> HighlightTerms(const std::string& text,
                                          const std::unordered_set<std::string>& stems) {
    Xapian::Document words;
    tokenizer.set_document(words);
    tokenizer.index_text_without_positions(text);
    std::vector<std::string> terms;
    for (Xapian::TermIterator t = words.termlist_begin(); t != words.termlist_end(); ++t) {
      const std::string word = *t;
      for (const std::string& folded : FoldedWords(word)) {
        if (stems.contains(stemmer(folded))) {
          std::string term = "Z";  // Xapian's prefix of stemmed terms
          term += stemmer(word);
          terms.push_back(std::move(term));
          break;
        }
      }
    }
    return terms;
  }

  std::string Snippet(const std::string& text, const std::unordered_set<std::string>& stems) {
    std::vector<std::string> terms = HighlightTerms(text, stems);
    if (terms.empty()) return LeadingSnippet(text, kSnippetLength);
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
    Xapian::MSet none = enquire.get_mset(0, 0);
    return EscapeQuotes(none.snippet(text, kSnippetLength, stemmer,
                                     Xapian::MSet::SNIPPET_EXHAUSTIVE, "<mark>", "</mark>", "…"));
  }
};

ReportIndex::ReportIndex() = default;

ReportIndex::ReportIndex(std::vector<ReportRecord> records) : index_(std::make_unique<Index>()) {
  Index& index = *index_;
  internal::AddFrenchStopWords(index.stopper);
  index.indexer.set_stemmer(index.stemmer);
  index.indexer.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
  index.indexer.set_stopper(&index.stopper);
  index.indexer.set_stopper_strategy(Xapian::TermGenerator::STOP_ALL);
  index.tokenizer.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);

  // Documents in need order: equal scores then come out in a stable order.
  std::sort(records.begin(), records.end(),
            [](const ReportRecord& a, const ReportRecord& b) { return a.need < b.need; });
  index.records = std::move(records);
  WordFolder folder;
  for (const ReportRecord& record : index.records) {
    Xapian::Document document;
    index.indexer.set_document(document);
    for (ReportField field : kFields) {
      const std::string& text = FieldText(record, field);
      if (!text.empty())
        index.indexer.index_text_without_positions(folder.Fold(text), 1,
                                                   kFieldPrefix[FieldIndex(field)]);
    }
    document.add_boolean_term(kNeedPrefix + record.need);
    if (!record.country.empty()) document.add_boolean_term(kCountryPrefix + record.country);
    for (const std::string& theme : record.themes) {
      for (const std::string& term : ThemeAndAncestors(theme))
        document.add_boolean_term(kThemePrefix + term);
    }
    if (record.mission_end)
      document.add_value(kEndSlot, Xapian::sortable_serialise(record.mission_end->days));
    index.db.add_document(document);
  }
  index.db.commit();
}

ReportIndex::~ReportIndex() = default;
ReportIndex::ReportIndex(ReportIndex&&) noexcept = default;
ReportIndex& ReportIndex::operator=(ReportIndex&&) noexcept = default;

std::size_t ReportIndex::size() const { return index_ ? index_->records.size() : 0; }

const ReportRecord& ReportIndex::record(std::size_t i) const { return index_->records.at(i); }

std::vector<std::string> ReportIndex::SearchedWords(std::string_view text) {
  static const std::unordered_set<std::string> stop_words(internal::FrenchStopWords().begin(),
                                                          internal::FrenchStopWords().end());
  std::vector<std::string> words;
  for (std::string& word : FoldedWords(text)) {
    if (!stop_words.contains(word) && std::find(words.begin(), words.end(), word) == words.end())
      words.push_back(std::move(word));
  }
  return words;
}

ReportResults ReportIndex::Search(const ReportQuery& query) const {
  ReportResults results;
  if (!index_ || query.limit == 0) return results;
  Index& index = *index_;
  const std::vector<std::string> words = SearchedWords(query.text);
  const bool has_text = !query.text.empty();
  if (has_text && words.empty()) return results;  // only stop words: nothing to look for
  const bool boosted = !query.boost_country.empty() || !query.boost_themes.empty();

  std::lock_guard lock(index.mutex);
  std::unordered_set<std::string> stems;
  for (const std::string& word : words) stems.insert(index.stemmer(word));

  // Text: each field's terms, scaled by the field's weight.
  // Without words every match weighs 0, so the order is the mission's end alone.
  Xapian::Query text_query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query::MatchAll, 0);
  if (has_text) {
    std::vector<Xapian::Query> fields;
    for (ReportField field : kFields) {
      std::vector<Xapian::Query> terms;
      for (const std::string& stem : stems)
        terms.emplace_back(kFieldPrefix[FieldIndex(field)] + stem);
      fields.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                          Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                          ReportFieldWeight(field));
    }
    text_query = Xapian::Query(Xapian::Query::OP_OR, fields.begin(), fields.end());
  }

  // Filters.
  std::vector<Xapian::Query> filters;
  if (!query.themes.empty()) {
    std::vector<Xapian::Query> themes;
    for (const std::string& theme : query.themes) themes.emplace_back(kThemePrefix + theme);
    filters.emplace_back(Xapian::Query::OP_OR, themes.begin(), themes.end());
  }
  if (!query.country.empty()) filters.emplace_back(kCountryPrefix + query.country);
  if (query.from && query.to) {
    filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kEndSlot,
                         Xapian::sortable_serialise(query.from->days),
                         Xapian::sortable_serialise(query.to->days));
  } else if (query.from) {
    filters.emplace_back(Xapian::Query::OP_VALUE_GE, kEndSlot,
                         Xapian::sortable_serialise(query.from->days));
  } else if (query.to) {
    // A report without a mission end has no value: OP_VALUE_LE would take it for the lowest.
    filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kEndSlot, Xapian::sortable_serialise(-1e9),
                         Xapian::sortable_serialise(query.to->days));
  }
  Xapian::Query full = text_query;
  if (!filters.empty()) {
    full = Xapian::Query(Xapian::Query::OP_FILTER, full,
                         Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
  }
  if (!query.exclude_need.empty()) {
    full = Xapian::Query(Xapian::Query::OP_AND_NOT, full,
                         Xapian::Query(kNeedPrefix + query.exclude_need));
  }

  Xapian::Enquire enquire(index.db);
  enquire.set_query(full);
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  if (has_text) {
    enquire.set_sort_by_relevance_then_value(kEndSlot, true);
  } else {
    enquire.set_sort_by_value_then_relevance(kEndSlot, true);
  }
  const Xapian::doccount all = index.db.get_doccount();
  Xapian::MSet mset;
  if (!boosted) {
    mset = enquire.get_mset(static_cast<Xapian::doccount>(query.offset),
                            static_cast<Xapian::doccount>(std::min<std::size_t>(query.limit, all)),
                            all);
  } else {
    // Boosting reorders: every match is taken, then sorted below. A first pass over the best
    // few by text would not save the time: each pass scores every match anyway, for an exact
    // total (bench/README.md).
    mset = enquire.get_mset(0, all, all);
  }
  results.total = mset.get_matches_estimated();  // exact: check_at_least covers every document

  struct Candidate {
    Xapian::MSetIterator it;
    double score;
  };
  std::vector<Candidate> candidates;
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    double score = has_text ? it.get_weight() : 0.0;
    if (boosted) score *= Boost(index.records[*it - 1], query);
    candidates.push_back({it, score});
  }
  if (boosted) {
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&](const Candidate& a, const Candidate& b) {
                       if (a.score != b.score) return a.score > b.score;
                       const auto& ea = index.records[*a.it - 1].mission_end;
                       const auto& eb = index.records[*b.it - 1].mission_end;
                       if (ea != eb) return ea > eb;
                       return *a.it < *b.it;
                     });
    const std::size_t begin = std::min(query.offset, candidates.size());
    const std::size_t end = std::min(begin + query.limit, candidates.size());
    candidates = std::vector<Candidate>(candidates.begin() + static_cast<std::ptrdiff_t>(begin),
                                        candidates.begin() + static_cast<std::ptrdiff_t>(end));
  }

  for (const Candidate& candidate : candidates) {
    ReportHit hit;
    hit.record = *candidate.it - 1;
    hit.score = candidate.score;
    const ReportRecord& record = index.records[hit.record];
    // Which fields matched, and how many of the searched stems each holds.
    std::array<std::size_t, kReportFieldCount> found{};
    for (auto term = enquire.get_matching_terms_begin(candidate.it);
         term != enquire.get_matching_terms_end(candidate.it); ++term) {
      const std::string name = *term;
      for (ReportField field : kFields) {
        const std::string prefix = kFieldPrefix[FieldIndex(field)];
        if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0)
          ++found[FieldIndex(field)];
      }
    }
    // The snippet's field: the most searched words, weighted by the field; the first field
    // with text when the query has no words.
    std::optional<ReportField> best;
    double best_value = 0;
    for (ReportField field : kFields) {
      if (found[FieldIndex(field)] == 0) continue;
      hit.matched.push_back(field);
      const double value = static_cast<double>(found[FieldIndex(field)]) * ReportFieldWeight(field);
      if (!best || value > best_value) {
        best = field;
        best_value = value;
      }
    }
    if (!best) {
      for (ReportField field : kFields) {
        if (!FieldText(record, field).empty()) {
          best = field;
          break;
        }
      }
    }
    hit.snippet_field = best.value_or(ReportField::kResultats);
    const std::string& text = FieldText(record, hit.snippet_field);
    hit.snippet = best && !hit.matched.empty() ? index.Snippet(text, stems)
                                               : LeadingSnippet(text, kSnippetLength);
    results.hits.push_back(std::move(hit));
  }
  return results;
}

}  // namespace expectmatch::understanding
