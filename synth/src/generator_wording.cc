#include "generator_wording.h"

#include <algorithm>
#include <array>
#include <unordered_set>

#include "expectmatch/understanding/fold.h"
#include "generator_names.h"

namespace expectmatch::synth::internal {
namespace {

using Words = std::vector<std::string_view>;

// ---------------------------------------------------------------------------------------------
// Letters: the generator's own alphabet (its names and prefixes), not arbitrary text.

struct Letter {
  std::string_view lower, upper, plain_lower, plain_upper;
};
const std::array<Letter, 22> kAccented = {
    {{"à", "À", "a", "A"},   {"â", "Â", "a", "A"}, {"ä", "Ä", "a", "A"}, {"ã", "Ã", "a", "A"},
     {"á", "Á", "a", "A"},   {"é", "É", "e", "E"}, {"è", "È", "e", "E"}, {"ê", "Ê", "e", "E"},
     {"ë", "Ë", "e", "E"},   {"í", "Í", "i", "I"}, {"î", "Î", "i", "I"}, {"ï", "Ï", "i", "I"},
     {"ó", "Ó", "o", "O"},   {"ô", "Ô", "o", "O"}, {"ö", "Ö", "o", "O"}, {"ú", "Ú", "u", "U"},
     {"û", "Û", "u", "U"},   {"ü", "Ü", "u", "U"}, {"ç", "Ç", "c", "C"}, {"ñ", "Ñ", "n", "N"},
     {"œ", "Œ", "oe", "OE"}, {"ÿ", "Ÿ", "y", "Y"}}};

// Rewrites each accented letter of the table with `to` and ASCII letters with `ascii`.
template <typename To, typename Ascii>
std::string MapLetters(std::string_view text, To to, Ascii ascii) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    bool mapped = false;
    if (static_cast<unsigned char>(text[i]) >= 0x80) {
      for (const Letter& letter : kAccented) {
        for (bool upper : {false, true}) {
          std::string_view form = upper ? letter.upper : letter.lower;
          if (text.substr(i, form.size()) == form) {
            out.append(to(letter, upper));
            i += form.size();
            mapped = true;
            break;
          }
        }
        if (mapped) break;
      }
    }
    if (!mapped) out.push_back(ascii(text[i++]));
  }
  return out;
}

char AsciiUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Upper(std::string_view text) {
  return MapLetters(
      text, [](const Letter& l, bool) { return l.upper; }, AsciiUpper);
}
std::string Lower(std::string_view text) {
  return MapLetters(
      text, [](const Letter& l, bool) { return l.lower; }, AsciiLower);
}
std::string WithoutAccents(std::string_view text) {
  return MapLetters(
      text, [](const Letter& l, bool upper) { return upper ? l.plain_upper : l.plain_lower; },
      [](char c) { return c; });
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// One typo: two adjacent, different letters of a word of 6 or more ASCII letters swapped, never
// the word's first letter. `text` unchanged when it has no such word.
std::string Transposed(Rng& rng, const std::string& text) {
  std::vector<size_t> spots;
  for (size_t start = 0; start < text.size();) {
    size_t end = start;
    while (end < text.size() && IsAsciiLetter(text[end])) ++end;
    if (end - start >= 6) {
      for (size_t i = start + 1; i + 1 < end; ++i) {
        if (AsciiLower(text[i]) != AsciiLower(text[i + 1])) spots.push_back(i);
      }
    }
    start = end + 1;
  }
  if (spots.empty()) return text;
  std::string out = text;
  size_t i = rng.Pick(spots);
  std::swap(out[i], out[i + 1]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Partner names.

enum class Category { kMunicipal, kRegion, kProvince, kFederation };

struct Kind {
  std::string_view name;
  Category category;
};
// The kinds PartnerName gives, longest first.
const std::array<Kind, 8> kKinds = {{{"Fédération des municipalités", Category::kFederation},
                                     {"Commune urbaine", Category::kMunicipal},
                                     {"Commune rurale", Category::kMunicipal},
                                     {"Municipalité", Category::kMunicipal},
                                     {"Commune", Category::kMunicipal},
                                     {"Province", Category::kProvince},
                                     {"Région", Category::kRegion},
                                     {"Ville", Category::kMunicipal}}};

struct SplitName {
  std::string_view kind;  // empty when the name has none the generator knows
  Category category = Category::kMunicipal;
  std::string_view place;
};

SplitName Split(std::string_view name) {
  for (const Kind& kind : kKinds) {
    if (name.substr(0, kind.name.size()) != kind.name) continue;
    std::string_view rest = name.substr(kind.name.size());
    for (std::string_view de : {" de ", " d'"}) {
      if (rest.substr(0, de.size()) == de)
        return {kind.name, kind.category, rest.substr(de.size())};
    }
  }
  return {{}, Category::kMunicipal, name};
}

enum class Language { kFrench, kEnglish, kSpanish, kPortuguese };

// How an embassy writes a kind: "{}" is the place; in French, "{de}" is De(place).
const Words& Prefixes(Language language, Category category) {
  static const Words kFrench[] = {
      {"Mairie {de}", "Commune {de}", "Ville {de}", "Municipalité {de}", "Commune urbaine {de}"},
      {"Région {de}", "Conseil régional {de}"},
      {"Province {de}", "Conseil provincial {de}"},
      {"Fédération des municipalités {de}", "Union des municipalités {de}"}};
  static const Words kEnglish[] = {
      {"City of {}", "Municipality of {}", "{} City Council", "{} Municipality", "Town of {}"},
      {"Region of {}", "{} Region", "{} Regional Council"},
      {"Province of {}", "{} Province"},
      {"Federation of Municipalities of {}", "Union of {} Municipalities"}};
  static const Words kSpanish[] = {
      {"Municipalidad de {}", "Municipio de {}", "Alcaldía de {}", "Ayuntamiento de {}"},
      {"Región de {}", "Gobierno Regional de {}"},
      {"Provincia de {}"},
      {"Federación de Municipios de {}"}};
  static const Words kPortuguese[] = {{"Prefeitura de {}", "Município de {}",
                                       "Câmara Municipal de {}", "Prefeitura Municipal de {}"},
                                      {"Região de {}"},
                                      {"Província de {}"},
                                      {"Associação dos Municípios de {}"}};
  size_t c = static_cast<size_t>(category);
  switch (language) {
    case Language::kEnglish:
      return kEnglish[c];
    case Language::kSpanish:
      return kSpanish[c];
    case Language::kPortuguese:
      return kPortuguese[c];
    case Language::kFrench:
      break;
  }
  return kFrench[c];
}

// Embassies write in French; where needs are often in another language, the local authority's
// own spelling comes through as often as not.
Language PrefixLanguage(Rng& rng, NeedLanguages languages) {
  switch (languages) {
    case NeedLanguages::kFrench:
    case NeedLanguages::kFrenchArabic:
      return Language::kFrench;
    case NeedLanguages::kFrenchEnglish:
      return rng.Chance(0.3) ? Language::kEnglish : Language::kFrench;
    case NeedLanguages::kEnglish:
      return rng.Chance(0.6) ? Language::kEnglish : Language::kFrench;
    case NeedLanguages::kSpanish:
      return rng.Chance(0.6) ? Language::kSpanish : Language::kFrench;
    case NeedLanguages::kPortuguese:
      return rng.Chance(0.6) ? Language::kPortuguese : Language::kFrench;
  }
  return Language::kFrench;
}

std::string WithPrefix(std::string_view pattern, const std::string& place) {
  std::string out(pattern);
  if (size_t at = out.find("{de}"); at != std::string::npos) return out.replace(at, 4, De(place));
  if (size_t at = out.find("{}"); at != std::string::npos) return out.replace(at, 2, place);
  return out;
}

// One variant of `name`, which may equal it.
std::string Variant(Rng& rng, std::string_view name, NeedLanguages languages) {
  SplitName split = Split(name);
  std::string place(split.place);
  // Saint <-> St, hyphen <-> space.
  if (place.find("Saint") != std::string::npos && rng.Chance(0.5)) {
    place = ReplaceAll(ReplaceAll(place, "Sainte", "Ste"), "Saint", "St");
    if (rng.Chance(0.3)) place = ReplaceAll(place, "St-", "St ");
  } else if (place.find("St-") != std::string::npos && rng.Chance(0.5)) {
    place = ReplaceAll(place, "St-", "Saint-");
  }
  if (rng.Chance(0.25)) {
    if (place.find('-') != std::string::npos) {
      std::replace(place.begin(), place.end(), '-', ' ');
    } else if (place.find(' ') != std::string::npos) {
      std::replace(place.begin(), place.end(), ' ', '-');
    }
  }
  if (rng.Chance(0.12)) place = Transposed(rng, place);
  if (rng.Chance(0.15)) place = Upper(place);  // "Commune de FATICK"

  std::string out;
  double u = rng.Uniform();
  if (split.kind.empty() || u < 0.25) {
    out = place;  // no prefix
  } else if (u < 0.45) {
    out = std::string(split.kind) + " " + De(place);  // its own kind
  } else {
    out = WithPrefix(rng.Pick(Prefixes(PrefixLanguage(rng, languages), split.category)), place);
  }
  double v = rng.Uniform();
  if (v < 0.3) {
    out = WithoutAccents(out);  // "Commune de Segou"
  } else if (v < 0.45) {
    out = Upper(WithoutAccents(out));  // "COMMUNE DE SEGOU"
  } else if (v < 0.52) {
    out = Upper(out);  // "MAIRIE DE SÉGOU"
  } else if (v < 0.56) {
    out = Lower(out);
  }
  return out;
}

// The id in another case: "SN-p3" -> "sn-p3" or "SN-P3"; empty when no case differs.
std::string OtherCase(Rng& rng, const std::string& id) {
  std::string lower = Lower(id), upper = Upper(id);
  if (lower != id && (upper == id || rng.Chance(0.5))) return lower;
  return upper != id ? upper : std::string();
}

// ---------------------------------------------------------------------------------------------
// Descriptions.

// Phrases in the vocabulary people use for each sub-theme, beside the taxonomy's own.
const std::unordered_map<std::string_view, Words>& Paraphrases() {
  static const std::unordered_map<std::string_view, Words> kParaphrases = {
      {"agriculture.filieres",
       {"organiser les producteurs et valoriser la production agricole locale",
        "créer une unité de transformation des produits agricoles"}},
      {"agriculture.irrigation",
       {"réhabiliter les canaux d'irrigation et les aménagements hydro-agricoles",
        "améliorer la maîtrise de l'eau pour les cultures maraîchères"}},
      {"agriculture.securite_alimentaire",
       {"mettre en place une banque de céréales et un suivi des prix",
        "prévenir les crises alimentaires pendant la période de soudure"}},
      {"agriculture.elevage",
       {"sécuriser les couloirs de transhumance et les pâturages",
        "améliorer la santé animale et l'abreuvement des troupeaux"}},
      {"jeunesse_genre.insertion",
       {"créer des formations professionnelles pour les jeunes déscolarisés",
        "faciliter l'accès des jeunes à l'emploi et à l'apprentissage"}},
      {"jeunesse_genre.egalite",
       {"renforcer la place des femmes dans les instances de décision locales",
        "lutter contre les inégalités entre filles et garçons"}},
      {"jeunesse_genre.participation",
       {"associer les jeunes aux décisions de la collectivité",
        "créer une instance consultative de la jeunesse"}},
      {"jeunesse_genre.volontariat",
       {"accueillir et envoyer des volontaires dans le cadre de chantiers de jeunes",
        "développer la mobilité internationale des jeunes"}},
      {"patrimoine.bati",
       {"réhabiliter les bâtiments anciens et la vieille ville",
        "sauvegarder les monuments et l'architecture traditionnelle"}},
      {"patrimoine.immateriel",
       {"sauvegarder les traditions orales, les fêtes et l'artisanat local",
        "documenter les savoir-faire des artisans"}},
      {"patrimoine.musees",
       {"rénover le musée et former son personnel à la conservation préventive",
        "améliorer la muséographie et l'accueil des visiteurs du musée"}},
      {"patrimoine.archives",
       {"sauvegarder et informatiser les archives de la mairie",
        "organiser un service d'archives et le tri des documents administratifs"}},
      {"amenagement.urbanisme",
       {"élaborer un schéma directeur d'aménagement urbain",
        "encadrer l'urbanisation et délivrer les permis de construire"}},
      {"amenagement.transports",
       {"améliorer la circulation, le stationnement et les transports en commun",
        "organiser les gares routières et les lignes de bus"}},
      {"amenagement.foncier",
       {"établir un cadastre et régulariser les titres de propriété",
        "gérer le foncier communal et prévenir les litiges fonciers"}},
      {"amenagement.habitat",
       {"réhabiliter les quartiers informels et reloger les habitants",
        "améliorer les conditions de logement dans les quartiers spontanés"}},
      {"amenagement.adressage",
       {"nommer les rues et numéroter les parcelles",
        "créer une base de données cartographique de la ville"}},
      {"capacites.gouvernance",
       {"associer la population aux décisions du conseil municipal",
        "améliorer la transparence et le dialogue avec les citoyens"}},
      {"capacites.finances_locales",
       {"augmenter les recettes fiscales et améliorer le recouvrement des taxes",
        "moderniser la gestion budgétaire et comptable de la collectivité"}},
      {"capacites.etat_civil",
       {"informatiser les registres d'état civil et les actes de naissance",
        "améliorer l'enregistrement des naissances"}},
      {"capacites.ressources_humaines",
       {"former le personnel municipal et réorganiser l'administration",
        "mettre en place une gestion du personnel et des fiches de poste"}},
      {"capacites.intercommunalite",
       {"mutualiser des services avec les communes voisines",
        "créer un groupement de communes pour porter des projets communs"}},
      {"environnement.eau",
       {"étendre le réseau d'eau potable et construire des latrines",
        "améliorer la gestion des forages et des bornes-fontaines"}},
      {"environnement.dechets",
       {"mettre en place le ramassage des ordures et une décharge contrôlée",
        "lutter contre les dépôts sauvages et valoriser les ordures ménagères"}},
      {"environnement.energie",
       {"installer des lampadaires solaires et réduire la facture d'électricité",
        "développer les énergies renouvelables dans les bâtiments publics"}},
      {"environnement.adaptation",
       {"faire face aux effets du changement climatique",
        "élaborer un plan climat et protéger la population des fortes chaleurs"}},
      {"environnement.biodiversite",
       {"préserver les forêts, les zones humides et la faune locale",
        "créer une aire protégée et lutter contre la déforestation"}},
      {"culture.spectacle_vivant",
       {"animer le centre culturel et organiser des festivals",
        "gérer une salle de spectacle et accueillir des artistes"}},
      {"culture.lecture_publique",
       {"ouvrir une médiathèque et former des bibliothécaires",
        "créer des points de lecture dans les quartiers et les écoles"}},
      {"culture.industries_creatives",
       {"accompagner les artistes, les musiciens et les créateurs locaux",
        "développer la filière audiovisuelle et la mode"}},
      {"sante.acces_soins",
       {"équiper les dispensaires et améliorer l'offre de soins de proximité",
        "former le personnel des centres de santé"}},
      {"sante.maternelle",
       {"réduire la mortalité des mères et des nouveau-nés",
        "améliorer les consultations prénatales et la vaccination des enfants"}},
      {"sante.hygiene",
       {"contrôler l'hygiène des marchés et des lieux publics",
        "lutter contre les maladies liées à l'insalubrité"}},
      {"economie.tourisme",
       {"valoriser les atouts touristiques et créer un office de tourisme",
        "développer l'écotourisme et l'accueil des visiteurs"}},
      {"economie.entrepreneuriat",
       {"soutenir les commerçants, les artisans et les porteurs de projets",
        "créer un incubateur et un guichet d'appui aux entreprises"}},
      {"economie.ess",
       {"soutenir les coopératives et les groupements de femmes",
        "développer les mutuelles et les activités solidaires"}},
      {"economie.marches",
       {"reconstruire le marché central et organiser les commerçants",
        "améliorer la gestion et les recettes des marchés"}},
      {"numerique.administration",
       {"mettre en ligne les services de la mairie",
        "informatiser les procédures et le guichet unique"}},
      {"numerique.donnees",
       {"publier les données de la collectivité en open data",
        "exploiter les données locales pour piloter les services"}},
      {"numerique.inclusion",
       {"ouvrir des espaces numériques publics et former les habitants",
        "faciliter l'accès d'internet aux habitants des quartiers"}},
      {"sport.equipements",
       {"construire et entretenir des terrains de sport et un stade",
        "rénover les installations sportives municipales"}},
      {"sport.pour_tous",
       {"encourager la pratique sportive des jeunes et des femmes",
        "animer des activités sportives de proximité"}},
      {"sport.evenements",
       {"accueillir une compétition sportive internationale",
        "préparer l'organisation d'un tournoi ou d'un marathon"}},
      {"risques.inondations",
       {"curer les caniveaux et lutter contre les inondations en saison des pluies",
        "réaliser un schéma de drainage des eaux de pluie"}},
      {"risques.secours",
       {"former et équiper des sapeurs-pompiers",
        "créer un centre de secours et un plan d'intervention"}},
      {"risques.catastrophes",
       {"se préparer aux séismes, cyclones et autres catastrophes",
        "élaborer un plan communal de sauvegarde"}},
  };
  return kParaphrases;
}

std::string_view PhraseOf(Rng& rng, const ThemePhrase& theme) {
  const auto& all = Paraphrases();
  auto it = all.find(theme.id);
  if (it == all.end() || !rng.Chance(0.4)) return theme.phrase;
  return rng.Pick(it->second);
}

std::string JoinObjects(const std::vector<std::string_view>& phrases) {
  std::string object;
  for (size_t i = 0; i < phrases.size(); ++i) {
    if (i > 0) object.append(i + 1 == phrases.size() ? " et " : ", ");
    object.append(phrases[i]);
  }
  return object;
}

bool StartsWithVowelSound(std::string_view s) {
  for (std::string_view v : {"a", "e", "i", "o", "u", "é", "è", "ê", "h", "î", "ô", "â"}) {
    if (s.substr(0, v.size()) == v) return true;
  }
  return false;
}
// "de" before an infinitive phrase: "d'organiser", "de structurer".
std::string DeVerb(std::string_view phrase) {
  return (StartsWithVowelSound(phrase) ? "d'" : "de ") + std::string(phrase);
}

std::string Capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = AsciiUpper(text[0]);
  return text;
}

// The ways a description names its partner, by its recorded name "Commune de Kouraba".
struct Subject {
  std::string full;       // "la commune de Kouraba" ("la Ville de …" keeps its capital)
  std::string place;      // "Kouraba"
  std::string leader;     // "le maire de Kouraba"
  std::string of_leader;  // "du maire de Kouraba"
};

Subject SubjectOf(std::string_view name) {
  SplitName split = Split(name);
  Subject s;
  s.place = std::string(split.place);
  if (split.kind.empty()) {
    s.full = "la collectivité " + De(s.place);
  } else {
    std::string kind(split.kind);
    s.full = "la " + (kind == "Ville" ? kind : Lower(kind)) + " " + De(s.place);
  }
  std::string title;
  switch (split.category) {
    case Category::kMunicipal:
      title = "maire";
      break;
    case Category::kRegion:
      title = "président du conseil régional";
      break;
    case Category::kProvince:
      title = "gouverneur";
      break;
    case Category::kFederation:
      title = "président de la fédération";
      break;
  }
  s.leader = "le " + title + " " + De(s.place);
  s.of_leader = "du " + title + " " + De(s.place);
  return s;
}

const Words kContexts = {
    "Les services techniques manquent de personnel formé et de méthodes éprouvées.",
    "Un premier diagnostic a été réalisé avec les services déconcentrés de l'État.",
    "La population a fortement augmenté ces dernières années, ce qui met les services "
    "sous tension.",
    "Le conseil a inscrit ce projet parmi ses priorités pour la fin du mandat.",
    "Des financements de bailleurs sont envisagés, mais l'expertise technique fait défaut.",
    "Une première coopération avec une collectivité française a laissé un très bon souvenir.",
    "Le projet concerne en priorité les quartiers périphériques et les villages rattachés.",
    "Les élus souhaitent s'inspirer de pratiques de collectivités françaises de taille "
    "comparable.",
    "Un budget de contrepartie a été voté pour l'exercice à venir.",
    "Le sujet a été évoqué lors de la dernière visite de l'ambassadeur.",
};
const Words kExpectations = {
    "L'appui attendu porte sur la méthode, l'organisation des services et la formation des "
    "agents.",
    "Un diagnostic partagé suivi d'un plan d'action serait le bienvenu.",
    "Il s'agirait d'accueillir un ou plusieurs experts sur place, puis d'échanger à distance.",
    "La collectivité souhaite des échanges entre techniciens plutôt qu'une étude.",
    "Une formation des agents sur place, complétée par un accompagnement à distance, est "
    "souhaitée.",
    "Elle recherche une collectivité française prête à partager son expérience et à "
    "accompagner ses équipes.",
};
const Words kClosings = {
    "L'ambassade reste à votre disposition pour tout complément d'information.",
    "Nous vous remercions par avance de l'attention portée à cette demande.",
    "Merci de bien vouloir étudier cette sollicitation.",
    "Le poste soutient pleinement cette demande.",
    "Cordialement.",
    "Je vous serais reconnaissant de bien vouloir donner suite à cette demande.",
    "Bien à vous.",
};

std::string Team(int experts) {
  static const Words kExperts = {"un expert", "deux experts", "trois experts", "quatre experts"};
  return std::string(kExperts[static_cast<size_t>(std::clamp(experts, 1, 4) - 1)]);
}

std::string Mission(Rng& rng, int days, int experts) {
  std::string d = std::to_string(days), team = Team(experts);
  switch (rng.Below(4)) {
    case 0:
      return "La mission pourrait réunir " + team + " pendant " + d + " jours.";
    case 1:
      return "Une mission de " + d + " jours sur place, avec " + team + ", serait appropriée.";
    case 2:
      return "Durée envisagée : " + d + " jours ; " + team + ".";
    default:
      return "L'ambassade suggère une mission de " + d + " jours.";
  }
}

}  // namespace

std::string PartnerKey(std::string_view name) {
  static const std::unordered_set<std::string_view> kLeading = {"commune",
                                                                "communes",
                                                                "rurale",
                                                                "urbaine",
                                                                "ville",
                                                                "mairie",
                                                                "municipalite",
                                                                "municipalites",
                                                                "municipality",
                                                                "municipalities",
                                                                "municipalidad",
                                                                "municipio",
                                                                "municipios",
                                                                "municipal",
                                                                "municipale",
                                                                "prefeitura",
                                                                "camara",
                                                                "alcaldia",
                                                                "ayuntamiento",
                                                                "region",
                                                                "regiao",
                                                                "regional",
                                                                "conseil",
                                                                "council",
                                                                "gobierno",
                                                                "province",
                                                                "provincia",
                                                                "provincial",
                                                                "federation",
                                                                "federacion",
                                                                "union",
                                                                "associacao",
                                                                "city",
                                                                "town",
                                                                "of",
                                                                "de",
                                                                "d",
                                                                "du",
                                                                "des",
                                                                "la",
                                                                "l",
                                                                "dos",
                                                                "da",
                                                                "do"};
  static const std::unordered_set<std::string_view> kTrailing = {
      "city", "council", "municipality", "municipalities", "region", "regional", "province"};
  std::vector<std::string> words = understanding::FoldedWords(name);
  size_t begin = 0, end = words.size();
  while (begin < end && kLeading.count(words[begin])) ++begin;
  while (end > begin && kTrailing.count(words[end - 1])) --end;
  std::string key;
  for (size_t i = begin; i < end; ++i) {
    if (!key.empty()) key.push_back(' ');
    key.append(words[i] == "st" ? "saint" : words[i] == "ste" ? "sainte" : words[i]);
  }
  return key;
}

PartnerBook::PartnerBook(size_t countries)
    : names_(countries), keys_(countries), keyed_(countries, 0) {}

void PartnerBook::Add(size_t country, std::string_view name) { names_[country].emplace_back(name); }

bool PartnerBook::Conflicts(size_t country, std::string_view spelling, std::string_view name) {
  auto& keys = keys_[country];
  for (size_t& k = keyed_[country]; k < names_[country].size(); ++k) {
    const std::string& known = names_[country][k];
    auto [it, inserted] = keys.emplace(PartnerKey(known), known);
    if (!inserted && it->second != known) it->second.clear();  // several names share it
  }
  // The key itself, then with two adjacent characters swapped (the typos a resolver forgives).
  const std::string key = PartnerKey(spelling);
  for (size_t i = 0; i < key.size(); ++i) {
    std::string probe = key;
    if (i > 0) std::swap(probe[i - 1], probe[i]);
    auto it = keys.find(probe);
    if (it != keys.end() && it->second != name) return true;
  }
  return false;
}

std::optional<matcher::Partner> TypedPartner(Rng& rng, const matcher::Partner& partner,
                                             size_t country, NeedLanguages languages,
                                             PartnerBook& book) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    std::string name = Variant(rng, partner.name, languages);
    if (name == partner.name) name = Upper(name);
    if (name == partner.name || book.Conflicts(country, name, partner.name)) continue;
    matcher::Partner typed;
    typed.name = std::move(name);
    if (!partner.id.empty() && rng.Chance(0.25)) typed.id = OtherCase(rng, partner.id);
    return typed;
  }
  return std::nullopt;
}

std::string NeedDescription(Rng& rng, std::string_view partner_name,
                            const std::vector<ThemePhrase>& themes, int days, int experts) {
  std::vector<std::string_view> phrases;
  for (const ThemePhrase& theme : themes) phrases.push_back(PhraseOf(rng, theme));
  const std::string object = JoinObjects(phrases);
  const Subject s = SubjectOf(partner_name);
  const std::string Full = Capitalized(s.full);
  std::vector<std::string> parts;  // sentences, the first ones required
  bool telegraphic = false;
  switch (rng.Below(12)) {
    case 0:
      parts = {Full + " sollicite l'appui d'une collectivité française pour " + object + "."};
      break;
    case 1:
      parts = {"Suite à l'échange avec " + s.leader +
               ", l'ambassade relaie une demande d'appui "
               "pour " +
               object + "."};
      break;
    case 2:
      parts = {s.place + " souhaite être accompagnée pour " + object + "."};
      break;
    case 3:
      telegraphic = true;
      parts = {"Objet : demande d'appui " + De(s.full) + ".", "Besoin : " + object + "."};
      break;
    case 4:
      parts = {"Dans le cadre de son plan de développement local, " + s.full +
               " demande un appui pour " + object + "."};
      break;
    case 5:
      parts = {"Avec le soutien de l'ambassade de France, " + s.full + " cherche à " + object +
               "."};
      break;
    case 6:
      parts = {"L'ambassade de France a été saisie par les autorités " + De(s.place) +
               ", qui souhaitent " + object + "."};
      break;
    case 7:
      parts = {"Nous avons l'honneur de vous transmettre la demande " + De(s.full) +
               ", qui souhaite " + object + "."};
      break;
    case 8:
      parts = {"Lors de sa visite à l'ambassade, " + s.leader + " a exprimé le besoin " +
               DeVerb(object) + "."};
      break;
    case 9:
      parts = {"Bonjour, " + s.full + " nous a fait part de son souhait " + DeVerb(object) + "."};
      break;
    case 10:
      parts = {"À la demande " + s.of_leader + ", le poste transmet ce besoin : " + object + "."};
      break;
    default:
      parts = {Full + " engage un programme pour " + object + "."};
      break;
  }
  if (rng.Chance(telegraphic ? 0.3 : 0.5)) {
    parts.push_back(std::string(telegraphic ? "Contexte : " : "") +
                    std::string(rng.Pick(kContexts)));
  }
  if (rng.Chance(0.6)) parts.emplace_back(rng.Pick(kExpectations));
  if (rng.Chance(0.5)) parts.push_back(Mission(rng, days, experts));
  if (rng.Chance(0.4)) parts.emplace_back(rng.Pick(kClosings));

  std::string text;
  for (const std::string& part : parts) {
    if (text.size() + 1 + part.size() > kMaxDescriptionBytes) break;
    if (!text.empty()) text.push_back(telegraphic ? '\n' : ' ');
    text.append(part);
  }
  return text;
}

void WordNeed(Rng& wording, bool known, size_t country, PartnerBook& book, matcher::Need* need,
              const std::vector<ThemePhrase>& phrases, int days) {
  const CountryRow& row = Countries()[country];
  if (!known) {
    for (int k = 0; k < 5 && book.Conflicts(country, need->partner.name, need->partner.name); ++k)
      need->partner.name = PartnerName(wording, row.style);
    book.Add(country, need->partner.name);
  }
  const std::string recorded = need->partner.name;
  if (known && wording.Chance(kTypedPartnerShare)) {
    if (auto typed = TypedPartner(wording, need->partner, country, row.languages, book))
      need->partner = std::move(*typed);
  }
  need->description = NeedDescription(wording, recorded, phrases, days, need->experts_needed);
}

}  // namespace expectmatch::synth::internal
