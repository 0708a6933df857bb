// The domain entities of EXPE-CT Match, as plain values (the data set contract:
// ARCHITECTURE.md, "The data set contract").
//
// These structs are what the engine reads; they know nothing of JSON, HTTP or SQL. The
// `datasets` module decodes and validates them; everything here is assumed valid (ids
// resolve, dates are ordered, weights are positive).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "expectmatch/matcher/date.h"

namespace expectmatch::matcher {

struct Theme {
  std::string id;      // dotted slug, e.g. "environnement.eau"
  std::string label;   // French label
  std::string parent;  // empty for a top-level domain
};

enum class CollectiviteKind { kRegion, kDepartement, kCommune, kEpci, kAssociation };

// An EXPE-CT label: the programme recognises the authority's expertise on `theme` from `since`
// until `until` (open-ended when absent).
struct Label {
  std::string theme;
  Date since;
  std::optional<Date> until;

  // REQUIRES: from <= to. True when the label is valid on every day of [from, to].
  bool CoversPeriod(Date from, Date to) const { return since <= from && (!until || *until >= to); }
};

struct Collectivite {
  std::string id;
  std::string name;
  CollectiviteKind kind = CollectiviteKind::kCommune;
  std::string region;  // French région, e.g. "Occitanie"
  std::optional<long long> population;
  std::vector<Label> labels;
  std::vector<std::string> languages;  // ISO 639-1 codes its experts work in
  int capacity_per_year = 0;           // missions accepted per calendar year
  int experts = 0;                     // territorial experts available
  std::string contact_email;           // where the outbox writes to it; empty: none known
  std::string siren;  // SIREN number (9 digits) of an authority of the official list; may be empty
  std::string insee;  // INSEE code (commune, département, région); may be empty
};

struct Partner {
  std::string id;  // may be empty when the partner is only known by name
  std::string name;
};

// A decentralised-cooperation link between a French authority and a foreign one.
struct Cooperation {
  std::string collectivite;
  std::string country;  // ISO 3166-1 alpha-2
  Partner partner;
  std::vector<std::string> themes;
  Date since;
  std::optional<Date> until;  // absent: still active

  bool ActiveOn(Date day) const { return since <= day && (!until || *until >= day); }
};

// A past EXPE-CT mission and its outcome.
// A territorial expert sent on a mission.
struct Expert {
  std::string name;
  std::string function;  // e.g. "ingénieure hydraulicienne, service de l'eau"
};

struct Mission {
  std::string id;
  std::string need;
  std::string collectivite;
  std::string country;
  std::vector<std::string> themes;
  Date start;
  Date end;
  std::optional<Date> report_delivered;
  std::optional<int> rating;  // 1..5
  std::vector<Expert> experts;  // as the authority records them; none when not given
};

struct NeedTheme {
  std::string theme;
  double weight = 1.0;  // > 0; the engine normalises the weights of a need
};

struct Period {
  Date start;
  Date end;
};

enum class NeedStatus {
  kSubmitted,
  kShortlisted,
  kAssigned,
  kInMission,
  kReportDue,
  kClosed,
  kCancelled,
  kProposed,  // proposed to an authority, waiting for its answer
};

// A need relayed by an embassy on behalf of a foreign local authority.
struct Need {
  std::string id;
  std::string country;
  Partner partner;
  std::vector<NeedTheme> themes;
  std::vector<std::string> languages;  // working languages; empty: any
  Period period;
  int experts_needed = 1;
  std::string description;
  NeedStatus status = NeedStatus::kSubmitted;
  std::optional<Date> submitted_at;
  std::vector<std::string> excluded;  // collectivités with a conflict of interest
  std::string selected;               // chosen collectivité, empty until decided
  // The authorities that declined a proposal of this need: set before ranking from what the
  // service stored, never part of the need's document.
  std::vector<std::string> declined;
  // What the need's author typed when the service recognised `partner` from another spelling
  // (a name with a prefix or a typo, an id in another case); empty otherwise. Set before
  // ranking, never stored: the explanation says how the partner was recognised.
  std::string partner_recognised_from;
};

// Everything a data set holds, in file order.
struct Dataset {
  std::vector<Theme> themes;
  std::vector<Collectivite> collectivites;
  std::vector<Cooperation> cooperations;
  std::vector<Mission> missions;
  std::vector<Need> needs;
};

}  // namespace expectmatch::matcher
