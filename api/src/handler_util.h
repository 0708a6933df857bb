// Helpers shared by the handler files (private to api/).
#pragma once

#include <optional>
#include <string>

#include "expectmatch/api/http.h"
#include "expectmatch/api/problem.h"
#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/reports.h"
#include "expectmatch/service/status.h"

namespace expectmatch::api::internal {

using datasets::Json;

HttpResponse JsonResponse(int status, const Json& body);
// Parses the request body as JSON; on failure returns the problem to answer (415 not JSON,
// 400 malformed, too deep or with a duplicate member, 422 a number beyond a double).
std::optional<HttpResponse> ParseJsonBody(const HttpRequest& request, Json* body);
// `body` with status `ok_status` when `status` is ok, else the problem it maps to.
inline HttpResponse Answer(const service::Status& status, int ok_status, const Json& body) {
  return status.ok() ? JsonResponse(ok_status, body) : ProblemFrom(status);
}

// A streamed upload (report_handlers.cc): Content-Length as a number (-1 when absent or not a
// plain decimal); what is left of a body read and dropped (a body over the limit, or of unknown
// length, is left unread: the transport then closes the connection); an entity tag; the answer
// to a refused upload (411, 413, 415, or the status's own).
long long ContentLength(const HttpRequest& request);
void DiscardBody(const HttpRequest& request, long long length);
std::string Quoted(const std::string& text);
HttpResponse Refused(const service::Status& status, service::UploadRefusal refusal);
// Streams the body into `upload`; the problem to answer when the body ended early.
std::optional<HttpResponse> StreamBody(const HttpRequest& request, long long length,
                                       service::ReportUpload& upload);

}  // namespace expectmatch::api::internal
