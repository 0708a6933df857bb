#include "expectmatch/matcher/features.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace expectmatch::matcher {
namespace {

constexpr std::array<std::string_view, kFeatureCount> kFeatureNames = {
    "thematic", "country_presence", "track_record", "language", "availability"};

std::string_view RelationFrench(ThemeRelation relation) {
  switch (relation) {
    case ThemeRelation::kExact: return "thème demandé";
    case ThemeRelation::kSibling: return "thème voisin";
    case ThemeRelation::kSameDomain: return "même domaine";
    case ThemeRelation::kUnrelated: return "sans rapport";
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

}  // namespace

std::string_view FeatureName(Feature feature) { return kFeatureNames[static_cast<size_t>(feature)]; }

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

double Thematic(const Catalogue& catalogue, const Need& need, const Collectivite& c, std::string* reason) {
  const Taxonomy& taxonomy = catalogue.taxonomy();
  double total_weight = 0.0;
  double value = 0.0;
  for (const NeedTheme& requested : need.themes) {
    double best = 0.0;
    const Label* best_label = nullptr;
    ThemeRelation best_relation = ThemeRelation::kUnrelated;
    for (const Label& label : c.labels) {
      if (!label.CoversPeriod(need.period.start, need.period.end)) continue;
      ThemeRelation relation = taxonomy.Relate(requested.theme, label.theme);
      double similarity = ThemeSimilarity(relation);
      if (similarity > best) {
        best = similarity;
        best_label = &label;
        best_relation = relation;
      }
    }
    total_weight += requested.weight;
    value += requested.weight * best;
    if (reason) {
      if (!reason->empty()) *reason += " ; ";
      if (best_label) {
        *reason += "Label « " + taxonomy.Get(best_label->theme).label + " » depuis " +
                   std::to_string(best_label->since.Year()) + " (" + std::string(RelationFrench(best_relation)) + ")";
      } else {
        *reason += "Aucun label proche de « " + taxonomy.Get(requested.theme).label + " »";
      }
    }
  }
  return total_weight > 0.0 ? value / total_weight : 0.0;
}

double CountryPresence(const Catalogue& catalogue, const Need& need, size_t c, std::string* reason) {
  int links = 0;
  int earliest_year = 0;
  for (size_t index : catalogue.CooperationsOf(c)) {
    const Cooperation& link = catalogue.cooperations()[index];
    if (link.country != need.country || !link.ActiveOn(need.period.start)) continue;
    ++links;
    int year = link.since.Year();
    if (links == 1 || year < earliest_year) earliest_year = year;
  }
  if (reason) {
    const std::string& country = catalogue.CountryName(need.country);
    if (links == 0) {
      *reason = "Pays " + country + " : aucun partenariat actif";
    } else {
      *reason = "Pays " + country + " : " + std::to_string(links) +
                (links == 1 ? " partenariat actif" : " partenariats actifs") + ", depuis " +
                std::to_string(earliest_year);
    }
  }
  return 1.0 - std::exp2(-static_cast<double>(links));
}

double TrackRecord(const Catalogue& catalogue, const Need& need, size_t c, const FeatureParams& params,
                   std::string* reason) {
  const Taxonomy& taxonomy = catalogue.taxonomy();
  const Date reference = need.period.start;
  double weighted_quality = 0.0;
  double weight_sum = 0.0;
  int relevant = 0, rated = 0, rating_sum = 0, due = 0, on_time = 0;
  for (size_t index : catalogue.MissionsOf(c)) {
    const Mission& m = catalogue.missions()[index];
    if (!(m.end < reference)) continue;
    double theme_fit = 0.0;
    for (const NeedTheme& requested : need.themes) {
      for (const std::string& theme : m.themes) {
        theme_fit = std::max(theme_fit, ThemeSimilarity(taxonomy.Relate(requested.theme, theme)));
      }
    }
    double same_country = m.country == need.country ? 1.0 : 0.0;
    double relevance = 0.5 * theme_fit + 0.5 * same_country;
    if (relevance <= 0.0) continue;
    double age_days = static_cast<double>(reference.days - m.end.days);
    double decay = std::exp2(-age_days / params.track_record_half_life_days);
    double rating_quality = m.rating ? (*m.rating - 1) / 4.0 : params.unrated_quality;
    Date report_due = m.end.AddMonths(params.report_due_months);
    double report_quality;
    if (m.report_delivered) {
      report_quality = *m.report_delivered <= report_due ? 1.0 : 0.5;
    } else {
      report_quality = reference > report_due ? 0.0 : 1.0;
    }
    double weight = relevance * decay;
    weighted_quality += weight * rating_quality * report_quality;
    weight_sum += weight;

    ++relevant;
    if (m.rating) {
      ++rated;
      rating_sum += *m.rating;
    }
    if (m.report_delivered || reference > report_due) {
      ++due;
      if (m.report_delivered && *m.report_delivered <= report_due) ++on_time;
    }
  }
  if (reason) {
    if (relevant == 0) {
      *reason = "Aucune mission EXPE-CT comparable";
    } else {
      *reason = std::to_string(relevant) + (relevant == 1 ? " mission EXPE-CT comparable" : " missions EXPE-CT comparables");
      if (rated > 0) *reason += ", note moyenne " + FormatFrench(static_cast<double>(rating_sum) / rated, 1) + "/5";
      if (due > 0) *reason += ", rapports remis à temps : " + std::to_string(on_time) + " sur " + std::to_string(due);
    }
  }
  return weighted_quality / (weight_sum + params.track_record_prior_missions);
}

double Language(const Need& need, const Collectivite& c, std::string* reason) {
  if (need.languages.empty()) {
    if (reason) *reason = "Aucune langue de travail demandée";
    return 1.0;
  }
  std::vector<std::string> spoken, missing;
  for (const std::string& language : need.languages) {
    bool speaks = std::find(c.languages.begin(), c.languages.end(), language) != c.languages.end();
    (speaks ? spoken : missing).push_back(language);
  }
  if (reason) {
    *reason = "Langues de travail parlées : " + (spoken.empty() ? std::string("aucune") : JoinCodes(spoken));
    if (!missing.empty()) *reason += " ; non parlées : " + JoinCodes(missing);
  }
  return static_cast<double>(spoken.size()) / static_cast<double>(need.languages.size());
}

int CapacityUsed(const Catalogue& catalogue, const Need& need, size_t c) {
  const int year = need.period.start.Year();
  int used = 0;
  for (size_t index : catalogue.MissionsOf(c)) {
    const Mission& m = catalogue.missions()[index];
    if (m.start.Year() == year && m.need != need.id) ++used;
  }
  for (const Commitment& commitment : catalogue.CommitmentsOf(c)) {
    if (commitment.year == year && commitment.need != need.id) ++used;
  }
  return used;
}

double Availability(const Catalogue& catalogue, const Need& need, size_t c, std::string* reason) {
  const Collectivite& collectivite = catalogue.collectivites()[c];
  const int capacity = collectivite.capacity_per_year;
  const int remaining = std::max(0, capacity - CapacityUsed(catalogue, need, c));
  if (reason) {
    *reason = "Capacité " + std::to_string(need.period.start.Year()) + " : " + std::to_string(remaining) +
              (remaining > 1 ? " missions restantes sur " : " mission restante sur ") + std::to_string(capacity);
  }
  return capacity > 0 ? static_cast<double>(remaining) / capacity : 0.0;
}

}  // namespace expectmatch::matcher
