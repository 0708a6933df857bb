// What the service understood of typed text: partners recognised by name, themes suggested
// from a description. Decode, call service::Partners or SuggestThemes once, encode.
#include "expectmatch/api/service.h"
#include "handler_util.h"

namespace expectmatch::api {

using internal::Answer;
using internal::Json;

HttpResponse Service::GetPartners(const Call& call) const {
  Json found;
  return Answer(partners_.Search(call.principal, call.request.query, &found), 200, found);
}

HttpResponse Service::GetPartner(const Call& call) const {
  Json partner;
  return Answer(partners_.Get(call.principal, call.params.at("id"), &partner), 200, partner);
}

HttpResponse Service::PostPartnerAlias(const Call& call) const {
  Json body, partner;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  return Answer(partners_.AddAlias(call.principal, call.params.at("id"), body, &partner), 200,
                partner);
}

HttpResponse Service::PostPartnerMerge(const Call& call) const {
  Json body, partner;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  return Answer(partners_.Merge(call.principal, call.params.at("id"), body, &partner), 200,
                partner);
}

HttpResponse Service::PostThemesSuggest(const Call& call) const {
  Json body, suggestions;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  return Answer(service::SuggestThemes(*snapshots_.current(), body, &suggestions), 200,
                suggestions);
}

}  // namespace expectmatch::api
