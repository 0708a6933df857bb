// The official list of French local authorities: decode the query, call
// service::OfficialAuthorities once, encode.
#include "expectmatch/api/service.h"
#include "handler_util.h"

namespace expectmatch::api {

HttpResponse Service::GetOfficialAuthorities(const Call& call) const {
  internal::Json page;
  return internal::Answer(official_.Search(call.request.query, &page), 200, page);
}

HttpResponse Service::GetOfficialAuthority(const Call& call) const {
  internal::Json authority;
  return internal::Answer(official_.Get(call.params.at("siren"), &authority), 200, authority);
}

}  // namespace expectmatch::api
