// Suggesting themes from French prose (understanding/src/themes.cc): building the index and one
// suggestion, on the generated national data set and, as the baseline, on the taxonomy alone.
//
// | benchmark                  | what                                                             |
// |----------------------------|------------------------------------------------------------------|
// | BM_ThemesBuild/i           | building a ThemeSuggester: i 0 the taxonomy only (58 themes),    |
// |                            | 1 the 36,000-authority generated data set (seed 7: 45 needs,     |
// |                            | 120 missions), 2 the same plus 2,000 past needs and their        |
// |                            | missions (synth::AddHistory, seed 7): years of history           |
// | BM_ThemesSuggest/i/long    | one Suggest(text, 5) on index i; long 0 a one-line need (~90     |
// |                            | bytes), 1 an embassy e-mail of ~1,600 bytes; texts taken in turn |
//
// Data sets are generated once, outside the timed loops. Counter: documents in the index.
// Goal: < 5 ms per suggestion on the national data set.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <mutex>

#include "expectmatch/synth/generator.h"
#include "expectmatch/understanding/themes.h"

namespace {

using namespace expectmatch;

const matcher::Dataset& Data(int which) {
  static std::mutex mutex;
  static std::map<int, std::unique_ptr<matcher::Dataset>> cache;
  std::lock_guard lock(mutex);
  auto& slot = cache[which];
  if (!slot) {
    synth::GeneratorOptions options;
    options.authorities = 36000;
    options.seed = 7;
    matcher::Dataset data = synth::GenerateDataset(options);
    if (which == 0) {
      matcher::Dataset taxonomy;
      taxonomy.themes = data.themes;
      data = std::move(taxonomy);
    } else if (which == 2) {
      synth::HistoryOptions history;
      history.needs = 2000;
      history.seed = 7;
      synth::AddHistory(&data, history);
    }
    slot = std::make_unique<matcher::Dataset>(std::move(data));
  }
  return *slot;
}

const understanding::ThemeSuggester& Suggester(int which) {
  static std::mutex mutex;
  static std::map<int, std::unique_ptr<understanding::ThemeSuggester>> cache;
  const matcher::Dataset& data = Data(which);
  std::lock_guard lock(mutex);
  auto& slot = cache[which];
  if (!slot) slot = std::make_unique<understanding::ThemeSuggester>(data);
  return *slot;
}

const std::vector<std::string> kShort = {
    "Les ordures s'entassent dans les caniveaux : appui pour organiser le ramassage.",
    "Appui pour informatiser l'état civil et sécuriser les registres de naissance.",
    "La commune veut rénover son stade et construire un gymnase pour les scolaires.",
    "Besoin d'un plan de prévention des crues et de drainage des eaux de pluie.",
};

const std::vector<std::string> kLong = {
    "Madame, Monsieur, l'ambassade relaie la demande de la commune de Kaolack, partenaire de "
    "longue date de plusieurs collectivités françaises. La ville connaît une croissance rapide "
    "de sa population et les quartiers périphériques ne sont desservis ni par la collecte des "
    "ordures ni par le réseau d'eau potable. Les déchets s'accumulent dans les caniveaux, qui "
    "débordent à chaque hivernage, et les inondations touchent chaque année plusieurs milliers "
    "de ménages. La municipalité souhaiterait un appui technique sur trois points : organiser "
    "un service de ramassage avec des charretiers et des points de regroupement, créer une "
    "décharge contrôlée avec un tri des matières recyclables, et élaborer un plan de drainage "
    "des eaux pluviales cohérent avec le futur plan d'urbanisme. Le maire insiste aussi sur la "
    "formation des agents du service technique et sur la concertation avec les chefs de "
    "quartier, qui relaient les plaintes des habitants. La mission pourrait se dérouler au "
    "premier trimestre, de préférence avant la saison des pluies, avec deux experts "
    "francophones. Les autorités locales disposent d'un budget modeste mais d'un appui de "
    "l'agence nationale de l'assainissement. Nous restons à votre disposition pour organiser "
    "une visioconférence préparatoire avec les services municipaux. Avec nos remerciements.",
    "Bonjour, la mairie de Saint-Louis nous a transmis une demande concernant son centre "
    "historique classé : les façades des maisons à balcon se dégradent, les propriétaires "
    "manquent de moyens et les artisans ne maîtrisent plus les techniques de maçonnerie à la "
    "chaux. La commune voudrait monter un chantier-école de restauration, inventorier le bâti "
    "ancien et rédiger un cahier de recommandations architecturales. Elle souhaite aussi "
    "développer un tourisme durable autour de ce patrimoine, avec un office de tourisme, des "
    "circuits de visite et des gîtes chez l'habitant, en associant les jeunes du quartier à "
    "l'accueil des visiteurs. Une collectivité française ayant l'expérience d'un secteur "
    "sauvegardé serait idéale. Les archives municipales conservent des plans anciens qu'il "
    "faudrait classer et numériser pour servir de référence aux travaux. La mission pourrait "
    "durer dix jours au printemps, avec un architecte du patrimoine et un spécialiste du "
    "tourisme. Merci de votre attention, nous restons disponibles pour tout complément.",
};

void BM_ThemesBuild(benchmark::State& state) {
  const matcher::Dataset& data = Data(static_cast<int>(state.range(0)));
  std::size_t documents = 0;
  for (auto _ : state) {
    understanding::ThemeSuggester suggester(data);
    documents = suggester.documents();
    benchmark::DoNotOptimize(documents);
  }
  state.counters["documents"] = static_cast<double>(documents);
}
BENCHMARK(BM_ThemesBuild)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_ThemesSuggest(benchmark::State& state) {
  const understanding::ThemeSuggester& suggester = Suggester(static_cast<int>(state.range(0)));
  const std::vector<std::string>& texts = state.range(1) ? kLong : kShort;
  std::size_t next = 0;
  for (auto _ : state) {
    auto suggestions = suggester.Suggest(texts[next++ % texts.size()], 5);
    benchmark::DoNotOptimize(suggestions.data());
  }
  state.counters["documents"] = static_cast<double>(suggester.documents());
}
BENCHMARK(BM_ThemesSuggest)->ArgsProduct({{0, 1, 2}, {0, 1}})->Unit(benchmark::kMicrosecond);

}  // namespace

// main() is in understanding_bench.cc, the other half of this program.
