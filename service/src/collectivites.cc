#include "expectmatch/service/collectivites.h"

#include <set>

#include "expectmatch/datasets/reference.h"
#include "expectmatch/service/clock.h"
#include "expectmatch/service/label_history.h"
#include "expectmatch/store_rows/store_rows.h"
#include "query.h"

namespace expectmatch::service {

using datasets::FieldPath;
using datasets::Json;

Status Collectivites::List(const QueryParameters& parameters, Json* page_out) const {
  store::CollectiviteQuery query;
  std::vector<FieldIssue> errors;
  for (const auto& [name, value] : parameters) {
    if (name == "region") {
      if (!datasets::IsFrenchRegion(value))
        errors.push_back({"", name, "unknown French région \"" + value + "\""});
      query.region = value;
    } else if (name == "kind") {
      static const std::set<std::string> kKinds = {"region", "departement", "commune", "epci",
                                                   "association"};
      if (!kKinds.count(value)) errors.push_back({"", name, "unknown kind \"" + value + "\""});
      query.kind = value;
    } else if (name == "theme") {
      if (!snapshots_.current()->theme_ids.count(value))
        errors.push_back({"", name, "unknown theme \"" + value + "\""});
      query.theme = value;
    } else if (name == "language") {
      if (!datasets::FindLanguage(value))
        errors.push_back({"", name, "unknown language \"" + value + "\", expected ISO 639-1"});
      query.language = value;
    } else if (ParsePaging(name, value, &query.limit, &query.offset, &errors)) {
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Status::Malformed("invalid query parameters", errors);
  store::DocumentPage page = store_.ListCollectivites(query);
  Json items = Json::array();
  for (const store::Document& doc : page.items) items.push_back(Json::parse(doc.json));
  *page_out = {
      {"items", items}, {"total", page.total}, {"limit", query.limit}, {"offset", query.offset}};
  return Status::Ok();
}

Status Collectivites::Get(const Principal* caller, const std::string& id, Json* out) const {
  std::optional<store::Document> doc = store_.GetCollectivite(id);
  // Another authority's record answers as an unknown one, word for word.
  if (!doc || (caller && !caller->MaySeeCollectivite(id)))
    return Status::NotFound("unknown collectivite \"" + id + "\"",
                            {{"", "id", "no collectivité with this id"}});
  *out = Json::parse(doc->json);
  return Status::Ok();
}

Status Collectivites::Put(const std::string& id, Json body, Json* out, bool* created,
                          const std::string& by) const {
  datasets::FieldErrors errors;
  if (body.is_object()) {
    if (!body.contains("id")) body["id"] = id;
    if (body["id"] != id) {
      errors.push_back({FieldPath().Key("id"), "must be the id in the path, \"" + id + "\""});
    } else if (!IsValidId(id)) {
      errors.push_back(
          {FieldPath().Key("id"),
           "ids are 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"});
    }
  }
  std::optional<matcher::Collectivite> c =
      datasets::DecodeCollectivite(body, FieldPath(), snapshots_.current()->references(), &errors);
  if (!c || !errors.empty()) return Status::InvalidArgument("the collectivité is invalid", errors);
  std::optional<store::Document> before = store_.GetCollectivite(id);
  *created = !before.has_value();
  store::SeedDocuments docs;
  docs.collectivites.push_back(store_rows::CollectiviteRowFor(*c));
  docs.label_history =
      LabelChanges(id, before ? Json::parse(before->json).value("labels", Json()) : Json(),
                   datasets::Encode(*c)["labels"], NowRfc3339(), by);
  store_.Import(docs);
  // Authorities change rarely and a caller expects the next match to see the change at once.
  snapshots_.Refresh();
  *out = datasets::Encode(*c);
  return Status::Ok();
}

}  // namespace expectmatch::service
