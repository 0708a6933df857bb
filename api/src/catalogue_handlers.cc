// Authorities and weight profiles: decode, call service::Collectivites or the profile
// resolver once, encode.
#include "expectmatch/api/service.h"
#include "handler_util.h"

namespace expectmatch::api {

using internal::Answer;
using internal::Json;

HttpResponse Service::GetCollectivites(const Call& call) const {
  Json page;
  return Answer(collectivites_.List(call.request.query, &page), 200, page);
}

HttpResponse Service::GetCollectivite(const Call& call) const {
  Json collectivite;
  return Answer(collectivites_.Get(call.principal, call.params.at("id"), &collectivite), 200, collectivite);
}

HttpResponse Service::PutCollectivite(const Call& call) const {
  const std::string& id = call.params.at("id");
  Json body, collectivite;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  bool created = false;
  service::Status status = collectivites_.Put(id, std::move(body), &collectivite, &created,
                                              call.principal ? call.principal->key_id : "cli");
  HttpResponse response = Answer(status, created ? 201 : 200, collectivite);
  if (status.ok() && created) response.headers["Location"] = "/v1/collectivites/" + id;
  return response;
}

HttpResponse Service::GetProfiles(const Call&) const {
  return internal::JsonResponse(200, profiles_.List());
}

HttpResponse Service::GetProfile(const Call& call) const {
  Json profile;
  return Answer(profiles_.Get(call.params.at("name"), call.request.query, &profile), 200, profile);
}

HttpResponse Service::PutProfile(const Call& call) const {
  const std::string& name = call.params.at("name");
  Json body, profile;
  // The name is checked before the body is read.
  if (service::Status status = service::ProfileResolver::CheckName(name); !status.ok())
    return ProblemFrom(status);
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  service::Status status = profiles_.Save(name, body, &profile);
  const int version = status.ok() ? profile.value("version", 0) : 0;
  HttpResponse response = Answer(status, version == 1 ? 201 : 200, profile);
  if (status.ok())
    response.headers["Location"] = "/v1/profiles/" + name + "?version=" + std::to_string(version);
  return response;
}

}  // namespace expectmatch::api
