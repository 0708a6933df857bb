#include "expectmatch/matcher/features.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>

namespace expectmatch::matcher {
namespace {

constexpr std::array<std::string_view, kFeatureCount> kFeatureNames = {
    "thematic", "country_presence", "partner_history", "track_record", "language", "availability"};

std::string_view RelationFrench(ThemeRelation relation) {
  switch (relation) {
    case ThemeRelation::kExact:
      return "thème demandé";
    case ThemeRelation::kSibling:
      return "thème voisin";
    case ThemeRelation::kSameDomain:
      return "même domaine";
    case ThemeRelation::kUnrelated:
      return "sans rapport";
  }
  return "";
}

std::string JoinCodes(const std::vector<std::string>& codes) {
  std::string out;
  for (const std::string& code : codes) {
    if (!out.empty()) out += ", ";
    out += code;
  }
  return out;
}

bool Covers(const LabelCell& label, const NeedContext& need) {
  return label.since <= need.start.days && label.until >= need.end.days;
}

double Similarity(const NeedContext& need, size_t t, ThemeIndex theme) {
  return theme == kNoTheme ? 0.0
                           : need.similarity[t * need.theme_count + static_cast<size_t>(theme)];
}

}  // namespace

std::string_view FeatureName(Feature feature) {
  return kFeatureNames[static_cast<size_t>(feature)];
}

bool FeatureFromName(std::string_view name, Feature* feature) {
  for (size_t i = 0; i < kFeatureCount; ++i) {
    if (kFeatureNames[i] == name) {
      *feature = static_cast<Feature>(i);
      return true;
    }
  }
  return false;
}

std::string FormatFrench(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  std::string out = buffer;
  std::replace(out.begin(), out.end(), '.', ',');
  return out;
}

NeedContext PrepareNeed(const Catalogue& catalogue, const Need& need) {
  NeedContext context;
  context.need = &need;
  context.start = need.period.start;
  context.end = need.period.end;
  context.year = need.period.start.Year();
  double total = 0.0;
  for (const NeedTheme& theme : need.themes) total += theme.weight;
  for (const NeedTheme& theme : need.themes) {
    context.themes.push_back(catalogue.taxonomy().Find(theme.theme));
    context.weights.push_back(total > 0.0 ? theme.weight / total : 0.0);
  }
  const Taxonomy& taxonomy = catalogue.taxonomy();
  context.theme_count = taxonomy.size();
  context.similarity.assign(context.themes.size() * context.theme_count, 0.0);
  for (size_t t = 0; t < context.themes.size(); ++t) {
    if (context.themes[t] == kNoTheme) continue;
    for (size_t u = 0; u < context.theme_count; ++u) {
      context.similarity[t * context.theme_count + u] =
          ThemeSimilarity(taxonomy.Relate(context.themes[t], static_cast<ThemeIndex>(u)));
    }
  }
  context.languages = catalogue.MaskOf(need.languages);
  context.language_count = need.languages.size();
  context.country = catalogue.CountryIndexOf(need.country);
  if (const CountryInfo* info = catalogue.Country(need.country))
    context.subregion = info->subregion;

  const CooperationGraph& graph = catalogue.graph();
  context.partner_vertex = graph.FindPartner(need.country, need.partner);
  context.partner_neighbourhood =
      graph.PartnerNeighbourhood(context.partner_vertex, need.period.start);

  // Capacity the need itself already holds (when it is stored and assigned, or has missions).
  for (const Catalogue::Commitment& commitment : catalogue.commitments()) {
    if (commitment.need == need.id && commitment.year == context.year)
      context.self_usage.emplace_back(commitment.authority, 1);
  }
  for (uint32_t index : catalogue.MissionsOfNeed(need.id)) {
    const Mission& m = catalogue.missions()[index];
    if (m.start.Year() != context.year) continue;
    int c = catalogue.FindCollectivite(m.collectivite);
    if (c >= 0) context.self_usage.emplace_back(static_cast<AuthorityIndex>(c), 1);
  }
  for (const std::string& id : need.excluded) {
    int c = catalogue.FindCollectivite(id);
    if (c >= 0) context.excluded.push_back(static_cast<AuthorityIndex>(c));
  }
  std::sort(context.excluded.begin(), context.excluded.end());
  context.excluded.erase(std::unique(context.excluded.begin(), context.excluded.end()),
                         context.excluded.end());
  // A candidate is counted under the first filter that excludes it: a conflict comes first.
  for (const std::string& id : need.declined) {
    int c = catalogue.FindCollectivite(id);
    if (c >= 0 && !std::binary_search(context.excluded.begin(), context.excluded.end(),
                                      static_cast<AuthorityIndex>(c)))
      context.declined.push_back(static_cast<AuthorityIndex>(c));
  }
  std::sort(context.declined.begin(), context.declined.end());
  context.declined.erase(std::unique(context.declined.begin(), context.declined.end()),
                         context.declined.end());
  return context;
}

double Thematic(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c,
                ThematicDetail* detail) {
  std::span<const LabelCell> labels = catalogue.LabelCells(c);
  if (detail) {
    detail->best_label.assign(need.themes.size(), -1);
    detail->relation.assign(need.themes.size(), ThemeRelation::kUnrelated);
  }
  double value = 0.0;
  for (size_t t = 0; t < need.themes.size(); ++t) {
    double best = 0.0;
    for (size_t l = 0; l < labels.size(); ++l) {
      if (!Covers(labels[l], need)) continue;
      double similarity = Similarity(need, t, labels[l].theme);
      if (similarity > best) {
        best = similarity;
        if (detail) {
          detail->best_label[t] = static_cast<int>(l);
          detail->relation[t] = catalogue.taxonomy().Relate(need.themes[t], labels[l].theme);
        }
      }
    }
    value += need.weights[t] * best;
  }
  return std::min(value, 1.0);
}

double CountryPresence(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c,
                       const FeatureParams& params, CountryDetail* detail) {
  int links = 0, region_links = 0, earliest = kOpenEnded;
  const int day = need.start.days;
  for (const LinkCell& link : catalogue.LinkCells(c)) {
    if (link.since > day || link.until < day) continue;
    if (link.country == need.country) {
      ++links;
      earliest = std::min(earliest, link.since);
    } else if (need.subregion != 0 && catalogue.SubregionOfIndex(link.country) == need.subregion) {
      ++region_links;
    }
  }
  if (detail) *detail = {links, region_links, links > 0 ? Date{earliest}.Year() : 0};
  return 1.0 - std::exp2(-(links + params.region_link_share * region_links));
}

double PartnerHistory(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c,
                      ProximityHit* hit) {
  ProximityHit found;
  const auto& ring = need.partner_neighbourhood;
  if (std::binary_search(ring.direct.begin(), ring.direct.end(), c)) {
    found = {ProximityLevel::kDirectPartner, static_cast<uint32_t>(need.partner_vertex)};
  } else {
    // The candidate's active links (the columnar copy of its edges in the graph): a second-ring
    // partner makes it a partner of a partner, a partner in the need's country a neighbour.
    const int day = need.start.days;
    for (const LinkCell& link : catalogue.LinkCells(c)) {
      if (link.since > day || link.until < day) continue;
      if (std::binary_search(ring.second_partners.begin(), ring.second_partners.end(),
                             link.partner)) {
        found = {ProximityLevel::kPartnerOfPartner, link.partner};
        break;
      }
      if (link.country == need.country && found.level == ProximityLevel::kNone) {
        found = {ProximityLevel::kSameCountry, link.partner};
      }
    }
  }
  if (hit) *hit = found;
  return ProximityValue(found.level);
}

double TrackRecord(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c,
                   const FeatureParams& params, TrackDetail* detail) {
  const int reference = need.start.days;
  const bool default_due = params.report_due_months == Catalogue::kDefaultReportDueMonths;
  std::span<const MissionCell> missions = catalogue.MissionCells(c);
  double weight_sum = 0.0, rated_weight = 0.0, rating_sum = 0.0, due_weight = 0.0,
         punctual_sum = 0.0;
  TrackDetail d;
  int raw_rating_sum = 0;
  for (size_t j = 0; j < missions.size(); ++j) {
    const MissionCell& m = missions[j];
    if (m.end >= reference) continue;
    double theme_fit = 0.0;
    for (size_t t = 0; t < need.themes.size(); ++t) {
      for (ThemeIndex theme : catalogue.MissionThemeCells(m))
        theme_fit = std::max(theme_fit, Similarity(need, t, theme));
    }
    double relevance = 0.5 * theme_fit + 0.5 * (m.country == need.country ? 1.0 : 0.0);
    if (relevance <= 0.0) continue;
    double weight = relevance * std::exp2(-static_cast<double>(reference - m.end) /
                                          params.track_record_half_life_days);
    weight_sum += weight;
    ++d.relevant;
    if (m.rating > 0) {
      rated_weight += weight;
      rating_sum += weight * (m.rating - 1) / 4.0;
      ++d.rated;
      raw_rating_sum += m.rating;
    }
    const int report_due =
        default_due
            ? m.report_due
            : catalogue.ReportDue(catalogue.MissionsOf(c)[j], params.report_due_months).days;
    const bool delivered = m.delivered != kNever;
    if (delivered || reference > report_due) {
      bool on_time = delivered && m.delivered <= report_due;
      due_weight += weight;
      punctual_sum += weight * (on_time ? 1.0 : (delivered ? 0.5 : 0.0));
      ++d.due;
      d.on_time += on_time ? 1 : 0;
    }
  }
  d.experience = weight_sum / (weight_sum + params.experience_prior_missions);
  d.smoothed_quality = (rating_sum + params.rating_prior_missions * catalogue.MeanRatingQuality()) /
                       (rated_weight + params.rating_prior_missions);
  d.punctuality = due_weight > 0.0 ? punctual_sum / due_weight : 1.0;
  d.raw_rating = d.rated > 0 ? static_cast<double>(raw_rating_sum) / d.rated : 0.0;
  if (detail) *detail = d;
  return d.experience * d.smoothed_quality * d.punctuality;
}

double Language(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c) {
  if (need.language_count == 0) return 1.0;
  const LanguageMask& spoken = catalogue.Languages(c);
  int common = 0;
  for (size_t i = 0; i < spoken.size(); ++i) common += std::popcount(spoken[i] & need.languages[i]);
  return static_cast<double>(common) / static_cast<double>(need.language_count);
}

int RemainingCapacity(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c) {
  int used = catalogue.CapacityUsed(c, need.year);
  for (const auto& [authority, count] : need.self_usage) {
    if (authority == c) used -= count;
  }
  return std::max(0, catalogue.Capacity(c) - used);
}

double Availability(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c,
                    int* remaining) {
  const int capacity = catalogue.Capacity(c);
  const int left = RemainingCapacity(catalogue, need, c);
  if (remaining) *remaining = left;
  return capacity > 0 ? static_cast<double>(left) / capacity : 0.0;
}

FeatureVector ComputeFeatures(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c,
                              const FeatureParams& params) {
  FeatureVector values;
  values[static_cast<size_t>(Feature::kThematic)] = Thematic(catalogue, need, c);
  values[static_cast<size_t>(Feature::kCountryPresence)] =
      CountryPresence(catalogue, need, c, params);
  values[static_cast<size_t>(Feature::kPartnerHistory)] = PartnerHistory(catalogue, need, c);
  values[static_cast<size_t>(Feature::kTrackRecord)] = TrackRecord(catalogue, need, c, params);
  values[static_cast<size_t>(Feature::kLanguage)] = Language(catalogue, need, c);
  values[static_cast<size_t>(Feature::kAvailability)] = Availability(catalogue, need, c);
  return values;
}

std::string Explain(Feature feature, const Catalogue& catalogue, const NeedContext& need,
                    AuthorityIndex c, const FeatureParams& params) {
  const Taxonomy& taxonomy = catalogue.taxonomy();
  const Collectivite& candidate = catalogue.collectivites()[c];
  const std::string& country = catalogue.CountryName(need.need->country);
  std::string out;
  switch (feature) {
    case Feature::kThematic: {
      ThematicDetail d;
      Thematic(catalogue, need, c, &d);
      for (size_t t = 0; t < need.themes.size(); ++t) {
        if (!out.empty()) out += " ; ";
        if (d.best_label[t] >= 0) {
          const Label& label = candidate.labels[static_cast<size_t>(d.best_label[t])];
          out += "Label « " + taxonomy.Get(label.theme).label + " » depuis " +
                 std::to_string(label.since.Year()) + " (" +
                 std::string(RelationFrench(d.relation[t])) + ")";
        } else {
          out += "Aucun label proche de « " + taxonomy.Get(need.themes[t]).label + " »";
        }
      }
      return out;
    }
    case Feature::kCountryPresence: {
      CountryDetail d;
      CountryPresence(catalogue, need, c, params, &d);
      out = "Pays " + country + " : ";
      out += d.links == 0 ? "aucun partenariat actif"
                          : std::to_string(d.links) +
                                (d.links == 1 ? " partenariat actif" : " partenariats actifs") +
                                ", depuis " + std::to_string(d.earliest_year);
      if (d.region_links > 0) {
        const CountryInfo* info = catalogue.Country(need.need->country);
        out += " ; " + std::to_string(d.region_links) +
               (d.region_links == 1 ? " autre partenariat" : " autres partenariats") + " en " +
               (info ? info->subregion_name_fr : std::string("région"));
      }
      return out;
    }
    case Feature::kPartnerHistory: {
      ProximityHit hit;
      PartnerHistory(catalogue, need, c, &hit);
      const std::string& partner = need.need->partner.name;
      const std::string& typed = need.need->partner_recognised_from;
      const std::string recognised =
          typed.empty() ? "" : " ; « " + typed + " » reconnu comme " + partner;
      switch (hit.level) {
        case ProximityLevel::kDirectPartner:
          return "Partenaire direct de " + partner + recognised;
        case ProximityLevel::kPartnerOfPartner:
          return "Partenaire d'un partenaire de " + partner + " (via " +
                 catalogue.graph().PartnerName(hit.via) + ")" + recognised;
        case ProximityLevel::kSameCountry:
          return "Coopère avec " + catalogue.graph().PartnerName(hit.via) + " (" + country + ")" +
                 recognised;
        case ProximityLevel::kNone:
          break;
      }
      return "Aucun lien avec " + (partner.empty() ? country : partner) +
             " dans le réseau de coopération" + recognised;
    }
    case Feature::kTrackRecord: {
      TrackDetail d;
      TrackRecord(catalogue, need, c, params, &d);
      if (d.relevant == 0) return "Aucune mission EXPE-CT comparable";
      out = std::to_string(d.relevant) +
            (d.relevant == 1 ? " mission EXPE-CT comparable" : " missions EXPE-CT comparables");
      if (d.rated > 0) out += ", note moyenne " + FormatFrench(d.raw_rating, 1) + "/5";
      if (d.due > 0)
        out += ", rapports remis à temps : " + std::to_string(d.on_time) + " sur " +
               std::to_string(d.due);
      return out;
    }
    case Feature::kLanguage: {
      if (need.language_count == 0) return "Aucune langue de travail demandée";
      std::vector<std::string> spoken, missing;
      for (const std::string& language : need.need->languages) {
        bool speaks = std::find(candidate.languages.begin(), candidate.languages.end(), language) !=
                      candidate.languages.end();
        (speaks ? spoken : missing).push_back(language);
      }
      out = "Langues de travail parlées : " +
            (spoken.empty() ? std::string("aucune") : JoinCodes(spoken));
      if (!missing.empty()) out += " ; non parlées : " + JoinCodes(missing);
      return out;
    }
    case Feature::kAvailability: {
      int remaining = 0;
      Availability(catalogue, need, c, &remaining);
      return "Capacité " + std::to_string(need.year) + " : " + std::to_string(remaining) +
             (remaining > 1 ? " missions restantes sur " : " mission restante sur ") +
             std::to_string(catalogue.Capacity(c));
    }
  }
  return out;
}

}  // namespace expectmatch::matcher
