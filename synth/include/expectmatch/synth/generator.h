// Synthetic data sets of any size, for national-scale benchmarks (the data set contract:
// ARCHITECTURE.md, "The data set contract").
//
// GenerateDataset builds a valid data set of `authorities` French authorities with realistic
// distributions: kinds in French proportions (communes, EPCI, départements, régions and a few
// associations), régions weighted by their number of communes, heavy-tailed populations, labels
// on a minority, heavy-tailed cooperation links in the countries of the real atlas (Mali,
// Burkina Faso and Senegal first), past missions and open needs. Needs, open or past, are worded
// as embassies word them (internal generator_wording.h): kTypedPartnerShare (40 %) of those naming
// a known partner write it as typed (no id or the id in another case, a variant of the name that
// folds to no other partner of the country), and descriptions are varied French prose. Every
// choice comes from the seed through the generator's own PRNG and distributions, never from a
// clock, so the same options give the same data set, and datasets::WriteDataset the same
// bytes, on every platform.
// Thread-safe: no shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "expectmatch/datasets/official_list.h"
#include "expectmatch/datasets/writer.h"
#include "expectmatch/matcher/features.h"
#include "expectmatch/matcher/model.h"

namespace expectmatch::synth {

struct GeneratorOptions {
  size_t authorities = 0;  // number of collectivités, >= 1
  uint64_t seed = 1;
};

// Reports the generator's advancing work, one stage at a time ("collectivités",
// "coopérations", "missions", "besoins", "historique"), as datasets::Progress describes.
using GeneratorProgress = datasets::Progress;

// Sizes derived from the number of authorities (the scale of the French figures: about 12,000
// cooperation links, 120 missions and 45 needs for 36,000 authorities).
struct GeneratorPlan {
  size_t regions = 0;
  size_t departements = 0;
  size_t communes = 0;
  size_t epci = 0;
  size_t associations = 0;
  size_t cooperations = 0;
  size_t missions = 0;
  size_t needs = 0;
};
GeneratorPlan PlanDataset(size_t authorities);

// REQUIRES: options.authorities >= 1.
matcher::Dataset GenerateDataset(const GeneratorOptions& options,
                                 const GeneratorProgress& progress = {});

// The same, drawing the authorities from the official list (datasets::ReadOfficialList) instead
// of inventing them: real régions, départements, communes and EPCI with their names, régions,
// populations, SIREN and INSEE codes (ids from the codes: reg-53, dep-35, com-35238,
// epci-243500139), a random subset of each kind as the plan sizes it. When the plan asks for
// more of a kind than the list holds (over about 36,300 authorities), the rest are invented as
// without a list; associations are always invented (the list has none). Labels, languages,
// capacities, cooperation, missions and needs are drawn as without a list.
matcher::Dataset GenerateDataset(const GeneratorOptions& options,
                                 const std::vector<datasets::OfficialAuthority>& official,
                                 const GeneratorProgress& progress = {});

// A history of past decisions with a hidden truth, for checking offline tuning (docs/TUNING.md,
// "Proof on synthetic data: a hidden truth").
//
// AddHistory appends `needs` past needs to a data set, decided one day at a time from
// 2020-01-06 to 2026-06-30: each is submitted and decided the same day (its `submitted_at`),
// for a mission starting 4 to 16 weeks later. A simulated DAECT officer picks one of the
// authorities that pass the hard filters on that day, with the features the service would
// have computed then (tuning/as_of.h), drawing with probability ∝ exp(u) where
//   u = (w · f) / temperature + a (the authority's standing with the officer, unseen by any
//       feature, normal with standard deviation `unseen_sd`);
// w is the hidden true weighting (non-negative, sum 1). The mission (`m-<need id>`) is then
// rated from the thematic fit, a hidden quality of the authority and noise, and its report
// is delivered on time, late or not at all; the need is `closed` (report delivered) or
// `report_due`. A need no authority can take that day is `cancelled`. Records are appended
// (needs `nh-YYYY-NNNN`, by decision day), so a data set generated with the same seed and no
// history is unchanged. Deterministic for a seed.
struct HistoryOptions {
  size_t needs = 0;
  uint64_t seed = 1;
};

struct HiddenTruth {
  matcher::FeatureVector weights{};  // the officer's true weighting, sum 1
  double temperature = 0.05;
  double unseen_sd = 0.5;   // standing with the officer, per authority
  double quality_sd = 0.8;  // hidden quality behind ratings, per authority
  size_t decided = 0;       // needs given an authority
  size_t cancelled = 0;     // needs no authority could take
};

// REQUIRES: `data` is a valid data set (e.g. from GenerateDataset).
HiddenTruth AddHistory(matcher::Dataset* data, const HistoryOptions& options,
                       const GeneratorProgress& progress = {});

// Writes the hidden truth as JSON (hidden_weights.json): never read by the tuner.
void WriteHiddenTruth(const HiddenTruth& truth, uint64_t seed, const std::filesystem::path& path);

}  // namespace expectmatch::synth
