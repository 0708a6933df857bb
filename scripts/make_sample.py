#!/usr/bin/env python3
"""Writes the EXPE-CT Match sample data set to datasets/sample/.

Deterministic: Python 3 standard library only, one random.Random(20261128), no network, no
dependence on the clock ("today" is fixed at 2026-11-28). Rerunning it rewrites
themes.json, collectivites.json, cooperations.json, missions.json and needs.json with
identical bytes.

The data are fictitious but plausible: real French authorities and real foreign place names,
with labels, cooperation links, past missions and open needs invented for testing. They do
not describe the actual EXPE-CT programme or the actual atlas of decentralised cooperation.

The script checks its own output (ids, references, dates, weights, counts, ISO codes,
non-empty shortlists) with asserts before writing anything, then prints a short summary.
"""
import collections
import datetime as dt
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

SEED = 20261128
TODAY = dt.date(2026, 11, 28)
ISO_3166_JSON = Path("/usr/share/iso-codes/json/iso_3166-1.json")
OUT_DIR = Path(__file__).resolve().parent.parent / "datasets" / "sample"
TAXONOMY_JSON = Path(__file__).resolve().parent.parent / "datasets" / "taxonomy" / "themes.json"

rng = random.Random(SEED)

# --------------------------------------------------------------------------------------------
# Themes: 12 domains, two levels, from the one taxonomy file the synthetic generator also reads
# (datasets/taxonomy/themes.json; its generator-only fields are not written to the sample).
# Sub-theme segments are unique across domains, which lets the tables below name a sub-theme by
# its last segment.
# --------------------------------------------------------------------------------------------
THEMES = [{"id": t["id"], "label": t["label"], "parent": t["parent"]}
          for t in json.loads(TAXONOMY_JSON.read_text(encoding="utf-8"))]
SUB = {}  # last segment -> full sub-theme id
for t in THEMES:
    if t["parent"] is not None:
        dom, seg = t["id"].split(".")
        assert dom == t["parent"], t["id"]
        assert seg not in SUB, seg
        SUB[seg] = t["id"]
SUBTHEMES = [t["id"] for t in THEMES if t["parent"] is not None]


def T(seg):
    return SUB[seg]


def domain_of(theme_id):
    return theme_id.split(".")[0]


# --------------------------------------------------------------------------------------------
# French authorities. Columns: id | name | kind | région | population | languages |
# focus sub-themes (labels are drawn from these, first one always) | focus countries.
# Populations: INSEE legal populations, rounded figures of the early 2020s.
# --------------------------------------------------------------------------------------------
ARA, BFC, BRE, CVL, COR = ("Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne",
                           "Centre-Val de Loire", "Corse")
GE, HDF, IDF, NOR, NA = ("Grand Est", "Hauts-de-France", "Île-de-France", "Normandie",
                         "Nouvelle-Aquitaine")
OCC, PDL, PACA = "Occitanie", "Pays de la Loire", "Provence-Alpes-Côte d'Azur"
GLP, MTQ, GUF, REU, MYT = "Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"
REGIONS = [ARA, BFC, BRE, CVL, COR, GE, HDF, IDF, NOR, NA, OCC, PDL, PACA, GLP, MTQ, GUF, REU,
           MYT]

AUTHORITIES = [
    # Régions (and the two collectivités uniques exercising regional powers)
    ("reg-nouvelle-aquitaine", "Région Nouvelle-Aquitaine", "region", NA, 6033952, "fr en es pt",
     "filieres elevage tourisme energie bati", "SN BF VN MA"),
    ("reg-auvergne-rhone-alpes", "Région Auvergne-Rhône-Alpes", "region", ARA, 8078652, "fr en it",
     "entrepreneuriat filieres tourisme industries_creatives volontariat", "SN TN AM"),
    ("reg-occitanie", "Région Occitanie", "region", OCC, 5973969, "fr en es",
     "irrigation filieres adaptation tourisme", "MA BF TN"),
    ("reg-ile-de-france", "Région Île-de-France", "region", IDF, 12317279, "fr en ar",
     "transports urbanisme administration ressources_humaines", "LB VN MG SN"),
    ("reg-bretagne", "Région Bretagne", "region", BRE, 3373835, "fr en",
     "filieres securite_alimentaire gouvernance ess volontariat", "ML SN BF"),
    ("reg-hauts-de-france", "Région Hauts-de-France", "region", HDF, 5997734, "fr en",
     "entrepreneuriat insertion filieres energie", "ML BF"),
    ("reg-grand-est", "Région Grand Est", "region", GE, 5561287, "fr de en",
     "energie entrepreneuriat volontariat", "ML SN UA"),
    ("reg-pays-de-la-loire", "Région Pays de la Loire", "region", PDL, 3832120, "fr en",
     "filieres insertion egalite volontariat", "ML SN MA"),
    ("reg-sud-paca", "Région Sud Provence-Alpes-Côte d'Azur", "region", PACA, 5098666,
     "fr en it ar", "tourisme adaptation biodiversite secours", "TN LB MA DZ"),
    ("reg-la-reunion", "Région Réunion", "region", REU, 871157, "fr en",
     "energie adaptation tourisme catastrophes irrigation", "MG KM"),
    ("reg-guyane", "Collectivité territoriale de Guyane", "region", GUF, 286618, "fr pt es",
     "biodiversite acces_soins filieres", "BR"),
    # Départements
    ("dep-ille-et-vilaine", "Département d'Ille-et-Vilaine", "departement", BRE, 1079498, "fr en",
     "securite_alimentaire maternelle egalite gouvernance", "ML"),
    ("dep-finistere", "Département du Finistère", "departement", BRE, 915090, "fr en",
     "eau elevage ess", "SN ML"),
    ("dep-gironde", "Département de la Gironde", "departement", NA, 1623749, "fr en es",
     "eau gouvernance insertion administration finances_locales", "SN BF"),
    ("dep-herault", "Département de l'Hérault", "departement", OCC, 1175623, "fr es en ar",
     "irrigation filieres eau", "MA TN"),
    ("dep-haute-garonne", "Département de la Haute-Garonne", "departement", OCC, 1415757,
     "fr es en", "securite_alimentaire acces_soins egalite hygiene", "BF BJ"),
    ("dep-seine-saint-denis", "Département de la Seine-Saint-Denis", "departement", IDF, 1655422,
     "fr en ar pt", "insertion egalite pour_tous lecture_publique equipements", "ML PS VN"),
    ("dep-val-de-marne", "Département du Val-de-Marne", "departement", IDF, 1407972, "fr en ar",
     "egalite maternelle transports acces_soins", "PS VN DZ"),
    ("dep-nord", "Département du Nord", "departement", HDF, 2608346, "fr en",
     "gouvernance maternelle insertion", "BF MG PL"),
    ("dep-isere", "Département de l'Isère", "departement", ARA, 1271166, "fr en it",
     "eau biodiversite inondations tourisme", "BF AM TN"),
    ("dep-cote-d-or", "Département de la Côte-d'Or", "departement", BFC, 534124, "fr en de",
     "filieres elevage marches bati", "ML"),
    ("dep-loire-atlantique", "Département de Loire-Atlantique", "departement", PDL, 1429272,
     "fr en", "eau insertion ess", "ML MA"),
    ("dep-meurthe-et-moselle", "Département de Meurthe-et-Moselle", "departement", GE, 733760,
     "fr de en", "acces_soins insertion habitat", "HT CM"),
    ("dep-guadeloupe", "Département de la Guadeloupe", "departement", GLP, 384315, "fr en es",
     "catastrophes secours maternelle", "HT CU"),
    ("dep-mayotte", "Département de Mayotte", "departement", MYT, 256518, "fr sw",
     "maternelle etat_civil hygiene adressage", "KM MG"),
    ("dep-indre-et-loire", "Département d'Indre-et-Loire", "departement", CVL, 610079, "fr en",
     "bati tourisme archives", "BF MG"),
    ("dep-manche", "Département de la Manche", "departement", NOR, 495045, "fr en",
     "elevage filieres secours", "SN BJ"),
    # Communes: large cities, medium towns, small towns, overseas
    ("com-paris", "Ville de Paris", "commune", IDF, 2133111, "fr en es ar",
     "urbanisme eau evenements administration etat_civil", "LB VN MA TN PS JP"),
    ("com-lyon", "Ville de Lyon", "commune", ARA, 522250, "fr en ar",
     "spectacle_vivant bati urbanisme lecture_publique", "BJ LB VN AM"),
    ("com-marseille", "Ville de Marseille", "commune", PACA, 873076, "fr en ar",
     "bati musees adaptation tourisme", "DZ TN MA LB"),
    ("com-toulouse", "Ville de Toulouse", "commune", OCC, 504078, "fr en es",
     "donnees transports industries_creatives evenements administration", "CL MA SN VN"),
    ("com-nantes", "Ville de Nantes", "commune", PDL, 323204, "fr en",
     "participation egalite spectacle_vivant", "SN PS"),
    ("com-bordeaux", "Ville de Bordeaux", "commune", NA, 261804, "fr en es",
     "bati tourisme spectacle_vivant", "ML BF VN"),
    ("com-lille", "Ville de Lille", "commune", HDF, 236710, "fr en ar",
     "lecture_publique egalite participation pour_tous", "SN PS TN"),
    ("com-strasbourg", "Ville de Strasbourg", "commune", GE, 291313, "fr de en",
     "gouvernance spectacle_vivant participation etat_civil finances_locales", "UA MA MD"),
    ("com-rennes", "Ville de Rennes", "commune", BRE, 222485, "fr en",
     "participation inclusion lecture_publique", "SN DZ"),
    ("com-grenoble", "Ville de Grenoble", "commune", ARA, 156107, "fr en it",
     "energie participation adaptation", "TN BF PS"),
    ("com-montpellier", "Ville de Montpellier", "commune", OCC, 302454, "fr en es ar",
     "adaptation biodiversite spectacle_vivant", "MA PS"),
    ("com-dijon", "Ville de Dijon", "commune", BFC, 159346, "fr en de",
     "filieres bati tourisme marches", "BF ML"),
    ("com-besancon", "Ville de Besançon", "commune", BFC, 119198, "fr en de",
     "eau securite_alimentaire", "BF"),
    ("com-orleans", "Ville d'Orléans", "commune", CVL, 116344, "fr en",
     "immateriel musees", "BJ"),
    ("com-tours", "Ville de Tours", "commune", CVL, 136463, "fr en",
     "musees bati", "LA CN"),
    ("com-ajaccio", "Ville d'Ajaccio", "commune", COR, 71361, "fr it en",
     "bati tourisme", "MA"),
    ("com-bastia", "Ville de Bastia", "commune", COR, 48503, "fr it",
     "immateriel spectacle_vivant", "TN"),
    ("com-fort-de-france", "Ville de Fort-de-France", "commune", MTQ, 76512, "fr en es",
     "catastrophes urbanisme habitat", "HT CU"),
    ("com-cayenne", "Ville de Cayenne", "commune", GUF, 63468, "fr pt es",
     "habitat hygiene adressage", "BR"),
    ("com-saint-denis-reunion", "Ville de Saint-Denis (La Réunion)", "commune", REU, 153810,
     "fr en", "dechets habitat etat_civil hygiene", "MG KM"),
    ("com-pointe-a-pitre", "Ville de Pointe-à-Pitre", "commune", GLP, 15181, "fr es en",
     "habitat immateriel", "HT"),
    ("com-mamoudzou", "Commune de Mamoudzou", "commune", MYT, 71437, "fr sw",
     "etat_civil adressage hygiene foncier", "KM"),
    ("com-villeurbanne", "Ville de Villeurbanne", "commune", ARA, 156928, "fr en ar",
     "insertion pour_tous equipements etat_civil", "BF"),
    ("com-figeac", "Ville de Figeac", "commune", OCC, 9811, "fr en",
     "archives bati", "BF"),
    ("com-lectoure", "Commune de Lectoure", "commune", OCC, 3668, "fr",
     "filieres securite_alimentaire marches", "BF"),
    ("com-riberac", "Commune de Ribérac", "commune", NA, 4005, "fr",
     "eau marches", "SN"),
    ("com-pontivy", "Ville de Pontivy", "commune", BRE, 15027, "fr en",
     "ess elevage", "ML"),
    ("com-tulle", "Ville de Tulle", "commune", NA, 14811, "fr",
     "immateriel lecture_publique", "BF"),
    ("com-saint-die-des-vosges", "Ville de Saint-Dié-des-Vosges", "commune", GE, 19398, "fr de",
     "foncier adressage", "BJ"),
    ("com-amiens", "Ville d'Amiens", "commune", HDF, 133625, "fr en",
     "bati pour_tous equipements", "MA"),
    ("com-cherbourg-en-cotentin", "Ville de Cherbourg-en-Cotentin", "commune", NOR, 78549,
     "fr en", "secours dechets", "ML"),
    # EPCI
    ("epci-bordeaux-metropole", "Bordeaux Métropole", "epci", NA, 819604, "fr en es",
     "eau transports dechets", "BF ML VN"),
    ("epci-metropole-de-lyon", "Métropole de Lyon", "epci", ARA, 1424069, "fr en ar",
     "eau dechets urbanisme foncier", "BF BJ VN LB MG"),
    ("epci-toulouse-metropole", "Toulouse Métropole", "epci", OCC, 807272, "fr en es",
     "transports adressage donnees administration", "SN VN"),
    ("epci-nantes-metropole", "Nantes Métropole", "epci", PDL, 683056, "fr en",
     "eau dechets ess", "SN"),
    ("epci-rennes-metropole", "Rennes Métropole", "epci", BRE, 465692, "fr en",
     "dechets urbanisme foncier inclusion", "SN DZ"),
    ("epci-metropole-europeenne-de-lille", "Métropole européenne de Lille", "epci", HDF,
     1188617, "fr en nl", "transports eau inondations", "SN PS"),
    ("epci-eurometropole-de-strasbourg", "Eurométropole de Strasbourg", "epci", GE, 509282,
     "fr de en", "eau transports energie", "MA UA"),
    ("epci-grenoble-alpes-metropole", "Grenoble-Alpes Métropole", "epci", ARA, 449390, "fr en it",
     "eau energie adaptation", "TN BF"),
    ("epci-metropole-rouen-normandie", "Métropole Rouen Normandie", "epci", NOR, 494382, "fr en",
     "eau dechets inondations", "SN MG"),
    ("epci-aix-marseille-provence", "Métropole d'Aix-Marseille-Provence", "epci", PACA, 1903173,
     "fr en ar", "transports dechets secours", "MA TN DZ LB"),
    ("epci-cu-dunkerque", "Communauté urbaine de Dunkerque", "epci", HDF, 193350, "fr en nl",
     "energie entrepreneuriat", "SN"),
    ("epci-ca-cap-excellence", "Communauté d'agglomération Cap Excellence", "epci", GLP, 97600,
     "fr es en", "eau dechets", "HT"),
    ("epci-cc-grand-figeac", "Communauté de communes du Grand-Figeac", "epci", OCC, 43300, "fr",
     "filieres tourisme marches", "ML BF"),
    ("epci-lorient-agglomeration", "Lorient Agglomération", "epci", BRE, 203200, "fr en",
     "eau dechets", "BF"),
    ("epci-ca-espace-sud-martinique", "Communauté d'agglomération de l'Espace Sud Martinique",
     "epci", MTQ, 117100, "fr es en", "tourisme biodiversite", "HT CU"),
    # Associations of elected officials (population omitted)
    ("asso-cites-unies-france", "Cités Unies France", "association", IDF, None, "fr en es ar",
     "gouvernance intercommunalite finances_locales", "LB UA"),
    ("asso-amf", "Association des maires de France et des présidents d'intercommunalité",
     "association", IDF, None, "fr en", "gouvernance etat_civil ressources_humaines", "SN"),
    ("asso-regions-de-france", "Régions de France", "association", IDF, None, "fr en",
     "gouvernance finances_locales", ""),
    ("asso-departements-de-france", "Départements de France", "association", IDF, None, "fr en",
     "ressources_humaines gouvernance", ""),
    ("asso-france-urbaine", "France Urbaine", "association", IDF, None, "fr en",
     "urbanisme transports finances_locales", "VN"),
    ("asso-amrf", "Association des maires ruraux de France", "association", ARA, None, "fr",
     "intercommunalite gouvernance", "BF"),
    ("asso-intercommunalites-de-france", "Intercommunalités de France", "association", IDF, None,
     "fr en", "intercommunalite finances_locales", "TN"),
    ("asso-afccre", "Association française du Conseil des Communes et Régions d'Europe",
     "association", CVL, None, "fr en de", "gouvernance participation", "UA MD"),
]

# --------------------------------------------------------------------------------------------
# Foreign partners per country ("slug|name"). Partners named by open needs come first, so
# they are placed early and are most likely to be shared by several French authorities.
# --------------------------------------------------------------------------------------------
POOLS = {
    "SN": "podor|Commune de Podor; saint-louis|Ville de Saint-Louis; ziguinchor|Ville de Ziguinchor;"
          " dakar|Ville de Dakar; louga|Commune de Louga; rufisque|Ville de Rufisque;"
          " thies|Ville de Thiès; matam|Commune de Matam; bakel|Département de Bakel;"
          " fatick|Commune de Fatick; kaolack|Commune de Kaolack;"
          " tambacounda|Commune de Tambacounda; dagana|Commune de Dagana;"
          " sedhiou|Commune de Sédhiou; mbour|Commune de Mbour; bignona|Département de Bignona",
    "ML": "segou|Commune de Ségou; bamako|District de Bamako; kayes|Commune de Kayes;"
          " mopti|Commune de Mopti; tombouctou|Commune urbaine de Tombouctou;"
          " sikasso|Commune de Sikasso; koulikoro|Commune de Koulikoro; kita|Commune de Kita;"
          " nioro-du-sahel|Commune de Nioro du Sahel; bandiagara|Commune de Bandiagara;"
          " djenne|Commune de Djenné; yelimane|Commune de Yélimané; diema|Commune de Diéma;"
          " koutiala|Commune de Koutiala; region-kayes|Conseil régional de Kayes;"
          " bougouni|Commune de Bougouni; gao|Commune de Gao",
    "BF": "ouagadougou|Commune de Ouagadougou; bobo-dioulasso|Commune de Bobo-Dioulasso;"
          " koudougou|Commune de Koudougou; fada-n-gourma|Commune de Fada N'Gourma;"
          " ouahigouya|Commune de Ouahigouya; kaya|Commune de Kaya;"
          " tenkodogo|Commune de Tenkodogo; dedougou|Commune de Dédougou;"
          " banfora|Commune de Banfora; gaoua|Commune de Gaoua; dori|Commune de Dori;"
          " ziniare|Commune de Ziniaré; hounde|Commune de Houndé; douroula|Commune de Douroula;"
          " leo|Commune de Léo; region-centre-nord|Conseil régional du Centre-Nord;"
          " boromo|Commune de Boromo",
    "MA": "chefchaouen|Commune de Chefchaouen; region-oriental|Région de l'Oriental;"
          " fes|Commune de Fès; marrakech|Commune de Marrakech; agadir|Commune d'Agadir;"
          " essaouira|Commune d'Essaouira; region-souss-massa|Région Souss-Massa;"
          " tanger|Commune de Tanger; meknes|Commune de Meknès;"
          " ouarzazate|Commune d'Ouarzazate; tetouan|Commune de Tétouan; figuig|Commune de Figuig",
    "TN": "sfax|Commune de Sfax; sousse|Commune de Sousse; kairouan|Commune de Kairouan;"
          " bizerte|Commune de Bizerte; tunis|Commune de Tunis; monastir|Commune de Monastir;"
          " gabes|Commune de Gabès; medenine|Commune de Médenine; tozeur|Commune de Tozeur",
    "LB": "byblos|Municipalité de Byblos;"
          " chouf-souayjani|Union des municipalités du Chouf Souayjani;"
          " tripoli|Municipalité de Tripoli; saida|Municipalité de Saïda; tyr|Municipalité de Tyr;"
          " baalbek|Municipalité de Baalbek; beyrouth|Municipalité de Beyrouth;"
          " zahle|Municipalité de Zahlé; jezzine|Union des municipalités de Jezzine",
    "MG": "antsirabe|Commune urbaine d'Antsirabe; mahajanga|Commune urbaine de Mahajanga;"
          " fianarantsoa|Commune urbaine de Fianarantsoa; atsinanana|Région Atsinanana;"
          " haute-matsiatra|Région Haute Matsiatra; toamasina|Commune urbaine de Toamasina;"
          " antananarivo|Commune urbaine d'Antananarivo; toliara|Commune urbaine de Toliara;"
          " diana|Région Diana; tolagnaro|Commune urbaine de Tolagnaro",
    "BJ": "porto-novo|Ville de Porto-Novo; abomey|Commune d'Abomey; ouidah|Commune de Ouidah;"
          " cotonou|Ville de Cotonou; parakou|Ville de Parakou; djougou|Commune de Djougou;"
          " natitingou|Commune de Natitingou; lokossa|Commune de Lokossa;"
          " bohicon|Commune de Bohicon; grand-popo|Commune de Grand-Popo",
    "VN": "hue|Ville de Hué; da-nang|Ville de Da Nang; hanoi|Ville de Hanoï;"
          " ho-chi-minh-ville|Ville de Hô Chi Minh-Ville; lao-cai|Province de Lao Cai;"
          " vinh-phuc|Province de Vinh Phuc; quang-nam|Province de Quang Nam;"
          " haiphong|Ville de Haiphong; lam-dong|Province de Lam Dong",
    "PS": "bethleem|Municipalité de Bethléem; naplouse|Municipalité de Naplouse;"
          " jericho|Municipalité de Jéricho; hebron|Municipalité d'Hébron;"
          " ramallah|Municipalité de Ramallah; beit-sahour|Municipalité de Beit Sahour;"
          " jenine|Municipalité de Jénine; qalqilya|Municipalité de Qalqilya",
    "NE": "niamey|Ville de Niamey; tahoua|Conseil régional de Tahoua; agadez|Commune d'Agadez;"
          " maradi|Commune de Maradi; dosso|Commune de Dosso",
    "CM": "dschang|Commune de Dschang; douala|Communauté urbaine de Douala;"
          " foumban|Commune de Foumban; kribi|Commune de Kribi;"
          " bafoussam|Communauté urbaine de Bafoussam",
    "CI": "grand-bassam|Commune de Grand-Bassam; abidjan|District autonome d'Abidjan;"
          " korhogo|Commune de Korhogo; yamoussoukro|District autonome de Yamoussoukro;"
          " man|Commune de Man",
    "TG": "kpalime|Commune de Kpalimé; sokode|Commune de Sokodé;"
          " grand-lome|District autonome du Grand Lomé; kara|Commune de Kara;"
          " aneho|Commune d'Aného",
    "HT": "jacmel|Commune de Jacmel; cap-haitien|Commune du Cap-Haïtien;"
          " jeremie|Commune de Jérémie; les-cayes|Commune des Cayes;"
          " saint-marc|Commune de Saint-Marc; port-de-paix|Commune de Port-de-Paix",
    "DZ": "oran|Commune d'Oran; setif|Commune de Sétif; tlemcen|Commune de Tlemcen;"
          " constantine|Commune de Constantine; annaba|Commune d'Annaba",
    "MR": "nouakchott|Région de Nouakchott; rosso|Commune de Rosso; selibaby|Commune de Sélibaby;"
          " atar|Commune d'Atar; nouadhibou|Commune de Nouadhibou",
    "GN": "kindia|Commune urbaine de Kindia; labe|Commune urbaine de Labé;"
          " kankan|Commune urbaine de Kankan; mamou|Commune urbaine de Mamou",
    "KH": "siem-reap|Province de Siem Reap; phnom-penh|Municipalité de Phnom Penh;"
          " battambang|Province de Battambang; kampot|Province de Kampot",
    "LA": "luang-prabang|Province de Luang Prabang; vientiane|Capitale de Vientiane;"
          " champassak|Province de Champassak",
    "AM": "erevan|Ville d'Erevan; lori|Province de Lori; syunik|Province de Syunik;"
          " vanadzor|Ville de Vanadzor; goris|Ville de Goris",
    "GE": "tbilissi|Ville de Tbilissi; koutaissi|Ville de Koutaïssi",
    "UA": "tchernihiv|Ville de Tchernihiv; lviv|Ville de Lviv; odessa|Ville d'Odessa;"
          " kharkiv|Ville de Kharkiv; boutcha|Ville de Boutcha",
    "MD": "chisinau|Ville de Chisinau; cahul|Ville de Cahul",
    "RO": "cluj-napoca|Ville de Cluj-Napoca; iasi|Ville de Iasi; timisoara|Ville de Timisoara;"
          " sibiu|Département de Sibiu",
    "PL": "cracovie|Ville de Cracovie; basse-silesie|Voïvodie de Basse-Silésie;"
          " poznan|Ville de Poznan",
    "CA": "quebec|Ville de Québec; montreal|Ville de Montréal; sherbrooke|Ville de Sherbrooke;"
          " trois-rivieres|Ville de Trois-Rivières",
    "BR": "belo-horizonte|Ville de Belo Horizonte; amapa|État de l'Amapá;"
          " curitiba|Ville de Curitiba; porto-alegre|Ville de Porto Alegre;"
          " oiapoque|Municipalité d'Oiapoque",
    "CL": "valparaiso|Ville de Valparaíso; concepcion|Ville de Concepción;"
          " biobio|Région du Biobío",
    "CO": "medellin|Ville de Medellín; bogota|District de Bogotá",
    "MX": "oaxaca|Ville d'Oaxaca; guadalajara|Ville de Guadalajara",
    "JP": "kyoto|Ville de Kyoto; kanazawa|Ville de Kanazawa; chiba|Préfecture de Chiba",
    "CN": "wuhan|Ville de Wuhan; chengdu|Ville de Chengdu; shaanxi|Province du Shaanxi;"
          " canton|Ville de Canton; shanghai|Ville de Shanghai",
    "IN": "pondichery|Territoire de Pondichéry; chandigarh|Ville de Chandigarh",
    "IL": "haifa|Ville de Haïfa; beer-sheva|Ville de Beer-Sheva",
    "JO": "madaba|Municipalité de Madaba; salt|Municipalité de Salt",
    "KM": "anjouan|Île autonome d'Anjouan; moroni|Commune de Moroni;"
          " mutsamudu|Commune de Mutsamudu; fomboni|Commune de Fomboni",
    "TD": "ndjamena|Commune de N'Djaména; moundou|Commune de Moundou",
    "CG": "brazzaville|Ville de Brazzaville; pointe-noire|Ville de Pointe-Noire",
    "CD": "kinshasa|Ville de Kinshasa; lubumbashi|Ville de Lubumbashi",
    "GH": "kumasi|Assemblée métropolitaine de Kumasi",
    "RW": "huye|District de Huye; musanze|District de Musanze",
    "CU": "santiago-de-cuba|Province de Santiago de Cuba; la-havane|Ville de La Havane",
}

# Relative weight of each country in the cooperation links (shape of the real atlas).
COUNTRY_WEIGHTS = {
    "ML": 28, "BF": 28, "SN": 28,
    "MA": 15, "MG": 14, "TN": 13, "LB": 13, "BJ": 13, "VN": 13, "PS": 12,
    "HT": 8, "CM": 6, "CI": 6, "TG": 6, "BR": 6, "NE": 5, "DZ": 5, "MR": 5, "AM": 5, "CA": 5,
    "CN": 5, "KM": 5, "GN": 4, "KH": 4, "UA": 4, "RO": 4, "LA": 3, "PL": 3, "CL": 3, "JP": 3,
    "GE": 2, "MD": 2, "CO": 2, "MX": 2, "IN": 2, "IL": 2, "JO": 2, "TD": 2, "CG": 2, "CD": 2,
    "RW": 2, "CU": 2, "GH": 1,
}
# Earliest plausible start of a link with some countries.
MIN_SINCE_YEAR = {"UA": 2022, "MD": 2014, "PS": 1995, "VN": 1990, "KH": 1994, "LA": 1995,
                  "AM": 1993, "GE": 1995, "PL": 1991, "RO": 1990, "CN": 1992, "CU": 1998}

# Themes commonly found in decentralised cooperation, for links outside an authority's focus.
COMMON_THEMES = [
    ("eau", 10), ("gouvernance", 9), ("etat_civil", 5), ("finances_locales", 5),
    ("securite_alimentaire", 5), ("filieres", 5), ("dechets", 5), ("bati", 4), ("tourisme", 4),
    ("maternelle", 4), ("acces_soins", 4), ("insertion", 4), ("egalite", 4), ("urbanisme", 4),
    ("energie", 3), ("adaptation", 3), ("spectacle_vivant", 3), ("lecture_publique", 3),
    ("irrigation", 3), ("immateriel", 2), ("ess", 2), ("volontariat", 2), ("participation", 2),
    ("foncier", 2), ("habitat", 2), ("biodiversite", 2), ("hygiene", 2), ("pour_tous", 2),
    ("entrepreneuriat", 2), ("transports", 2), ("adressage", 1), ("administration", 1),
    ("catastrophes", 1), ("musees", 1), ("elevage", 1), ("marches", 1),
]

# --------------------------------------------------------------------------------------------
# Needs relayed by embassies. Partner: "key" of the country's pool (gets an id) or "=Name" for
# an authority with no cooperation link (name only). status "a": assigned, else open.
# --------------------------------------------------------------------------------------------
NEEDS = [
    ("SN", "podor", "eau:0.7 irrigation:0.3", "fr", 2, "",
     "La commune de Podor souhaite réaliser un diagnostic de son réseau d'adduction d'eau "
     "potable, dont les pertes sont estimées à près de 40 %. Elle sollicite l'appui d'une "
     "collectivité française pour hiérarchiser les travaux de réhabilitation et préparer un "
     "dossier de financement. Un second volet porte sur l'irrigation des périmètres maraîchers "
     "situés en bordure du fleuve."),
    ("SN", "saint-louis", "bati:0.6 tourisme:0.4", "fr", 2, "",
     "La Ville de Saint-Louis, dont l'île est inscrite au patrimoine mondial, veut mettre à jour "
     "son plan de sauvegarde et de mise en valeur. L'expertise attendue porte sur la méthode "
     "d'inventaire des façades menacées d'effondrement et sur l'articulation entre protection "
     "du bâti et stratégie touristique municipale."),
    ("SN", "=Commune de Richard-Toll", "dechets:1", "fr", 2, "",
     "En forte croissance autour de l'agro-industrie sucrière, la commune de Richard-Toll ne "
     "dispose d'aucun schéma de collecte des ordures ménagères. Elle demande un accompagnement "
     "pour dimensionner un service de pré-collecte par charrettes et choisir le site d'une "
     "décharge contrôlée. Les élus attendent aussi des conseils sur la tarification du service."),
    ("SN", "ziguinchor", "etat_civil:0.5 administration:0.5", "fr", 1, "",
     "Le centre principal d'état civil de Ziguinchor engage la numérisation de ses registres de "
     "naissance tenus depuis 1960. La Ville recherche un appui méthodologique pour organiser la "
     "saisie, sécuriser les données et former une dizaine d'agents à l'outil retenu."),
    ("SN", "=Commune de Kédougou", "insertion:0.6 entrepreneuriat:0.4", "fr", 2, "",
     "La commune de Kédougou souhaite structurer un dispositif d'accueil et d'orientation des "
     "jeunes sans emploi, aujourd'hui attirés par l'orpaillage artisanal. Elle voudrait échanger "
     "avec une collectivité française dotée d'une mission locale ou d'un service équivalent, "
     "notamment sur l'accompagnement des projets de petites entreprises."),
    ("ML", "segou", "securite_alimentaire:0.6 filieres:0.4", "fr", 2, "",
     "La commune de Ségou souhaite mettre en place un suivi des stocks et des prix des céréales "
     "sur ses principaux marchés afin d'anticiper les périodes de soudure. L'appui attendu porte "
     "sur la conception des outils de collecte et la formation des agents communaux. Compte tenu "
     "du contexte sécuritaire, une partie de l'accompagnement pourra se dérouler à distance."),
    ("ML", "bamako", "finances_locales:0.7 adressage:0.3", "fr", 2, "a",
     "Le District de Bamako veut fiabiliser le recensement des contribuables assujettis aux "
     "taxes locales, alors que le taux de recouvrement reste inférieur à 30 %. Il attend un "
     "appui sur l'adressage fiscal, les procédures de mise en recouvrement et le pilotage "
     "budgétaire des recettes propres."),
    ("ML", "=Commune de San", "maternelle:0.6 hygiene:0.4", "fr", 1, "",
     "La commune de San a construit deux maternités rurales mais peine à en assurer le "
     "fonctionnement. Elle souhaite être aidée à définir un modèle de gestion communautaire de "
     "ses centres de santé, y compris l'entretien des points d'eau et des latrines."),
    ("ML", "kayes", "gouvernance:0.6 participation:0.4", "fr", 2, "",
     "Une large part des investissements de la commune de Kayes est financée par sa diaspora "
     "installée en France. La municipalité souhaite mieux articuler ces contributions avec son "
     "plan de développement communal et sollicite l'expérience de collectivités françaises sur "
     "la concertation avec les associations de migrants et le suivi des projets cofinancés."),
    ("BF", "ouagadougou", "transports:0.5 urbanisme:0.5", "fr", 3, "",
     "La commune de Ouagadougou élabore un plan de mobilité pour les axes desservant ses marchés "
     "centraux, saturés par les deux-roues. Elle souhaite être accompagnée pour organiser des "
     "comptages, délimiter des zones de stationnement et esquisser un réseau de transport "
     "collectif de rabattement."),
    ("BF", "bobo-dioulasso", "immateriel:0.5 spectacle_vivant:0.5", "fr", 2, "",
     "La commune de Bobo-Dioulasso veut valoriser les pratiques musicales et les savoir-faire "
     "du quartier historique de Dioulassoba. L'appui demandé concerne l'inventaire participatif "
     "de ce patrimoine vivant, la programmation d'une saison culturelle et la gestion des lieux "
     "de spectacle municipaux."),
    ("BF", "koudougou", "dechets:0.5 ess:0.3 egalite:0.2", "fr", 2, "",
     "La commune de Koudougou s'appuie sur des groupements de femmes pour la collecte et le tri "
     "des déchets plastiques. Elle recherche une expertise pour structurer une filière de "
     "valorisation, contractualiser avec les groupements et sécuriser leurs revenus."),
    ("BF", "=Commune de Kombissiri", "irrigation:0.6 elevage:0.2 eau:0.2", "fr", 2, "",
     "Plus de 300 maraîchers exploitent les berges du barrage de la commune rurale de "
     "Kombissiri, où viennent aussi s'abreuver les troupeaux transhumants. La commune souhaite "
     "établir un règlement de partage de l'eau entre usages agricoles, pastoraux et domestiques, "
     "puis former le comité de gestion chargé de le faire appliquer."),
    ("BF", "fada-n-gourma", "etat_civil:1", "fr", 1, "",
     "La commune de Fada N'Gourma accueille de nombreuses personnes déplacées internes "
     "dépourvues d'actes d'état civil. Elle souhaite organiser des audiences foraines et former "
     "ses officiers d'état civil aux jugements supplétifs, avec l'appui d'une collectivité "
     "française expérimentée."),
    ("BF", "=Commune de Réo", "egalite:0.6 insertion:0.4", "fr", 1, "",
     "La commune de Réo projette d'ouvrir un espace d'accueil et d'écoute pour les femmes "
     "victimes de violences, en lien avec l'action sociale et les associations locales. Elle "
     "attend un appui pour définir le fonctionnement de la structure, former les agents "
     "d'accueil et prévoir des parcours de réinsertion professionnelle."),
    ("MA", "chefchaouen", "biodiversite:0.5 tourisme:0.5", "fr ar", 2, "",
     "La commune de Chefchaouen veut encadrer la fréquentation des sentiers du parc national de "
     "Talassemtane, aux portes de la médina. Elle attend un appui pour concevoir un plan de "
     "gestion des flux de visiteurs, une signalétique et un partenariat avec les guides "
     "locaux."),
    ("MA", "=Commune de Larache", "inondations:0.6 adaptation:0.4", "fr ar", 2, "",
     "Exposée aux crues de l'oued Loukkos et à l'élévation du niveau de la mer, la commune de "
     "Larache souhaite cartographier les zones inondables de son territoire urbain. Elle "
     "recherche une expertise pour en tirer des règles d'urbanisme adaptées et mettre en place "
     "un dispositif d'alerte."),
    ("MA", "region-oriental", "entrepreneuriat:0.6 insertion:0.4", "fr ar", 2, "",
     "La Région de l'Oriental prépare l'ouverture d'incubateurs dans trois provinces pour "
     "accompagner les jeunes porteurs de projets. Elle souhaite bénéficier de l'expérience "
     "d'une région française dans l'animation d'un réseau d'incubateurs et le suivi des "
     "entreprises créées."),
    ("TN", "sfax", "donnees:0.6 administration:0.4", "fr ar", 1, "",
     "La commune de Sfax souhaite ouvrir un portail de données publiques (budget, marchés, "
     "équipements) conformément au cadre tunisien d'accès à l'information. L'appui porte sur la "
     "sélection des jeux de données, leur publication régulière et la sensibilisation des "
     "services producteurs."),
    ("TN", "=Commune de Mahdia", "marches:0.6 bati:0.4", "fr ar", 2, "",
     "La commune de Mahdia prévoit de reconstruire son marché municipal au poisson, à l'entrée "
     "de la médina. Elle souhaite un appui sur le programme fonctionnel, les règles d'hygiène et "
     "le mode de gestion du futur équipement, dans le respect du bâti ancien qui l'entoure."),
    ("LB", "byblos", "musees:0.5 bati:0.5", "fr ar", 1, "a",
     "La municipalité de Byblos souhaite renouveler la présentation de son musée municipal "
     "consacré à l'histoire de l'alphabet et de la pêche. Elle recherche une collectivité dotée "
     "d'un service des musées pour l'aider à rédiger un projet scientifique et culturel et à "
     "former deux médiateurs."),
    ("LB", "chouf-souayjani", "energie:1", "fr ar", 2, "",
     "Confrontée à des coupures d'électricité quotidiennes, l'Union des municipalités du Chouf "
     "Souayjani veut équiper ses bâtiments publics et son éclairage public d'installations "
     "solaires. Elle attend un appui pour établir un schéma directeur de l'énergie, rédiger les "
     "cahiers des charges et organiser la maintenance."),
    ("MG", "antsirabe", "adressage:0.5 foncier:0.5", "fr", 2, "",
     "La commune urbaine d'Antsirabe souhaite étendre l'adressage à ses quartiers "
     "périphériques, pour faciliter le recouvrement de l'impôt foncier et l'accès des secours. "
     "Elle sollicite un appui technique sur la dénomination des voies et le lien avec le "
     "guichet foncier communal."),
    ("MG", "=Commune urbaine de Morondava", "catastrophes:0.5 adaptation:0.5", "fr", 2, "",
     "Régulièrement frappée par les cyclones et par l'érosion côtière, la commune urbaine de "
     "Morondava veut se doter d'un plan communal de sauvegarde. Elle attend un accompagnement "
     "pour identifier des zones refuges, organiser la chaîne d'alerte et associer les "
     "fokontany à des exercices de simulation."),
    ("BJ", "porto-novo", "bati:0.7 tourisme:0.3", "fr", 2, "a",
     "La Ville de Porto-Novo poursuit la réhabilitation des maisons afro-brésiliennes de son "
     "centre historique. Elle souhaite créer un dispositif d'aide aux propriétaires privés et "
     "former les artisans aux techniques de restauration de ce bâti, en vue d'un circuit de "
     "visite."),
    ("BJ", "=Commune de Dassa-Zoumè", "filieres:0.6 marches:0.4", "fr", 2, "",
     "La commune de Dassa-Zoumè veut structurer la filière anacarde et construire un marché de "
     "regroupement pour ses producteurs. Elle attend des conseils sur l'organisation des "
     "coopératives, la gestion de l'équipement marchand et les recettes qu'il pourrait procurer "
     "au budget communal."),
    ("VN", "hue", "inondations:0.6 bati:0.4", "vi fr", 2, "",
     "La Ville de Hué cherche à réduire la vulnérabilité de la citadelle impériale aux crues "
     "récurrentes de la rivière des Parfums. Elle souhaite une expertise associant prévention "
     "des inondations et conservation du patrimoine bâti, en particulier pour la remise en état "
     "des canaux et des systèmes de drainage historiques."),
    ("VN", "da-nang", "dechets:0.7 tourisme:0.3", "en", 2, "",
     "La Ville de Da Nang prépare un plan de réduction des déchets plastiques sur son littoral "
     "touristique. Elle souhaite un échange technique sur le tri à la source, la tarification "
     "incitative et les engagements à obtenir des hôtels de la côte."),
    ("PS", "bethleem", "tourisme:0.5 immateriel:0.5", "en fr", 2, "",
     "La municipalité de Bethléem veut diversifier son offre touristique au-delà des sites "
     "religieux, en créant des itinéraires consacrés à l'artisanat de la nacre et du bois "
     "d'olivier. Elle sollicite un appui pour concevoir ces circuits, former des guides et "
     "mettre en réseau les ateliers."),
    ("PS", "naplouse", "eau:1", "en ar", 2, "a",
     "Le réseau d'eau potable de la municipalité de Naplouse est alimenté par des sources et des "
     "forages aux débits limités, et les pertes y sont élevées. La municipalité attend un appui "
     "pour sectoriser le réseau, organiser la recherche de fuites et suivre les volumes non "
     "facturés."),
    ("NE", "=Commune de Zinder", "ressources_humaines:0.6 gouvernance:0.4", "fr", 1, "",
     "Après le transfert des compétences en matière d'éducation et de santé, la commune de "
     "Zinder doit réorganiser ses services. Elle souhaite être accompagnée pour élaborer un "
     "organigramme, des fiches de poste et un plan de formation de ses agents."),
    ("CM", "=Commune de Bangangté", "eau:0.5 hygiene:0.5", "fr", 2, "",
     "Un tiers des forages équipés de pompes manuelles de la commune de Bangangté est en panne. "
     "La commune sollicite un appui pour créer un service communal de maintenance et pour "
     "sensibiliser les usagers à l'hygiène autour des points d'eau."),
    ("CI", "=Commune de Bouaké", "pour_tous:0.5 insertion:0.5", "fr", 2, "",
     "La commune de Bouaké souhaite faire du sport un levier d'insertion pour les jeunes des "
     "quartiers périphériques. Elle prévoit de réhabiliter des plateaux multisports et de "
     "constituer un réseau d'éducateurs sportifs, et voudrait s'inspirer de dispositifs "
     "conduits en France."),
    ("TG", "kpalime", "filieres:0.5 entrepreneuriat:0.5", "fr", 1, "",
     "Au cœur d'une zone de production de café et de cacao, la commune de Kpalimé envisage une "
     "maison des produits du terroir. Elle attend un appui pour en définir le modèle "
     "économique, accompagner les transformateurs locaux et trouver des débouchés."),
    ("HT", "jacmel", "catastrophes:0.6 secours:0.4", "fr ht", 2, "a",
     "Avant la saison cyclonique, la commune de Jacmel veut renforcer son comité communal de "
     "protection civile. L'appui demandé porte sur la mise à jour du plan de contingence, la "
     "formation de secouristes volontaires et le pré-positionnement du matériel dans les "
     "sections communales."),
    ("MR", "=Commune de Kaédi", "elevage:0.6 marches:0.4", "fr ar", 2, "",
     "La commune de Kaédi souhaite aménager une aire d'abattage et un marché à bétail conformes "
     "aux normes sanitaires. Elle sollicite un appui sur le dimensionnement des équipements, "
     "leur gestion en régie et l'organisation du contrôle vétérinaire."),
    ("KH", "siem-reap", "urbanisme:0.6 bati:0.4", "en fr", 2, "",
     "La province de Siem Reap révise le plan d'urbanisme de sa capitale provinciale, soumise à "
     "une forte pression hôtelière à proximité du site d'Angkor. Elle recherche une expertise "
     "sur la maîtrise des hauteurs, la protection des berges de la rivière et la concertation "
     "avec les habitants."),
    ("AM", "=Ville de Gumri", "habitat:0.5 catastrophes:0.5", "fr en", 2, "",
     "Près de quarante ans après le séisme de 1988, des familles de Gumri vivent encore dans "
     "des abris provisoires. La Ville souhaite un appui pour bâtir un programme de résorption "
     "de cet habitat précaire qui intègre les normes parasismiques."),
    ("UA", "tchernihiv", "energie:0.6 urbanisme:0.4", "en", 3, "",
     "Fortement endommagée en 2022, la Ville de Tchernihiv prépare la reconstruction de ses "
     "écoles et de son réseau de chaleur. Elle attend un appui en programmation des équipements "
     "publics et en efficacité énergétique des bâtiments à reconstruire."),
    ("BR", "=Ville de Macapá", "acces_soins:0.7 hygiene:0.3", "pt", 2, "",
     "La Ville de Macapá souhaite renforcer sa coopération transfrontalière avec la Guyane en "
     "matière de soins de santé primaires. Elle attend un échange sur l'organisation des "
     "centres de santé municipaux et sur la lutte contre le paludisme et la dengue."),
    ("CL", "valparaiso", "secours:0.6 catastrophes:0.4", "es", 2, "",
     "Après les incendies de forêt meurtriers de 2024 sur ses collines, la Ville de Valparaíso "
     "veut renforcer la prévention dans les quartiers exposés. Elle recherche une expertise sur "
     "les obligations de débroussaillement, l'accès des engins de secours et la sensibilisation "
     "des habitants."),
    ("CO", "medellin", "participation:0.7 gouvernance:0.3", "es", 1, "",
     "La Ville de Medellín souhaite associer davantage les jeunes aux budgets participatifs de "
     "ses comunas. Elle attend un échange sur les conseils de jeunes mis en place par des "
     "collectivités françaises et sur l'évaluation des projets qu'ils financent."),
    ("PE", "=Municipalité provinciale de Cusco", "bati:0.6 tourisme:0.4", "es", 2, "",
     "La municipalité provinciale de Cusco souhaite réviser le règlement de protection de son "
     "centre historique, face à la multiplication des hébergements touristiques. Elle sollicite "
     "une collectivité française gérant un site patrimonial remarquable, notamment sur "
     "l'instruction des autorisations de travaux et le contrôle des usages."),
    ("KE", "=Comté de Kisumu", "dechets:1", "en", 2, "",
     "Sur les rives du lac Victoria, le comté de Kisumu veut fermer progressivement la décharge "
     "de Kachok, saturée. Il recherche une collectivité française expérimentée dans la "
     "planification d'un centre de tri et la réorganisation de la collecte des déchets "
     "ménagers."),
    ("ID", "=Ville de Yogyakarta", "immateriel:0.5 industries_creatives:0.5", "en", 1, "",
     "La Ville de Yogyakarta souhaite soutenir les ateliers de batik et d'orfèvrerie de son "
     "centre historique face aux productions industrielles. Elle demande un appui pour créer un "
     "label local, structurer un quartier des métiers d'art et développer la formation des "
     "jeunes artisans."),
]

N_OPEN_RANGE = (38, 42)
ASSIGNED_RANGE = (4, 6)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def slugify(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def iso(d):
    return None if d is None else d.isoformat()


def rand_date(lo, hi):
    """Uniform date in [lo, hi]."""
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def month_end(year, month):
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def weekday_on_or_after(d, weekday):
    return d + dt.timedelta(days=(weekday - d.weekday()) % 7)


def weighted_choice(items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def largest_remainder(weights, total):
    keys = list(weights)
    s = sum(weights.values())
    raw = {k: weights[k] * total / s for k in keys}
    out = {k: max(1, int(raw[k])) for k in keys}
    rest = total - sum(out.values())
    order = sorted(keys, key=lambda k: (-(raw[k] - int(raw[k])), keys.index(k)))
    i = 0
    while rest > 0:
        out[order[i % len(order)]] += 1
        rest -= 1
        i += 1
    while rest < 0:
        k = max(keys, key=lambda k: (out[k], -keys.index(k)))
        out[k] -= 1
        rest += 1
    return out


# --------------------------------------------------------------------------------------------
# Collectivités
# --------------------------------------------------------------------------------------------
def size_class(a):
    kind, pop, aid = a["kind"], a["population"], a["id"]
    if kind == "region":
        return "region_small" if pop < 1000000 else "region"
    if kind == "commune":
        if pop >= 200000:
            return "city_large"
        if pop >= 100000:
            return "city"
        if pop >= 30000:
            return "town"
        return "small"
    if kind == "epci":
        return "metropole" if pop >= 400000 else "agglo"
    return kind  # departement, association


def make_collectivites():
    out = []
    meta = {}
    for (aid, name, kind, region, pop, langs, focus, countries) in AUTHORITIES:
        a = {"id": aid, "name": name, "kind": kind, "region": region, "population": pop}
        sc = size_class(a)
        focus_ids = [T(s) for s in focus.split()]
        # Number of labels: bigger authorities are labelled on more themes.
        k = {"region": rng.randint(3, 4), "region_small": rng.randint(2, 4),
             "departement": rng.randint(2, 4), "city_large": rng.randint(3, 4),
             "city": rng.randint(2, 3), "town": rng.randint(1, 3), "small": rng.randint(1, 2),
             "metropole": rng.randint(2, 4), "agglo": rng.randint(1, 3),
             "association": rng.randint(2, 3)}[sc]
        k = min(k, len(focus_ids))
        chosen = [focus_ids[0]] + rng.sample(focus_ids[1:], k - 1)
        labels = []
        for th in chosen:
            since = dt.date(rng.randint(2019, 2025), rng.choice([1, 3, 4, 6, 7, 9, 10, 12]),
                            rng.choice([1, 1, 15]))
            if rng.random() < 0.6:
                until = None
            else:
                y = rng.randint(2027, 2029)
                until = month_end(y, rng.choice([3, 6, 6, 9, 12, 12, 12]))
            labels.append({"theme": th, "since": since, "until": until})
        cap, experts = {
            "region": (rng.randint(4, 6), rng.randint(6, 12)),
            "region_small": (3, rng.randint(4, 6)),
            "departement": (rng.randint(2, 4), rng.randint(3, 7)),
            "city_large": (rng.randint(4, 6), rng.randint(6, 11)),
            "city": (rng.randint(3, 4), rng.randint(4, 7)),
            "town": (rng.randint(2, 3), rng.randint(2, 4)),
            "small": (rng.randint(1, 2), rng.randint(1, 3)),
            "metropole": (rng.randint(3, 4), rng.randint(4, 8)),
            "agglo": (rng.randint(2, 3), rng.randint(2, 4)),
            "association": (rng.randint(3, 6), rng.randint(2, 6)),
        }[sc]
        if aid == "com-paris":
            cap, experts = 6, 12
        obj = {"id": aid, "name": name, "kind": kind, "region": region}
        if pop is not None:
            obj["population"] = pop
        obj["labels"] = labels
        obj["languages"] = langs.split()
        obj["capacity_per_year"] = cap
        obj["experts"] = experts
        out.append(obj)
        meta[aid] = {"size": sc, "focus": focus_ids, "countries": countries.split()}

    # About five labels already expired (until in 2024-2025): taken from authorities that keep
    # at least one other label, with a since early enough.
    pool = [(c, l) for c in out if len(c["labels"]) >= 2 for l in c["labels"][1:]]
    expired = rng.sample(pool, 5)
    for c, l in expired:
        l["since"] = dt.date(rng.randint(2019, 2021), rng.choice([1, 3, 6, 9]), 1)
        l["until"] = month_end(rng.randint(2024, 2025), rng.choice([3, 6, 12]))
    return out, meta


# --------------------------------------------------------------------------------------------
# Coopérations
# --------------------------------------------------------------------------------------------
def n_links(aid, sc):
    if aid == "com-paris":
        return 12
    if aid == "reg-guyane":
        return 5
    return {"region": rng.randint(6, 9), "region_small": rng.randint(5, 6),
            "city_large": rng.randint(5, 7), "city": rng.randint(2, 3), "town": rng.randint(1, 2),
            "small": rng.randint(1, 2), "metropole": rng.randint(5, 7),
            "agglo": rng.randint(1, 2), "departement": rng.randint(2, 3),
            "association": rng.randint(0, 2)}[sc]


def make_cooperations(collectivites, meta, need_partners):
    pools = {c: [tuple(x.strip().split("|")) for x in s.split(";")] for c, s in POOLS.items()}
    assert set(pools) == set(COUNTRY_WEIGHTS), set(pools) ^ set(COUNTRY_WEIGHTS)
    slots = []
    for c in collectivites:
        slots += [c["id"]] * n_links(c["id"], meta[c["id"]]["size"])
    rng.shuffle(slots)
    quota = largest_remainder(COUNTRY_WEIGHTS, len(slots))
    countries = list(COUNTRY_WEIGHTS)
    linked = collections.defaultdict(set)  # authority -> partner ids
    used = collections.Counter()           # partner id -> number of links
    labels_of = {c["id"]: [l["theme"] for l in c["labels"]] for c in collectivites}
    common_ids = [T(s) for s, _ in COMMON_THEMES]
    common_w = [w for _, w in COMMON_THEMES]
    links = []
    for aid in slots:
        focus_c = meta[aid]["countries"]
        cand, w = [], []
        for c in countries:
            if quota[c] <= 0:
                continue
            if all(f"{c}-{slug}" in linked[aid] for slug, _ in pools[c]):
                continue
            aff = 20 if c in focus_c else 1
            cand.append(c)
            w.append(quota[c] * aff)
        country = weighted_choice(cand, w)
        quota[country] -= 1
        pool = [(slug, name) for slug, name in pools[country]
                if f"{country}-{slug}" not in linked[aid]]
        must = [(s, n) for s, n in pool
                if (country, s) in need_partners and used[f"{country}-{s}"] == 0]
        if must:
            slug, name = must[0]
        else:
            # Zipf-like popularity (earlier partners are better known), boosted when the
            # partner is already linked so that partners get shared.
            ranks = {s: i for i, (s, _) in enumerate(pools[country])}
            pw = [(1.0 / (ranks[s] + 1) ** 0.8) * (1 + 0.3 * used[f"{country}-{s}"])
                  for s, _ in pool]
            slug, name = weighted_choice(pool, pw)
        pid = f"{country}-{slug}"
        linked[aid].add(pid)
        used[pid] += 1
        # Themes: mostly the authority's labels and focus, sometimes generic ones.
        k = weighted_choice([1, 2, 3], [45, 40, 15])
        own = list(dict.fromkeys(labels_of[aid] + meta[aid]["focus"]))
        themes = []
        while len(themes) < k:
            if rng.random() < 0.72:
                th = rng.choice(own)
            else:
                th = weighted_choice(common_ids, common_w)
            if th not in themes:
                themes.append(th)
        lo_year = max(1985, MIN_SINCE_YEAR.get(country, 1985))
        since = rand_date(dt.date(lo_year, 1, 1), dt.date(2024, 12, 31))
        until = None
        if rng.random() < 0.2:
            lo = since + dt.timedelta(days=730)
            hi = dt.date(2026, 10, 31)
            if lo < hi:
                until = rand_date(lo, hi)
        links.append({"collectivite": aid, "country": country,
                      "partner": {"id": pid, "name": name}, "themes": themes,
                      "since": since, "until": until})
    order = {c["id"]: i for i, c in enumerate(collectivites)}
    links.sort(key=lambda l: (order[l["collectivite"]], l["country"], l["since"],
                              l["partner"]["id"]))
    return links


# --------------------------------------------------------------------------------------------
# Missions
# --------------------------------------------------------------------------------------------
MISSIONS_PER_YEAR = {2019: 14, 2020: 5, 2021: 11, 2022: 16, 2023: 19, 2024: 20, 2025: 20,
                     2026: 17}


def mission_start(year):
    if year == 2020:  # the pandemic stopped missions after mid-March
        lo, hi = dt.date(2020, 1, 6), dt.date(2020, 3, 9)
    elif year == 2021:
        lo, hi = dt.date(2021, 6, 1), dt.date(2021, 12, 10)
    elif year == 2026:
        lo, hi = dt.date(2026, 1, 5), dt.date(2026, 11, 16)
    else:
        lo, hi = dt.date(year, 1, 6), dt.date(year, 12, 12)
    d = rand_date(lo, hi)
    d = weekday_on_or_after(d, weighted_choice([0, 1, 2], [6, 3, 1]))
    if d.month == 8:  # no missions in August
        d = weekday_on_or_after(dt.date(year, 9, 1), 0)
    return d


def make_missions(collectivites, meta, links):
    by_id = {c["id"]: c for c in collectivites}
    country_w = COUNTRY_WEIGHTS
    starts = []
    for y, n in MISSIONS_PER_YEAR.items():
        starts += [mission_start(y) for _ in range(n)]
    starts.sort()
    per_year = collections.Counter()
    missions = []
    coop_countries = collections.defaultdict(set)
    for l in links:
        coop_countries[l["collectivite"]].add(l["country"])
    for start in starts:
        for _attempt in range(200):
            if rng.random() < 0.72:
                active = [l for l in links
                          if l["since"] <= start and (l["until"] is None or l["until"] >= start)]
                link = rng.choice(active)
                aid, country = link["collectivite"], link["country"]
                extra = link["themes"]
            else:
                cands = [c for c in collectivites]
                aid = weighted_choice([c["id"] for c in cands],
                                      [c["capacity_per_year"] for c in cands])
                others = [c for c in country_w if c not in coop_countries[aid]]
                country = weighted_choice(others, [country_w[c] for c in others])
                extra = []
            c = by_id[aid]
            if per_year[(aid, start.year)] >= c["capacity_per_year"]:
                continue
            labs = [l["theme"] for l in c["labels"]
                    if l["since"] <= start and (l["until"] is None or l["until"] >= start)]
            if labs and rng.random() < 0.85:
                first = rng.choice(labs)
            elif extra:
                first = rng.choice(extra)
            else:
                first = rng.choice(meta[aid]["focus"])
            themes = [first]
            if rng.random() < 0.35:
                sib = [t for t in extra + meta[aid]["focus"]
                       if t != first and (domain_of(t) == domain_of(first) or rng.random() < 0.5)]
                if sib:
                    themes.append(rng.choice(sib))
            break
        else:
            raise AssertionError("could not place a mission starting " + str(start))
        per_year[(aid, start.year)] += 1
        days = weighted_choice([2, 3, 4, 5], [1, 3, 3, 3])
        end = start + dt.timedelta(days=days - 1)
        if end >= TODAY - dt.timedelta(days=61):
            report, rating = None, None  # not yet due
        else:
            r = rng.random()
            if r < 0.08:
                report = None
            elif r < 0.23:
                report = end + dt.timedelta(days=rng.randint(92, 180))
            else:
                report = end + dt.timedelta(days=rng.randint(8, 60))
            if report is not None and report >= TODAY:
                report = None
            rating = None if rng.random() < 0.04 else weighted_choice(
                [1, 2, 3, 4, 5], [2, 6, 22, 40, 30])
        missions.append({"start": start, "end": end, "collectivite": aid, "country": country,
                         "themes": themes, "report_delivered": report, "rating": rating})
    seq = collections.Counter()
    out = []
    for m in missions:
        seq[m["start"].year] += 1
        suffix = f"{m['start'].year}-{seq[m['start'].year]:03d}"
        out.append({"id": "m-" + suffix, "need": "n-" + suffix,
                    "collectivite": m["collectivite"], "country": m["country"],
                    "themes": m["themes"], "start": m["start"], "end": m["end"],
                    "report_delivered": m["report_delivered"], "rating": m["rating"]})
    return out


# --------------------------------------------------------------------------------------------
# Needs
# --------------------------------------------------------------------------------------------
def covers(label, start, end):
    return label["since"] <= start and (label["until"] is None or label["until"] >= end)


def candidates(need, collectivites):
    themes = {t["theme"] for t in need["themes"]}
    start, end = need["period"]["start"], need["period"]["end"]
    return [c for c in collectivites
            if any(l["theme"] in themes and covers(l, start, end) for l in c["labels"])]


def make_needs(collectivites, links, missions):
    pools = {c: dict(tuple(x.strip().split("|")) for x in s.split(";")) for c, s in POOLS.items()}
    linked_partner = collections.defaultdict(set)
    for l in links:
        linked_partner[l["partner"]["id"]].add(l["collectivite"])
    first_free = 1 + max(int(m["need"].split("-")[2]) for m in missions
                         if m["need"].startswith("n-2026-"))
    drafts = []
    for (country, partner, themes, langs, experts, status, desc) in NEEDS:
        if partner.startswith("="):
            p = {"name": partner[1:]}
        else:
            p = {"id": f"{country}-{partner}", "name": pools[country][partner]}
        ths = []
        for tok in themes.split():
            seg, w = tok.split(":")
            ths.append({"theme": T(seg), "weight": float(w)})
        if status == "a":
            submitted = rand_date(dt.date(2026, 6, 1), dt.date(2026, 8, 14))
            pstart = rand_date(dt.date(2027, 1, 11), dt.date(2027, 5, 20))
        else:
            submitted = rand_date(dt.date(2026, 6, 1), dt.date(2026, 11, 27))
            pstart = rand_date(dt.date(2027, 1, 11), dt.date(2027, 9, 24))
        pstart = weekday_on_or_after(pstart, weighted_choice([0, 1, 2], [6, 3, 1]))
        if pstart.month == 8:
            pstart = weekday_on_or_after(dt.date(2027, 9, 1), 0)
        days = weighted_choice([2, 3, 4, 5], [1, 3, 3, 3])
        pend = pstart + dt.timedelta(days=days - 1)
        if status == "a":
            st = "assigned"
        elif submitted < dt.date(2026, 10, 15) and rng.random() < 0.55:
            st = "shortlisted"
        else:
            st = "submitted"
        drafts.append({"country": country, "partner": p, "themes": ths,
                       "languages": langs.split(), "period": {"start": pstart, "end": pend},
                       "experts_needed": experts, "description": desc, "status": st,
                       "submitted_at": submitted, "excluded": []})
    drafts.sort(key=lambda n: (n["submitted_at"], n["country"], n["partner"]["name"]))
    num = first_free + 3
    for n in drafts:
        n["id"] = f"n-2026-{num:03d}"
        num += rng.choice([1, 1, 1, 2])

    # Conflicts of interest on four open needs: an authority already funding the partner's
    # project outside the programme. Chosen among candidates linked to the partner when
    # possible, and only where at least three other candidates remain.
    open_needs = [n for n in drafts if n["status"] != "assigned"]
    picked = 0
    for n in rng.sample(open_needs, len(open_needs)):
        if picked == 4:
            break
        cands = candidates(n, collectivites)
        if len(cands) < 5:
            continue
        pid = n["partner"].get("id")
        near = [c for c in cands if pid and c["id"] in linked_partner[pid]]
        chosen = rng.choice(near or cands)
        n["excluded"] = [chosen["id"]]
        picked += 1

    # Assigned needs: the selected authority is a valid candidate speaking a need language,
    # with a modest yearly capacity so that the assignment weighs on it.
    chosen_count = collections.Counter()
    for n in drafts:
        if n["status"] != "assigned":
            continue
        cands = [c for c in candidates(n, collectivites)
                 if set(c["languages"]) & set(n["languages"])]
        cands.sort(key=lambda c: (c["capacity_per_year"] - chosen_count[c["id"]], c["id"]))
        best = [c for c in cands if c["capacity_per_year"] - chosen_count[c["id"]]
                <= cands[0]["capacity_per_year"] - chosen_count[cands[0]["id"]] + 1]
        sel = rng.choice(best)
        n["selected"] = sel["id"]
        chosen_count[sel["id"]] += 1
    keys = ["id", "country", "partner", "themes", "languages", "period", "experts_needed",
            "description", "status", "selected", "submitted_at", "excluded"]
    return [{k: n[k] for k in keys if k in n} for n in drafts]


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_date(s):
    assert isinstance(s, str) and DATE_RE.match(s), s
    return dt.date.fromisoformat(s)


def check(themes, colls, coops, missions, needs):
    iso2 = {e["alpha_2"] for e in json.loads(ISO_3166_JSON.read_text("utf-8"))["3166-1"]}
    seg_re = re.compile(r"^[a-z0-9_-]+$")
    lang_re = re.compile(r"^[a-z]{2}$")

    # themes
    ids = [t["id"] for t in themes]
    assert len(ids) == len(set(ids)), "duplicate theme id"
    by_id = {t["id"]: t for t in themes}
    domains = [t for t in themes if t["parent"] is None]
    subs = [t for t in themes if t["parent"] is not None]
    assert len(domains) >= 12 and 40 <= len(subs) <= 60, (len(domains), len(subs))
    for t in themes:
        parts = t["id"].split(".")
        assert all(seg_re.match(p) for p in parts), t["id"]
        assert t["label"], t
        if t["parent"] is None:
            assert len(parts) == 1, t
        else:
            assert len(parts) == 2 and parts[0] == t["parent"], t
            assert by_id[t["parent"]]["parent"] is None, t
    per_dom = collections.Counter(t["parent"] for t in subs)
    assert all(2 <= per_dom[d["id"]] <= 5 for d in domains), per_dom
    for need_dom in ["agriculture", "jeunesse_genre", "patrimoine", "amenagement", "capacites",
                     "environnement", "culture", "sante", "economie", "numerique", "sport",
                     "risques"]:
        assert need_dom in by_id and by_id[need_dom]["parent"] is None, need_dom
    subset = {t["id"] for t in subs}

    def is_sub(tid):
        return tid in subset

    # collectivités
    cids = [c["id"] for c in colls]
    assert len(cids) == len(set(cids)), "duplicate collectivite id"
    assert 75 <= len(colls) <= 85, len(colls)
    prefix = {"region": "reg-", "departement": "dep-", "commune": "com-", "epci": "epci-",
              "association": "asso-"}
    kinds = collections.Counter(c["kind"] for c in colls)
    assert 9 <= kinds["region"] <= 12 and 13 <= kinds["departement"] <= 17, kinds
    assert 28 <= kinds["commune"] <= 33 and 13 <= kinds["epci"] <= 17, kinds
    assert 6 <= kinds["association"] <= 10, kinds
    all_labels = []
    for c in colls:
        assert c["id"].startswith(prefix[c["kind"]]), c["id"]
        assert re.match(r"^[a-z0-9-]+$", c["id"]), c["id"]
        assert c["region"] in REGIONS, c
        if c["kind"] == "association":
            assert "population" not in c, c["id"]
        else:
            assert isinstance(c["population"], int) and c["population"] > 0, c["id"]
        assert 1 <= len(c["labels"]) <= 4, c["id"]
        th = [l["theme"] for l in c["labels"]]
        assert len(th) == len(set(th)), c["id"]
        for l in c["labels"]:
            assert is_sub(l["theme"]), l
            s = check_date(l["since"])
            assert 2019 <= s.year <= 2025, l
            if l["until"] is not None:
                u = check_date(l["until"])
                assert s <= u and 2024 <= u.year <= 2029, l
            all_labels.append(l)
        assert c["languages"][0] == "fr" and len(set(c["languages"])) == len(c["languages"])
        assert all(lang_re.match(x) for x in c["languages"]), c["languages"]
        assert 1 <= c["capacity_per_year"] <= 6 and 1 <= c["experts"] <= 12, c["id"]
    assert set(c["region"] for c in colls) == set(REGIONS), set(REGIONS) - {c["region"] for c in colls}
    n_open = sum(l["until"] is None for l in all_labels)
    n_expired = sum(l["until"] is not None and l["until"] < "2026-01-01" for l in all_labels)
    assert 0.5 <= n_open / len(all_labels) <= 0.7, n_open / len(all_labels)
    assert 4 <= n_expired <= 6, n_expired
    cset = set(cids)

    # coopérations
    assert 270 <= len(coops) <= 330, len(coops)
    pairs = set()
    pname = {}
    for l in coops:
        assert l["collectivite"] in cset, l
        assert l["country"] in iso2 and l["country"] != "FR", l
        pid = l["partner"]["id"]
        assert pid.startswith(l["country"] + "-") and re.match(r"^[A-Z]{2}-[a-z0-9-]+$", pid), pid
        assert pname.setdefault(pid, l["partner"]["name"]) == l["partner"]["name"], pid
        assert (l["collectivite"], pid) not in pairs, (l["collectivite"], pid)
        pairs.add((l["collectivite"], pid))
        assert 1 <= len(l["themes"]) <= 3 and len(set(l["themes"])) == len(l["themes"])
        assert all(is_sub(t) for t in l["themes"]), l
        s = check_date(l["since"])
        assert 1985 <= s.year <= 2024, l
        if l["until"] is not None:
            assert s <= check_date(l["until"]) < dt.date(2026, 11, 1), l
    n_countries = len({l["country"] for l in coops})
    assert 38 <= n_countries <= 45, n_countries
    cc = collections.Counter(l["country"] for l in coops)
    assert all(24 <= cc[c] <= 32 for c in ("ML", "BF", "SN")), cc
    assert 0.72 <= sum(l["until"] is None for l in coops) / len(coops) <= 0.88
    shared = sum(1 for pid in pname if sum(1 for a, p in pairs if p == pid) >= 2)
    assert shared >= 20, shared

    # missions
    assert 110 <= len(missions) <= 130, len(missions)
    mids = [m["id"] for m in missions]
    assert len(mids) == len(set(mids)), "duplicate mission id"
    prev = None
    for m in missions:
        assert re.match(r"^m-\d{4}-\d{3}$", m["id"]) and re.match(r"^n-\d{4}-\d{3}$", m["need"])
        assert m["collectivite"] in cset and m["country"] in iso2, m
        assert 1 <= len(m["themes"]) <= 3 and all(is_sub(t) for t in m["themes"]), m
        s, e = check_date(m["start"]), check_date(m["end"])
        assert 2019 <= s.year <= 2026 and s <= e < TODAY and 2 <= (e - s).days + 1 <= 5, m
        assert m["id"][2:6] == str(s.year)
        assert prev is None or prev <= s, "missions not ordered by start"
        prev = s
        if m["report_delivered"] is not None:
            r = check_date(m["report_delivered"])
            assert e < r < TODAY, m
        if e >= TODAY - dt.timedelta(days=61):
            assert m["report_delivered"] is None, m
        assert m["rating"] is None or m["rating"] in (1, 2, 3, 4, 5), m
    n_null_rating = sum(m["rating"] is None for m in missions)
    assert 0.05 <= n_null_rating / len(missions) <= 0.16, n_null_rating

    # needs
    coop_pids = {l["partner"]["id"]: l["country"] for l in coops}
    coop_countries = set(cc)
    nids = [n["id"] for n in needs]
    assert len(nids) == len(set(nids)), "duplicate need id"
    assert not set(nids) & {m["need"] for m in missions}, "need id reused by a mission"
    statuses = collections.Counter(n["status"] for n in needs)
    n_assigned = statuses["assigned"]
    n_open_needs = statuses["submitted"] + statuses["shortlisted"]
    assert set(statuses) <= {"submitted", "shortlisted", "assigned"}, statuses
    assert N_OPEN_RANGE[0] <= n_open_needs <= N_OPEN_RANGE[1], statuses
    assert ASSIGNED_RANGE[0] <= n_assigned <= ASSIGNED_RANGE[1], statuses
    with_id = 0
    for n in needs:
        assert re.match(r"^n-202[67]-\d{3}$", n["id"]), n["id"]
        assert n["country"] in iso2, n
        if "id" in n["partner"]:
            assert coop_pids.get(n["partner"]["id"]) == n["country"], n["partner"]
            assert pname[n["partner"]["id"]] == n["partner"]["name"]
            with_id += 1
        assert n["partner"]["name"]
        assert 1 <= len(n["themes"]) <= 3
        ts = [t["theme"] for t in n["themes"]]
        assert len(set(ts)) == len(ts) and all(is_sub(t) for t in ts), n["id"]
        assert all(t["weight"] > 0 for t in n["themes"])
        assert abs(sum(t["weight"] for t in n["themes"]) - 1.0) <= 1e-9, n["id"]
        assert n["languages"] and all(lang_re.match(x) for x in n["languages"])
        ps, pe = check_date(n["period"]["start"]), check_date(n["period"]["end"])
        assert ps.year == 2027 and ps <= dt.date(2027, 9, 30) and 2 <= (pe - ps).days + 1 <= 5
        sub = check_date(n["submitted_at"])
        assert dt.date(2026, 6, 1) <= sub <= dt.date(2026, 11, 27) and sub < ps, n
        assert 1 <= n["experts_needed"] <= 4
        assert 2 <= n["description"].count(". ") + 1 <= 4 and len(n["description"]) > 120
        assert all(x in cset for x in n["excluded"]), n
        cands = [c for c in candidates(
            {"themes": n["themes"], "period": {"start": n["period"]["start"],
                                               "end": n["period"]["end"]}},
            [{"id": c["id"], "languages": c["languages"], "labels": c["labels"]} for c in colls])
            if c["id"] not in n["excluded"]]
        assert len(cands) >= 3, (n["id"], n["partner"]["name"], len(cands))
        assert any(set(c["languages"]) & set(n["languages"]) for c in cands), n["id"]
        if n["status"] == "assigned":
            assert n["selected"] in {c["id"] for c in cands}, n
            sel = next(c for c in cands if c["id"] == n["selected"])
            assert set(sel["languages"]) & set(n["languages"]), n["id"]
        else:
            assert "selected" not in n
    assert 0.5 <= with_id / len(needs) <= 0.7, with_id / len(needs)
    assert sum(bool(n["excluded"]) for n in needs) in (3, 4)
    no_coop = [n for n in needs if n["country"] not in coop_countries]
    assert len(no_coop) >= 3, no_coop


# --------------------------------------------------------------------------------------------
# SIREN and INSEE codes of the sample's real authorities, from the official list
# (@etalab/decoupage-administratif 6.0.0, Licence Ouverte / Etalab 2.0): the authority of the
# list with the same kind and région whose name is the sample's, or the sample's without its
# generic prefix ("Ville de ", "Département de la ", "Région "...), when exactly one is.
OFFICIAL_CODES = {
    "reg-nouvelle-aquitaine": ("", "75"),  # Nouvelle-Aquitaine
    "reg-auvergne-rhone-alpes": ("", "84"),  # Auvergne-Rhône-Alpes
    "reg-occitanie": ("", "76"),  # Occitanie
    "reg-ile-de-france": ("", "11"),  # Île-de-France
    "reg-bretagne": ("", "53"),  # Bretagne
    "reg-hauts-de-france": ("", "32"),  # Hauts-de-France
    "reg-grand-est": ("", "44"),  # Grand Est
    "reg-pays-de-la-loire": ("", "52"),  # Pays de la Loire
    "dep-ille-et-vilaine": ("", "35"),  # Ille-et-Vilaine
    "dep-finistere": ("", "29"),  # Finistère
    "dep-gironde": ("", "33"),  # Gironde
    "dep-herault": ("", "34"),  # Hérault
    "dep-haute-garonne": ("", "31"),  # Haute-Garonne
    "dep-seine-saint-denis": ("", "93"),  # Seine-Saint-Denis
    "dep-val-de-marne": ("", "94"),  # Val-de-Marne
    "dep-nord": ("", "59"),  # Nord
    "dep-isere": ("", "38"),  # Isère
    "dep-cote-d-or": ("", "21"),  # Côte-d'Or
    "dep-loire-atlantique": ("", "44"),  # Loire-Atlantique
    "dep-meurthe-et-moselle": ("", "54"),  # Meurthe-et-Moselle
    "dep-guadeloupe": ("", "971"),  # Guadeloupe
    "dep-mayotte": ("", "976"),  # Mayotte
    "dep-indre-et-loire": ("", "37"),  # Indre-et-Loire
    "dep-manche": ("", "50"),  # Manche
    "com-paris": ("217500016", "75056"),  # Paris
    "com-lyon": ("216901231", "69123"),  # Lyon
    "com-marseille": ("211300553", "13055"),  # Marseille
    "com-toulouse": ("213105554", "31555"),  # Toulouse
    "com-nantes": ("214401093", "44109"),  # Nantes
    "com-bordeaux": ("213300635", "33063"),  # Bordeaux
    "com-lille": ("215903501", "59350"),  # Lille
    "com-strasbourg": ("216704825", "67482"),  # Strasbourg
    "com-rennes": ("213502388", "35238"),  # Rennes
    "com-grenoble": ("213801855", "38185"),  # Grenoble
    "com-montpellier": ("213401722", "34172"),  # Montpellier
    "com-dijon": ("212102313", "21231"),  # Dijon
    "com-besancon": ("212500565", "25056"),  # Besançon
    "com-orleans": ("214502346", "45234"),  # Orléans
    "com-tours": ("213702616", "37261"),  # Tours
    "com-ajaccio": ("212000046", "2A004"),  # Ajaccio
    "com-bastia": ("212000335", "2B033"),  # Bastia
    "com-fort-de-france": ("219722097", "97209"),  # Fort-de-France
    "com-cayenne": ("219733029", "97302"),  # Cayenne
    "com-pointe-a-pitre": ("219711207", "97120"),  # Pointe-à-Pitre
    "com-mamoudzou": ("200008837", "97611"),  # Mamoudzou
    "com-villeurbanne": ("216902668", "69266"),  # Villeurbanne
    "com-figeac": ("214601023", "46102"),  # Figeac
    "com-lectoure": ("213202088", "32208"),  # Lectoure
    "com-riberac": ("212403521", "24352"),  # Ribérac
    "com-pontivy": ("215601782", "56178"),  # Pontivy
    "com-tulle": ("211927207", "19272"),  # Tulle
    "com-saint-die-des-vosges": ("218804136", "88413"),  # Saint-Dié-des-Vosges
    "com-amiens": ("218000198", "80021"),  # Amiens
    "com-cherbourg-en-cotentin": ("200056844", "50129"),  # Cherbourg-en-Cotentin
    "epci-bordeaux-metropole": ("243300316", ""),  # Bordeaux Métropole
    "epci-metropole-de-lyon": ("200046977", ""),  # Métropole de Lyon
    "epci-toulouse-metropole": ("243100518", ""),  # Toulouse Métropole
    "epci-nantes-metropole": ("244400404", ""),  # Nantes Métropole
    "epci-rennes-metropole": ("243500139", ""),  # Rennes Métropole
    "epci-eurometropole-de-strasbourg": ("246700488", ""),  # Eurométropole de Strasbourg
    "epci-metropole-rouen-normandie": ("200023414", ""),  # Métropole Rouen Normandie
    "epci-aix-marseille-provence": ("200054807", ""),  # Métropole d'Aix-Marseille-Provence
}


def to_json_dates(obj):
    if isinstance(obj, dict):
        return {k: to_json_dates(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [to_json_dates(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


def main():
    collectivites, meta = make_collectivites()
    need_partners = {(c, p) for (c, p, *_r) in NEEDS if not p.startswith("=")}
    coops = make_cooperations(collectivites, meta, need_partners)
    missions = make_missions(collectivites, meta, coops)
    needs = make_needs(collectivites, coops, missions)
    for c in collectivites:
        siren, insee = OFFICIAL_CODES.get(c["id"], ("", ""))
        if siren:
            c["siren"] = siren
        if insee:
            c["insee"] = insee

    data = {
        "themes": THEMES,
        "collectivites": to_json_dates(collectivites),
        "cooperations": to_json_dates(coops),
        "missions": to_json_dates(missions),
        "needs": to_json_dates(needs),
    }
    check(data["themes"], data["collectivites"], data["cooperations"], data["missions"],
          data["needs"])

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, rows in data.items():
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        (OUT_DIR / f"{name}.json").write_text(text, encoding="utf-8")

    # Summary
    for name, rows in data.items():
        print(f"{name + '.json':<20} {len(rows):4d}")
    cc = collections.Counter(l["country"] for l in data["cooperations"])
    print("top countries (cooperations):",
          ", ".join(f"{c} {n}" for c, n in cc.most_common(12)))
    print("distinct countries (cooperations):", len(cc))
    st = collections.Counter(n["status"] for n in data["needs"])
    print("needs by status:", dict(sorted(st.items())))
    colls = data["collectivites"]
    counts = []
    for n in data["needs"]:
        cands = [c for c in candidates(n, colls) if c["id"] not in n["excluded"]]
        counts.append(len(cands))
    print("candidates per need: min", min(counts), "max", max(counts),
          "median", sorted(counts)[len(counts) // 2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
