// The catalogue as the service knew it at the start of a past day, so that the features of a
// historical need are those its officer could have seen, never its own outcome (docs/TUNING.md,
// the section on features as of the decision day).
//
// What is known at the start of day d (everything dated strictly before d):
//   - themes, authorities, labels and cooperation links as recorded; the features already
//     apply their validity dates (labels over the need's period, links on its first day);
//   - a mission once it has started (the service writes a mission record when its dates are
//     recorded), its rating once it has ended, its report once delivered;
//   - a need decided before d (a selected authority, not cancelled) whose mission is not yet
//     known holds a commitment on its authority's capacity for its period's start year;
//   - nothing else of other needs, and nothing of the need being ranked: its own decision,
//     mission, rating and report all come on or after its decision day.
// The decision day of a need is its `submitted_at` (the data set has no decision date; the
// generator decides on that day), or its period's start when it has none.
// Authorities holding neither a label nor a cooperation link are left out of these
// catalogues: no feature of any candidate reads them (missions they ran still count in the
// catalogue's mean rating).
// Thread-safe after construction: At() only reads.
#pragma once

#include <memory>
#include <vector>

#include "expectmatch/matcher/catalogue.h"
#include "expectmatch/matcher/model.h"
#include "expectmatch/matcher/ranker.h"

namespace expectmatch::tuning {

// submitted_at when present, else the period's start.
matcher::Date DecisionDay(const matcher::Need& need);

// True for a need whose decision is known: a selected authority and not cancelled.
bool IsDecided(const matcher::Need& need);

class AsOfCatalogues {
 public:
  // Keeps a reference to `dataset`: it must outlive this object.
  AsOfCatalogues(const matcher::Dataset& dataset, matcher::CountryTable countries);

  // The catalogue as known at the start of `day`.
  std::unique_ptr<matcher::Catalogue> At(matcher::Date day) const;
  // The data set behind At(day).
  matcher::Dataset DatasetAt(matcher::Date day) const;

 private:
  const matcher::Dataset& dataset_;
  matcher::CountryTable countries_;
  std::vector<size_t> kept_authorities_;  // indices into dataset_.collectivites
};

// Every authority that passes the hard filters for `need`, with its six features (in the
// engine's order under uniform weights; callers re-score). `need` is ranked as undecided.
std::vector<matcher::Candidate> EligibleCandidates(const matcher::Catalogue& catalogue,
                                                   const matcher::Need& need);

}  // namespace expectmatch::tuning
