// Needs: submission, listing, the lifecycle, decisions, mission outcomes, overdue reports.
// Each handler decodes the request, calls the needs workflow once (service::Needs) and encodes.
#include "expectmatch/api/service.h"
#include "handler_util.h"

namespace expectmatch::api {

using internal::Answer;
using internal::Json;

HttpResponse Service::GetNeeds(const Call& call) const {
  Json page;
  return Answer(needs_.List(call.principal, call.request.query, &page), 200, page);
}

HttpResponse Service::GetNeed(const Call& call) const {
  Json need;
  return Answer(needs_.Get(call.principal, call.params.at("id"), &need), 200, need);
}

HttpResponse Service::PostNeed(const Call& call) const {
  Json body, need;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  HttpResponse response = Answer(needs_.Submit(call.principal, std::move(body), &need), 201, need);
  if (response.status == 201) response.headers["Location"] = "/v1/needs/" + need.value("id", "");
  return response;
}

HttpResponse Service::PatchNeed(const Call& call) const {
  Json patch, need;
  if (auto problem = internal::ParseJsonBody(call.request, &patch)) return *problem;
  return Answer(needs_.Patch(call.principal, call.params.at("id"), patch, &need), 200, need);
}

HttpResponse Service::PostDecision(const Call& call) const {
  Json body, need;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  return Answer(needs_.Decide(call.principal, call.params.at("id"), body, &need), 200, need);
}

HttpResponse Service::PutMission(const Call& call) const {
  Json body, outcome;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  return Answer(needs_.RecordMission(call.principal, call.params.at("id"), body, &outcome), 200,
                outcome);
}

HttpResponse Service::GetOverdueReports(const Call&) const {
  return internal::JsonResponse(200, needs_.OverdueReports());
}

}  // namespace expectmatch::api
