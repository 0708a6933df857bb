#include "generator_names.h"

namespace expectmatch::synth::internal {
namespace {

using Words = std::vector<std::string_view>;

const Words kRoots = {"Aub",   "Aur",   "Bar",  "Beaul", "Bell",  "Bern", "Bonn", "Bourn",  "Bress",
                      "Brion", "Cast",  "Cham", "Chant", "Charm", "Chaz", "Civr", "Coll",   "Corn",
                      "Cour",  "Cramp", "Dam",  "Dom",   "Esp",   "Fal",  "Font", "Gen",    "Giv",
                      "Gourd", "Gran",  "Lav",  "Lign",  "Lorm",  "Lus",  "Mar",  "Marc",   "Mauv",
                      "Mont",  "Morn",  "Neuv", "Niv",   "Orv",   "Pal",  "Pers", "Pouill", "Quinc",
                      "Ren",   "Ribb",  "Roch", "Roman", "Sav",   "Senn", "Serr", "Soul",   "Taill",
                      "Tourn", "Vals",  "Verm", "Vill",  "Viv",   "Ambr", "Arn",  "Alb",    "Blanz",
                      "Chal",  "Cler",  "Coul", "Flav",  "Ger",   "Jarn", "Laur", "Mess",   "Nanc",
                      "Oll",   "Pont",  "Ros",  "Sorb",  "Thor",  "Vern", "Brev", "Caud"};
const Words kGenericEndings = {"ac",   "ay",  "ey",  "y",     "ieu", "ières", "ille", "ins",
                               "ois",  "on",  "eux", "elles", "ans", "ès",    "igny", "ecy",
                               "ange", "oux", "eil", "erre",  "ou",  "euil",  "ine",  "ont"};
const Words kOccitanEndings = {"ac",  "argues", "ous",    "an",  "ignan", "as",
                               "ens", "ès",     "eilles", "ols", "ière",  "agnac"};
const Words kGermanicEndings = {"heim",  "willer", "ange",   "bach",  "dorf",
                                "court", "ville",  "hoffen", "stein", "ing"};
const Words kNorthernEndings = {"ville", "court",  "hem", "tot",   "bec",
                                "ghem",  "ecques", "ies", "fleur", "inghem"};
const Words kBretonStarts = {"Plou", "Ker", "Lan", "Tré", "Loc",
                             "Pen",  "Plé", "Gui", "Lou", "Pleu"};
const Words kBretonEnds = {"gastel", "nevez", "meur", "vern", "dern", "guen", "ven",   "morvan",
                           "goat",   "ernel", "dour", "hars", "ivy",  "ec",   "arzel", "gonvel"};
const Words kSaints = {"Martin",  "Germain", "Jean",    "Pierre",  "Laurent", "Georges",
                       "Julien",  "Hilaire", "Étienne", "Denis",   "Aubin",   "Vincent",
                       "Sulpice", "Médard",  "Rémy",    "André",   "Paul",    "Michel",
                       "Cyr",     "Maurice", "Léger",   "Privat",  "Genès",   "Ouen",
                       "Brice",   "Amand",   "Nicolas", "Cyprien", "Jacques", "Sauveur"};
const Words kSaintes = {"Marie", "Croix",      "Colombe", "Foy",    "Hélène",    "Radegonde",
                        "Anne",  "Marguerite", "Eulalie", "Cécile", "Geneviève", "Agathe"};
// A river, and its name after "de".
struct River {
  std::string_view name;
  std::string_view of;
};
const std::vector<River> kRivers = {
    {"Loire", "de la Loire"},
    {"Seine", "de la Seine"},
    {"Marne", "de la Marne"},
    {"Garonne", "de la Garonne"},
    {"Rhône", "du Rhône"},
    {"Saône", "de la Saône"},
    {"Dordogne", "de la Dordogne"},
    {"Lot", "du Lot"},
    {"Tarn", "du Tarn"},
    {"Aisne", "de l'Aisne"},
    {"Oise", "de l'Oise"},
    {"Meuse", "de la Meuse"},
    {"Moselle", "de la Moselle"},
    {"Vienne", "de la Vienne"},
    {"Cher", "du Cher"},
    {"Indre", "de l'Indre"},
    {"Allier", "de l'Allier"},
    {"Yonne", "de l'Yonne"},
    {"Aube", "de l'Aube"},
    {"Orne", "de l'Orne"},
    {"Sarthe", "de la Sarthe"},
    {"Mayenne", "de la Mayenne"},
    {"Charente", "de la Charente"},
    {"Isère", "de l'Isère"},
    {"Durance", "de la Durance"},
    {"Ariège", "de l'Ariège"},
    {"Aude", "de l'Aude"},
    {"Hérault", "de l'Hérault"},
    {"Vire", "de la Vire"},
    {"Somme", "de la Somme"},
    {"Eure", "de l'Eure"},
    {"Loir", "du Loir"},
    {"Creuse", "de la Creuse"},
    {"Doubs", "du Doubs"},
    {"Adour", "de l'Adour"},
    {"Gers", "du Gers"},
    {"Ill", "de l'Ill"},
    {"Vilaine", "de la Vilaine"},
    {"Blavet", "du Blavet"},
};
const Words kPays = {"Auge",   "Bresse", "Champagne", "Forez", "Vexin",  "Argonne",
                     "Royans", "Woëvre", "Othe",      "Bray",  "Caux",   "Vercors",
                     "Quercy", "Morvan", "Gâtinais",  "Brie",  "Beauce", "Velay"};
const Words kMasculineQualifiers = {"Château", "Vieux", "Grand", "Haut", "Petit",
                                    "Comte",   "Roi",   "Bois",  "Pin"};
const Words kFeminineQualifiers = {"Forêt",    "Rivière", "Montagne", "Ville",
                                   "Chapelle", "Garenne", "Fontaine"};
const Words kPlurals = {"Essarts", "Mées",   "Loges", "Granges", "Ormes",
                        "Aires",   "Salles", "Baux",  "Riceys",  "Moutiers"};
const Words kTownStarts = {"Villeneuve", "Villefranche", "Neuville", "Châteauneuf", "Beaumont",
                           "Montreuil",  "Fontaine",     "Villers",  "Bourg",       "Mesnil"};
const Words kOverseasFirst = {"Anse",  "Morne",   "Trou", "Fonds",  "Petit",
                              "Grand", "Rivière", "Case", "Pointe", "Bois"};
const Words kOverseasSecond = {"Bourg",    "Carbet",   "Lamentin", "Moule",   "Robert",
                               "Diamant",  "François", "Vauclin",  "Lorrain", "Marin",
                               "Prêcheur", "Gosier",   "Baillif",  "Tampon",  "Piton",
                               "Rouge",    "Vert",     "Pilote",   "Salée",   "Bertrand"};

std::string Join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out.append(part);
  return out;
}

std::string Base(Rng& rng, const Words& endings) {
  std::string_view root = rng.Pick(kRoots), ending = rng.Pick(endings);
  if (root.back() == ending.front()) ending.remove_prefix(1);  // "Ribb" + "bec": "Ribbec"
  return Join({root, ending});
}

std::string RegionalBase(Rng& rng, NameFlavour flavour) {
  switch (flavour) {
    case NameFlavour::kBreton:
      if (rng.Chance(0.6)) return Join({rng.Pick(kBretonStarts), rng.Pick(kBretonEnds)});
      return Base(rng, kGenericEndings);
    case NameFlavour::kGermanic:
      return Base(rng, rng.Chance(0.6) ? kGermanicEndings : kGenericEndings);
    case NameFlavour::kOccitan:
      return Base(rng, rng.Chance(0.7) ? kOccitanEndings : kGenericEndings);
    case NameFlavour::kNorthern:
      return Base(rng, rng.Chance(0.6) ? kNorthernEndings : kGenericEndings);
    default:
      return Base(rng, kGenericEndings);
  }
}

std::string Saint(Rng& rng) {
  return rng.Chance(0.75) ? Join({"Saint-", rng.Pick(kSaints)})
                          : Join({"Sainte-", rng.Pick(kSaintes)});
}

std::string OverseasPlace(Rng& rng) {
  double u = rng.Uniform();
  if (u < 0.25) return Saint(rng);
  if (u < 0.45) return Join({rng.Chance(0.5) ? "Le " : "Les ", rng.Pick(kOverseasSecond)});
  return Join({rng.Pick(kOverseasFirst), "-", rng.Pick(kOverseasSecond)});
}

bool StartsWithVowel(std::string_view s) {
  static const Words kVowels = {"A", "E", "I", "O", "U", "Y", "É",
                                "È", "Ê", "Î", "Ô", "Â", "Ï", "Œ"};
  for (std::string_view v : kVowels) {
    if (s.substr(0, v.size()) == v) return true;
  }
  return false;
}

std::string Capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

struct ForeignWords {
  Words leads;  // optional first word, "Sidi", "Beit", "San"
  double lead_chance;
  std::string_view lead_joiner;
  Words first;  // first syllable, capitalizable (ASCII first letter)
  Words next;   // following syllables
  int min_syllables;
  int max_syllables;
  std::vector<std::pair<std::string_view, double>> kinds;  // "Commune" and its share
};

const ForeignWords& WordsFor(PartnerStyle style) {
  static const ForeignWords kSahel = {
      {},
      0.0,
      " ",
      {"ba",  "bo", "di", "dia", "dou", "fa", "ga",  "gou", "ka", "kan", "ko", "kou", "ma",
       "man", "na", "ni", "sa",  "sé",  "ta", "tam", "to",  "ya", "za",  "ti", "lo"},
      {"ba", "bo", "bou", "di", "dou", "fa", "ga", "ka", "ko", "kou", "la", "ma", "mo", "na",
       "ni", "ou", "ra",  "sa", "sé",  "so", "ta", "to", "ya", "dé",  "go", "ro", "li"},
      2,
      3,
      {{"Commune", 0.75}, {"Commune rurale", 0.1}, {"Région", 0.08}, {"Ville", 0.07}}};
  static const ForeignWords kMaghreb = {
      {"Aïn", "Sidi", "Oued", "Ben", "Bou", "El", "Ksar", "Douar"},
      0.35,
      " ",
      {"ka", "ra", "ma", "za", "tou", "fes", "bou", "ja", "dir", "ghar", "mel", "sa", "ha", "te",
       "sla", "mek", "ouj", "dah", "tan"},
      {"ka", "ra", "ma", "za", "ne", "al", "ja", "dir", "ghar", "mel", "sa", "ha", "te", "nès",
       "ine", "ane", "et", "ouane"},
      2,
      3,
      {{"Commune", 0.85}, {"Municipalité", 0.05}, {"Province", 0.05}, {"Région", 0.05}}};
  static const ForeignWords kLevant = {
      {"Beit", "Deir", "Kfar", "Bir", "Tell", "Ras", "Jabal", "Bani"},
      0.45,
      " ",
      {"ja", "ba", "ra", "na", "ta", "sha", "ma", "ka", "li", "ya", "hal", "sal", "qar", "zah",
       "bey", "sai"},
      {"ja", "ba", "ra", "na", "ta", "sha", "ma", "ka", "li", "ya", "oun", "ed", "hal", "sal",
       "qar", "zah", "lé", "rout", "dah"},
      2,
      3,
      {{"Municipalité", 0.8}, {"Fédération des municipalités", 0.1}, {"Ville", 0.1}}};
  static const ForeignWords kMalagasy = {
      {},
      0.0,
      " ",
      {"Ambo", "Anta", "Ambato", "Ampa", "Fia", "Anka", "Mahi", "ma", "ta", "va", "fa", "ha", "ra",
       "to", "mi", "sa"},
      {"na", "tra", "ka", "ra", "ndro", "mi", "si", "va", "to", "la", "ha", "ri", "mbo", "zo", "ny",
       "vo"},
      2,
      4,
      {{"Commune urbaine", 0.3}, {"Commune rurale", 0.5}, {"Région", 0.2}}};
  static const ForeignWords kEastAsian = {
      {"Thanh", "Quang", "Binh", "Long", "Ninh", "Phu", "Tan", "Hai", "Vinh", "Bac", "Cao", "Tay",
       "Da"},
      1.0,
      " ",
      {"hoa", "an", "duong", "nam", "lam", "dong", "son", "giang", "ha", "kien", "tra", "hue",
       "nang", "thuan", "yen"},
      {},
      1,
      1,
      {{"Province", 0.5}, {"Ville", 0.5}}};
  static const ForeignWords kLatin = {{"San", "Santa", "Villa", "Puerto", "Santo", "Nueva", "Río"},
                                      0.3,
                                      " ",
                                      {"ca", "ra", "lo", "mi", "ta", "gua", "ba", "to", "la", "co",
                                       "sa", "pe", "mar", "ma", "chi", "que"},
                                      {"ca", "ra", "lo", "mi", "ta", "gua", "ba", "to", "la", "co",
                                       "sa", "rio", "pe", "ma", "ya", "ro", "ne", "no", "lla"},
                                      2,
                                      3,
                                      {{"Municipalité", 0.7}, {"Province", 0.15}, {"Ville", 0.15}}};
  static const ForeignWords kCreole = {{"Anse-à", "Morne", "Trou-du", "Fonds", "Port", "Cap",
                                        "Grand", "Petit", "Croix-des", "Pointe", "Saint"},
                                       1.0,
                                       "-",
                                       {"rouge", "blanc", "bleu", "raquette", "salut", "limbé",
                                        "cayes", "palmes", "roseaux", "bois", "sable", "verrettes"},
                                       {},
                                       1,
                                       1,
                                       {{"Commune", 0.9}, {"Ville", 0.1}}};
  static const ForeignWords kEuropean = {
      {},
      0.0,
      " ",
      {"Ber", "Gor", "Nov", "Kras", "Lud", "Mar", "Sal", "Tor", "Vel", "Ost",
       "Alt", "Zag", "Plo", "Hel",  "Kal", "Bra", "Dub", "Rad", "Sev", "Wal"},
      {"stadt", "berg", "ov", "ice", "ano", "ova", "ing", "ton", "feld", "burg", "ia", "ello",
       "ach", "witz", "ovo", "ham", "sk", "ena"},
      2,
      2,
      {{"Ville", 0.7}, {"Région", 0.15}, {"Municipalité", 0.15}}};
  switch (style) {
    case PartnerStyle::kSahel:
      return kSahel;
    case PartnerStyle::kMaghreb:
      return kMaghreb;
    case PartnerStyle::kLevant:
      return kLevant;
    case PartnerStyle::kMalagasy:
      return kMalagasy;
    case PartnerStyle::kEastAsian:
      return kEastAsian;
    case PartnerStyle::kLatin:
      return kLatin;
    case PartnerStyle::kCreole:
      return kCreole;
    case PartnerStyle::kEuropean:
      return kEuropean;
  }
  return kSahel;
}

std::string ForeignPlace(Rng& rng, const ForeignWords& words) {
  std::string word = Capitalized(std::string(rng.Pick(words.first)));
  int syllables = rng.Between(words.min_syllables, words.max_syllables);
  for (int i = 1; i < syllables; ++i) word.append(rng.Pick(words.next));
  if (!words.leads.empty() && rng.Chance(words.lead_chance)) {
    return Join({rng.Pick(words.leads), words.lead_joiner, word});
  }
  return word;
}

}  // namespace

std::string De(std::string_view name) {
  if (name.substr(0, 3) == "Le ") return Join({"du ", name.substr(3)});
  if (name.substr(0, 4) == "Les ") return Join({"des ", name.substr(4)});
  if (StartsWithVowel(name)) return Join({"d'", name});
  return Join({"de ", name});
}

std::string FrenchPlace(Rng& rng, NameFlavour flavour) {
  if (flavour == NameFlavour::kOverseas) return OverseasPlace(rng);
  double u = rng.Uniform();
  if (u < 0.40) return RegionalBase(rng, flavour);
  if (u < 0.52) return Saint(rng);
  if (u < 0.63) return Join({RegionalBase(rng, flavour), "-sur-", rng.Pick(kRivers).name});
  if (u < 0.68) return Join({RegionalBase(rng, flavour), "-en-", rng.Pick(kPays)});
  if (u < 0.74) {
    return rng.Chance(0.6)
               ? Join({RegionalBase(rng, flavour), "-le-", rng.Pick(kMasculineQualifiers)})
               : Join({RegionalBase(rng, flavour), "-la-", rng.Pick(kFeminineQualifiers)});
  }
  if (u < 0.80) {
    double v = rng.Uniform();
    if (v < 0.4) return Join({Saint(rng), "-de-", RegionalBase(rng, flavour)});
    if (v < 0.8) return Join({Saint(rng), "-sur-", rng.Pick(kRivers).name});
    return Join({Saint(rng), "-du-Bois"});
  }
  if (u < 0.88) {
    double v = rng.Uniform();
    if (v < 0.35) return Join({"La Chapelle-", RegionalBase(rng, flavour)});
    if (v < 0.6) return Join({"Le Mesnil-", RegionalBase(rng, flavour)});
    if (v < 0.8) return Join({"Les ", rng.Pick(kPlurals)});
    return Join({"La Ferté-", RegionalBase(rng, flavour)});
  }
  if (u < 0.95) {
    double v = rng.Uniform();
    std::string_view start = rng.Pick(kTownStarts);
    if (v < 0.5) return Join({start, "-sur-", rng.Pick(kRivers).name});
    if (v < 0.8) return Join({start, "-lès-", RegionalBase(rng, flavour)});
    return Join({start, "-en-", rng.Pick(kPays)});
  }
  return Join({RegionalBase(rng, flavour), "-lès-", RegionalBase(rng, flavour)});
}

std::string CommuneName(std::string_view place, long long population) {
  return Join({population >= 20000 ? "Ville " : "Commune ", De(place)});
}

std::string EpciName(Rng& rng, NameFlavour flavour, long long population) {
  std::string city =
      flavour == NameFlavour::kOverseas ? OverseasPlace(rng) : RegionalBase(rng, flavour);
  if (population >= 400000) {
    double v = rng.Uniform();
    if (v < 0.4) return Join({city, " Métropole"});
    if (v < 0.8) return Join({"Métropole ", De(city)});
    return Join({"Métropole du Grand ", city});
  }
  if (population >= 250000) {
    return rng.Chance(0.6) ? Join({"Communauté urbaine ", De(city)})
                           : Join({"Communauté urbaine du Grand ", city});
  }
  if (population >= 50000) {
    double v = rng.Uniform();
    if (v < 0.5) return Join({"Communauté d'agglomération ", De(city)});
    if (v < 0.75) return Join({city, " Agglomération"});
    return Join({"Communauté d'agglomération du Pays ", De(city)});
  }
  const auto& river = rng.Pick(kRivers);
  double v = rng.Uniform();
  std::string rest;
  if (v < 0.30)
    rest = Join({"du Pays ", De(city)});
  else if (v < 0.42)
    rest = Join({"du Val ", De(river.name)});
  else if (v < 0.54)
    rest = Join({"de la Vallée ", river.of});
  else if (v < 0.64)
    rest = Join({"des Coteaux ", De(city)});
  else if (v < 0.72)
    rest = Join({"des Portes ", De(city)});
  else if (v < 0.80)
    rest = Join({"des Terres ", De(city)});
  else if (v < 0.88)
    rest = Join({"Cœur ", De(river.name)});
  else if (v < 0.94)
    rest = Join({"du Haut-", river.name});
  else
    rest = Join({"de ", city, "-", RegionalBase(rng, flavour)});
  return Join({"Communauté de communes ", rest});
}

std::string PartnerName(Rng& rng, PartnerStyle style) {
  const ForeignWords& words = WordsFor(style);
  double u = rng.Uniform(), acc = 0.0;
  std::string_view kind = words.kinds.back().first;
  for (const auto& [name, share] : words.kinds) {
    acc += share;
    if (u < acc) {
      kind = name;
      break;
    }
  }
  return Join({kind, " ", De(ForeignPlace(rng, words))});
}

}  // namespace expectmatch::synth::internal
