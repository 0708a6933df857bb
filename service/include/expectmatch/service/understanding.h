// What the service understood of what people typed: foreign partners recognised from names,
// themes suggested from descriptions. The use cases behind /v1/partners, /v1/themes/suggest
// and the partner recognition that precedes every ranking. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/service/live_snapshot.h"
#include "expectmatch/service/needs.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/service/status.h"
#include "expectmatch/store/store.h"
#include "expectmatch/understanding/partners.h"

namespace expectmatch::service {

// How a need's partner was recognised before ranking.
struct PartnerRecognition {
  matcher::Partner written;  // the partner as the need gives it
  // The entity it designates (pointing into the snapshot's directory), or nullopt when the
  // need names a partner the directory does not know, or none.
  std::optional<understanding::PartnerCandidate> resolved;
};

// Resolves `need->partner` in `snapshot`: an exact record is kept; a partner typed otherwise
// (a name with a prefix, a typo, an id in another case, a merged record) is replaced by the
// entity it designates, with `need->partner_recognised_from` set to what was typed. A partner that is not
// recognised is left as it is.
PartnerRecognition RecognisePartner(const Snapshot& snapshot, matcher::Need* need);

// How a partner was recognised, as the API names it: "id", "name", "alias" or "similarity".
const char* MatchedByName(understanding::MatchKind kind);

// {"id", "name", "score", "matched_by"} for a recognised partner, null otherwise.
datasets::Json ResolvedPartnerJson(const PartnerRecognition& recognition);

// The themes shown with a need (its views, the 422 of a match without themes): suggested from
// the opening of its description (the first 4 kB: a suggestion's cost grows with the text);
// an empty array when it has none.
datasets::Json NeedSuggestedThemesJson(const Snapshot& snapshot, const std::string& description);

// The themes suggested for a description, as the API shows them:
// [{"theme", "label", "score", "evidence": [{"source", "id", "terms"}]}].
datasets::Json SuggestedThemesJson(const Snapshot& snapshot, const std::string& text, size_t k);

class Partners {
 public:
  // Both must outlive this object.
  Partners(store::Store& store, const LiveSnapshot& snapshots)
      : store_(store), snapshots_(snapshots) {}

  // GET /v1/partners?country=SN&q=TEXT[&limit=N]: {"resolved": {...} | null, "candidates"}.
  Status Search(const Principal* caller, const QueryParameters& query, datasets::Json* out) const;
  // GET /v1/partners/{id}: the partner, its aliases and merged records, and the French
  // authorities cooperating with it.
  Status Get(const Principal* caller, const std::string& id, datasets::Json* out) const;
  // POST /v1/partners/{id}/aliases {"alias"}: DAECT attaches a spelling; the partner after it.
  Status AddAlias(const Principal* caller, const std::string& id, const datasets::Json& body,
                  datasets::Json* out) const;
  // POST /v1/partners/{id}/merge {"into"}: DAECT merges record `id` into `into` (same
  // country); the merged partner after it.
  Status Merge(const Principal* caller, const std::string& id, const datasets::Json& body,
               datasets::Json* out) const;

 private:
  // The partner `id` if `caller` may see it (an embassy: its country only).
  Status Find(const Principal* caller, const std::string& id,
              std::shared_ptr<const Snapshot>* snapshot,
              const understanding::PartnerEntity** entity) const;
  datasets::Json View(const Snapshot& snapshot, const understanding::PartnerEntity& entity) const;

  store::Store& store_;
  const LiveSnapshot& snapshots_;
};

// After DAECT's decision on `need` (as stored): when its partner was typed otherwise than a
// record and recognised, the typed spelling becomes an alias of that partner (source
// "decision"); nothing otherwise. `by` is the key id. True when an alias was written.
bool LearnPartnerAlias(store::Store& store, const Snapshot& snapshot, const matcher::Need& need,
                       const std::string& by);

// POST /v1/themes/suggest {"text", "k"?}: {"suggestions": [...]}. Every role may ask.
Status SuggestThemes(const Snapshot& snapshot, const datasets::Json& body, datasets::Json* out);

}  // namespace expectmatch::service
