// Proposals of needs to authorities and their answers: decode, call service::Proposals once,
// encode.
#include "expectmatch/api/service.h"
#include "handler_util.h"

namespace expectmatch::api {

using internal::Answer;
using internal::Json;

namespace {

// The JSON body, or null when the request has none (an answer without a note).
std::optional<HttpResponse> OptionalBody(const HttpRequest& request, Json* body) {
  *body = nullptr;
  if (request.body.empty()) return std::nullopt;
  return internal::ParseJsonBody(request, body);
}

}  // namespace

HttpResponse Service::PostNeedProposal(const Call& call) const {
  Json body, proposal;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  HttpResponse response = Answer(
      proposals_.Propose(call.principal, call.params.at("id"), body, &proposal), 201, proposal);
  if (response.status == 201)
    response.headers["Location"] = "/v1/proposals/" + proposal.value("id", "");
  return response;
}

HttpResponse Service::GetNeedProposals(const Call& call) const {
  Json page;
  return Answer(proposals_.OfNeed(call.principal, call.params.at("id"), &page), 200, page);
}

HttpResponse Service::GetProposals(const Call& call) const {
  Json page;
  return Answer(proposals_.List(call.principal, call.request.query, &page), 200, page);
}

HttpResponse Service::GetProposal(const Call& call) const {
  Json proposal;
  return Answer(proposals_.Get(call.principal, call.params.at("id"), &proposal), 200, proposal);
}

HttpResponse Service::PostProposalAccept(const Call& call) const {
  Json body, proposal;
  if (auto problem = OptionalBody(call.request, &body)) return *problem;
  return Answer(proposals_.Accept(call.principal, call.params.at("id"), body, &proposal), 200,
                proposal);
}

HttpResponse Service::PostProposalDecline(const Call& call) const {
  Json body, proposal;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  return Answer(proposals_.Decline(call.principal, call.params.at("id"), body, &proposal), 200,
                proposal);
}

HttpResponse Service::PostProposalWithdraw(const Call& call) const {
  Json body, proposal;
  if (auto problem = OptionalBody(call.request, &body)) return *problem;
  return Answer(proposals_.Withdraw(call.principal, call.params.at("id"), body, &proposal), 200,
                proposal);
}

HttpResponse Service::GetMissions(const Call& call) const {
  Json page;
  return Answer(needs_.Missions(call.principal, call.request.query, &page), 200, page);
}

}  // namespace expectmatch::api
