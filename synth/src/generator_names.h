// Names of the synthetic data set generator: French place names and the names of communes and
// EPCI built on them, and foreign local authorities (generator_wording.h words needs).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "generator_random.h"
#include "generator_tables.h"

namespace expectmatch::synth::internal {

// The French "de" before a name: "de Lyon", "d'Arles", "du Mans" (Le Mans), "des Andelys".
std::string De(std::string_view name);

// A French-sounding place name: "Saint-Martin-sur-Loire", "Plouvern", "Marcheim".
std::string FrenchPlace(Rng& rng, NameFlavour flavour);
// "Commune de …", or "Ville de …" for a town of 20,000 inhabitants or more.
std::string CommuneName(std::string_view place, long long population);
// "Communauté de communes du Val de Loire", "Communauté d'agglomération de …", "… Métropole",
// by population.
std::string EpciName(Rng& rng, NameFlavour flavour, long long population);

// A foreign local authority's name: "Commune de Kouraba", "Municipalité de Beit Sahal".
std::string PartnerName(Rng& rng, PartnerStyle style);

}  // namespace expectmatch::synth::internal
