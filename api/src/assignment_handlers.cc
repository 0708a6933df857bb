// Batch assignment plans: decode, call service::Plans once, encode.
#include "expectmatch/api/service.h"
#include "handler_util.h"

namespace expectmatch::api {

using internal::Answer;
using internal::Json;

HttpResponse Service::PostAssignments(const Call& call) const {
  Json body, plan;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  HttpResponse response = Answer(plans_.Plan(call.principal, body, &plan), 201, plan);
  if (response.status == 201)
    response.headers["Location"] = "/v1/assignments/" + plan.value("id", "");
  return response;
}

HttpResponse Service::GetAssignment(const Call& call) const {
  Json plan;
  return Answer(plans_.Get(call.params.at("id"), &plan), 200, plan);
}

HttpResponse Service::PostAssignmentAccept(const Call& call) const {
  Json body, plan;
  const bool has_body = !call.request.body.empty();
  if (has_body) {
    if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  }
  return Answer(
      plans_.Accept(call.principal, call.params.at("id"), has_body ? &body : nullptr, &plan), 200,
      plan);
}

}  // namespace expectmatch::api
