#include "expectmatch/service/official.h"

#include <map>
#include <sstream>

#include "expectmatch/understanding/fold.h"
#include "query.h"

namespace expectmatch::service {

using datasets::Json;
using matcher::CollectiviteKind;

namespace {

constexpr size_t kDefaultLimit = 10;
constexpr size_t kMaxLimit = 50;

std::optional<CollectiviteKind> OfficialKind(std::string_view name) {
  for (CollectiviteKind kind : {CollectiviteKind::kCommune, CollectiviteKind::kEpci,
                                CollectiviteKind::kDepartement, CollectiviteKind::kRegion}) {
    if (datasets::KindName(kind) == name) return kind;
  }
  return std::nullopt;
}

const char* FrenchKind(CollectiviteKind kind, size_t count) {
  bool many = count > 1;
  switch (kind) {
    case CollectiviteKind::kCommune:
      return many ? "communes" : "commune";
    case CollectiviteKind::kEpci:
      return "EPCI";
    case CollectiviteKind::kDepartement:
      return many ? "départements" : "département";
    case CollectiviteKind::kRegion:
      return many ? "régions" : "région";
    case CollectiviteKind::kAssociation:
      break;
  }
  return "";
}

// Code points of UTF-8 text.
size_t Characters(std::string_view text) {
  size_t n = 0;
  for (unsigned char ch : text) n += (ch & 0xC0) != 0x80;
  return n;
}

}  // namespace

store::OfficialRow OfficialRowFor(const datasets::OfficialAuthority& a) {
  std::string words = " ";
  for (const std::string& word : understanding::FoldedWords(a.name)) words += word + " ";
  return {std::string(datasets::KindName(a.kind)),
          a.insee,
          a.siren,
          a.name,
          words,
          a.region,
          a.departement,
          a.population};
}

Json EncodeOfficial(const store::OfficialRow& row) {
  auto text_or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  return Json{{"siren", text_or_null(row.siren)},
              {"insee", text_or_null(row.insee)},
              {"kind", row.kind},
              {"name", row.name},
              {"region", row.region},
              {"departement", text_or_null(row.departement)},
              {"population", row.population ? Json(*row.population) : Json(nullptr)}};
}

std::vector<std::string> OfficialSearchWords(std::string_view text) {
  return understanding::FoldedWords(text);
}

OfficialImport ImportOfficialList(store::Store& store, const std::filesystem::path& dir,
                                  const std::string& now) {
  OfficialImport out;
  out.list = datasets::ReadOfficialList(dir);
  if (!out.list.ok()) return out;
  std::vector<store::OfficialRow> rows;
  rows.reserve(out.list.authorities.size());
  for (const datasets::OfficialAuthority& a : out.list.authorities)
    rows.push_back(OfficialRowFor(a));
  store::OfficialListInfo info;
  info.source = std::filesystem::absolute(dir).lexically_normal().string();
  info.version = out.list.version;
  info.imported_at = now;
  info.count = rows.size();
  store.ReplaceOfficialList(rows, info);
  out.written = true;
  return out;
}

std::string DescribeOfficialImport(const OfficialImport& import, const std::string& db) {
  std::ostringstream out;
  const datasets::OfficialList& list = import.list;
  if (!list.ok()) {
    for (const std::string& error : list.errors) out << error << "\n";
    out << "liste officielle illisible : rien n'a été importé\n";
    return out.str();
  }
  out << "liste officielle"
      << (list.version.empty() ? std::string() : " (version " + list.version + ")")
      << " importée dans " << db << " : ";
  bool first = true;
  for (CollectiviteKind kind : {CollectiviteKind::kRegion, CollectiviteKind::kDepartement,
                                CollectiviteKind::kEpci, CollectiviteKind::kCommune}) {
    size_t n = list.Count(kind);
    out << (first ? "" : ", ") << n << " " << FrenchKind(kind, n);
    first = false;
  }
  out << " (" << list.authorities.size() << " en tout)\n";
  if (list.bad_siren > 0) {
    out << list.bad_siren
        << (list.bad_siren == 1 ? " ligne écartée : son numéro SIREN n'a pas"
                                : " lignes écartées : leur numéro SIREN n'a pas")
        << " une clé de contrôle valide\n";
    for (const std::string& example : list.bad_siren_examples) out << "  " << example << "\n";
  }
  if (list.outside_regions > 0) {
    out << list.outside_regions
        << " lignes de collectivités d'outre-mer hors des 18 régions laissées de côté\n";
  }
  return out.str();
}

Status OfficialAuthorities::Search(const QueryParameters& parameters, Json* page) const {
  std::optional<std::string> q;
  std::string kind;
  size_t limit = kDefaultLimit;
  std::vector<FieldIssue> malformed;
  for (const auto& [name, value] : parameters) {
    if (name == "q") {
      q = value;
    } else if (name == "kind") {
      if (!OfficialKind(value))
        malformed.push_back(
            {"", name,
             "type inconnu « " + value + " », attendu commune, epci, departement ou region"});
      kind = value;
    } else if (name == "limit") {
      if (!ParseSize(value, 1, kMaxLimit, &limit))
        malformed.push_back({"", name, "un entier de 1 à 50 est attendu"});
    } else {
      malformed.push_back({"", name, "paramètre inconnu"});
    }
  }
  if (!malformed.empty()) return Status::Malformed("invalid query parameters", malformed);
  // Letters and digits count, not blanks or punctuation: "r " and " - " are too short.
  std::vector<std::string> words = q ? OfficialSearchWords(*q) : std::vector<std::string>{};
  size_t characters = 0;
  for (const std::string& word : words) characters += Characters(word);
  if (characters < 2)
    return Status::InvalidArgument(
        "the search text is too short",
        {{"", "q", "la recherche doit compter au moins 2 caractères (lettres ou chiffres)"}});
  size_t total = 0;
  Json items = Json::array();
  for (const store::OfficialRow& row : store_.SearchOfficial(words, kind, limit, &total))
    items.push_back(EncodeOfficial(row));
  *page = {{"items", items}, {"total", total}};
  return Status::Ok();
}

Status OfficialAuthorities::Get(const std::string& siren, Json* authority) const {
  std::optional<store::OfficialRow> row;
  if (datasets::IsValidSiren(siren)) row = store_.FindOfficialBySiren(siren);
  if (!row)
    return Status::NotFound("unknown SIREN \"" + siren + "\"",
                            {{"", "siren",
                              "aucune collectivité de la liste officielle n'a ce "
                              "numéro SIREN"}});
  *authority = EncodeOfficial(*row);
  return Status::Ok();
}

void OfficialAuthorities::CheckSiren(const matcher::Collectivite& c,
                                     datasets::FieldErrors* errors) const {
  if (c.kind == CollectiviteKind::kAssociation || !store_.OfficialList()) return;
  const std::string kind(datasets::KindName(c.kind));
  // The official list gives départements and régions their INSEE code and no SIREN: theirs is
  // checked by its check digit only (the codec), and their INSEE code against the list.
  if (c.kind == CollectiviteKind::kDepartement || c.kind == CollectiviteKind::kRegion) {
    if (!c.insee.empty() && !store_.FindOfficialByInsee(kind, c.insee))
      errors->push_back(
          {datasets::FieldPath().Key("insee"),
           "le code INSEE « " + c.insee + " » n'est celui d'" +
               (c.kind == CollectiviteKind::kRegion ? "aucune région" : "aucun département") +
               " de la liste officielle"});
    return;
  }
  if (c.siren.empty()) return;
  std::optional<store::OfficialRow> row = store_.FindOfficialBySiren(c.siren);
  if (!row) {
    errors->push_back({datasets::FieldPath().Key("siren"),
                       "le numéro SIREN « " + c.siren +
                           " » n'est pas celui d'une collectivité de la liste officielle"});
  } else if (row->kind != kind) {
    errors->push_back({datasets::FieldPath().Key("siren"),
                       "le numéro SIREN « " + c.siren + " » est celui de « " + row->name +
                           " », de type " + row->kind + " et non " + kind});
  }
}

}  // namespace expectmatch::service
