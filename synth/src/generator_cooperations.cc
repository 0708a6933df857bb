// The decentralised-cooperation links of a synthetic data set.
//
// About one authority in eight cooperates, the larger ones more often; each holds one link plus
// a heavy-tailed number of extra ones (régions and large départements dozens, métropoles and
// cities several, villages none). Countries follow the atlas's weights exactly (largest
// remainder over all links), an authority often returning to a country it already works in;
// partners are shared between French authorities by preferential attachment.
#include <algorithm>
#include <cmath>

#include "generator_names.h"
#include "generator_steps.h"

namespace expectmatch::synth::internal {
namespace {

using matcher::CollectiviteKind;
using matcher::Date;

// Population-like size of an authority (associations have none).
double Size(const matcher::Collectivite& c) {
  return static_cast<double>(c.population.value_or(150000));
}
double Power(double x, double exponent) { return Exp(exponent * Log(std::max(1e-9, x))); }

double SelectionFactor(CollectiviteKind kind) {
  switch (kind) {
    case CollectiviteKind::kRegion:
      return 50.0;
    case CollectiviteKind::kDepartement:
      return 1.0;
    case CollectiviteKind::kCommune:
      return 1.0;
    case CollectiviteKind::kEpci:
      return 0.12;
    case CollectiviteKind::kAssociation:
      return 0.02;
  }
  return 1.0;
}

// How many links each authority holds, adding up to about `total`.
std::vector<size_t> DrawLinkCounts(const Context& ctx, Rng& rng, size_t total) {
  const std::vector<matcher::Collectivite>& all = ctx.data.collectivites;
  size_t n = all.size();
  std::vector<size_t> links(n, 0);
  if (total == 0) return links;
  double target = std::max(
      1.0, std::min(static_cast<double>(total), std::floor(static_cast<double>(n) * 2 / 15 + 0.5)));
  std::vector<double> weight(n);
  for (size_t i = 0; i < n; ++i)
    weight[i] = SelectionFactor(all[i].kind) * Power(Size(all[i]), 0.8);
  double scale = CalibrateScale(weight, target);
  size_t cooperating = 0;
  for (size_t i = 0; i < n; ++i) {
    if (rng.Chance(std::min(1.0, scale * weight[i]))) {
      links[i] = 1;
      ++cooperating;
    }
  }
  size_t extra = total > cooperating ? total - cooperating : 0;

  // Régions and départements exist in fixed numbers: their extra links do not scale with the
  // data set, but never take more than 40% of the budget.
  std::vector<size_t> fixed(n, 0);
  double fixed_total = 0.0;
  for (size_t i = 0; i < n; ++i) {
    if (links[i] == 0) continue;
    double mean = 0.0;
    if (all[i].kind == CollectiviteKind::kRegion) mean = 30.0 * Power(Size(all[i]) / 5e6, 0.6);
    if (all[i].kind == CollectiviteKind::kDepartement) mean = 10.0 * Power(Size(all[i]) / 6e5, 0.6);
    fixed[i] = static_cast<size_t>(std::floor(mean * (0.6 + 0.8 * rng.Uniform()) + 0.5));
    fixed_total += static_cast<double>(fixed[i]);
  }
  double cap = 0.4 * static_cast<double>(extra);
  size_t given = 0;
  for (size_t i = 0; i < n; ++i) {
    if (fixed_total > cap)
      fixed[i] = static_cast<size_t>(static_cast<double>(fixed[i]) * cap / fixed_total);
    links[i] += fixed[i];
    given += fixed[i];
  }
  // The rest goes to the other cooperating authorities in proportion to size^0.75, the largest
  // (over 1.5 million inhabitants) all weighing the same.
  for (size_t i = 0; i < n; ++i) {
    bool scalable = links[i] > 0 && all[i].kind != CollectiviteKind::kRegion &&
                    all[i].kind != CollectiviteKind::kDepartement;
    weight[i] = scalable ? Power(std::min(Size(all[i]), 1.5e6), 0.75) : 0.0;
  }
  WeightedIndex others(weight);
  if (!others.empty()) {
    for (size_t k = given; k < extra; ++k) ++links[others.Draw(rng)];
  }
  return links;
}

// Hands out countries so that each ends with exactly its quota of links, while letting an
// authority take a country it already holds.
class CountryQuotas {
 public:
  CountryQuotas(Rng& rng, size_t total) {
    std::vector<double> weights;
    for (const CountryRow& row : Countries()) weights.push_back(row.weight);
    remaining_ = Apportion(weights, total);
    in_sequence_ = remaining_;
    for (size_t c = 0; c < remaining_.size(); ++c)
      sequence_.insert(sequence_.end(), remaining_[c], c);
    rng.Shuffle(&sequence_);
  }
  // The next country of the shuffled sequence whose quota is not used up.
  size_t Next() {
    while (cursor_ < sequence_.size()) {
      size_t c = sequence_[cursor_++];
      bool consumed_elsewhere = remaining_[c] < in_sequence_[c];
      --in_sequence_[c];
      if (!consumed_elsewhere) {
        --remaining_[c];
        return c;
      }
    }
    return 0;
  }
  bool Take(size_t c) {
    if (remaining_[c] == 0) return false;
    --remaining_[c];
    return true;
  }

 private:
  std::vector<size_t> remaining_;
  std::vector<size_t> in_sequence_;
  std::vector<size_t> sequence_;
  size_t cursor_ = 0;
};

struct CountryPartners {
  std::vector<std::string> names;
  std::vector<size_t> by_link;  // partner of each link in the country, for preferential attachment
};

std::vector<std::string> LinkThemes(Rng& rng, const ThemeIndex& themes,
                                    const matcher::Collectivite& c) {
  static const WeightedIndex kCounts(std::vector<double>{55, 32, 13});
  size_t count = 1 + kCounts.Draw(rng);
  size_t first = !c.labels.empty() && rng.Chance(0.5) ? themes.Find(rng.Pick(c.labels).theme)
                                                      : themes.popular.Draw(rng);
  std::vector<size_t> chosen = {first};
  while (chosen.size() < count) {
    size_t theme = rng.Chance(0.5) ? themes.Sibling(rng, first) : themes.popular.Draw(rng);
    if (std::find(chosen.begin(), chosen.end(), theme) != chosen.end()) break;
    chosen.push_back(theme);
  }
  std::vector<std::string> out;
  for (size_t theme : chosen) out.push_back(themes.ids[theme]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

void GenerateCooperations(Context& ctx) {
  Rng rng(ctx.options.seed, 2);
  const std::vector<matcher::Collectivite>& all = ctx.data.collectivites;
  const std::vector<CountryRow>& countries = Countries();
  std::vector<size_t> counts = DrawLinkCounts(ctx, rng, ctx.plan.cooperations);
  size_t total = 0;
  for (size_t count : counts) total += count;

  CountryQuotas quotas(rng, total);
  std::vector<CountryPartners> partners(countries.size());
  std::vector<size_t> partner_of;  // per link, its partner's number in its country
  std::vector<matcher::Cooperation>& out = ctx.data.cooperations;
  out.reserve(total);
  partner_of.reserve(total);
  ctx.link_country.reserve(total);
  ctx.link_begin.assign(1, 0);
  StageProgress progress(ctx.progress, "coopérations", total);
  const Date latest_since = Date::FromYmd(2024, 12, 31), latest_until = Date::FromYmd(2025, 12, 31);

  for (size_t i = 0; i < all.size(); ++i) {
    size_t begin = out.size();
    for (size_t j = 0; j < counts[i]; ++j) {
      size_t country =
          j > 0 && rng.Chance(0.45) ? ctx.link_country[begin + rng.Below(j)] : countries.size();
      if (country == countries.size() || !quotas.Take(country)) country = quotas.Next();
      CountryPartners& pool = partners[country];
      size_t partner = pool.names.size();
      if (!pool.by_link.empty() && rng.Chance(0.28)) {
        size_t candidate = rng.Pick(pool.by_link);
        bool already = false;
        for (size_t k = begin; k < out.size(); ++k)
          already |= ctx.link_country[k] == country && partner_of[k] == candidate;
        if (!already) partner = candidate;
      }
      if (partner == pool.names.size())
        pool.names.push_back(PartnerName(rng, countries[country].style));
      pool.by_link.push_back(partner);

      matcher::Cooperation link;
      link.collectivite = all[i].id;
      link.country = std::string(countries[country].code);
      link.partner = {link.country + "-p" + std::to_string(partner + 1), pool.names[partner]};
      link.themes = LinkThemes(rng, ctx.themes, all[i]);
      int year = std::min(2024, 1980 + static_cast<int>(45.0 * std::sqrt(rng.Uniform())));
      link.since = DayBetween(rng, Date::FromYmd(year, 1, 1), Date::FromYmd(year, 12, 31));
      if (link.since > latest_since) link.since = latest_since;
      if (rng.Chance(0.2)) {
        Date until{link.since.days + rng.Between(2 * 365, 15 * 365)};
        link.until = std::min(until, latest_until);
      }
      out.push_back(std::move(link));
      partner_of.push_back(partner);
      ctx.link_country.push_back(country);
      progress.Advance(out.size());
    }
    ctx.link_begin.push_back(out.size());
  }
  progress.Finish();
}

}  // namespace expectmatch::synth::internal
