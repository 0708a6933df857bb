// Capitalisation: full-text search over the mission reports, and the reports related to a need.
// Each handler calls the report search once (service::ReportSearch) and encodes its answer.
#include "expectmatch/api/service.h"
#include "handler_util.h"

namespace expectmatch::api {

using internal::Answer;
using internal::Json;

HttpResponse Service::GetReports(const Call& call) const {
  Json page;
  return Answer(report_search_.Search(call.request.query, &page), 200, page);
}

HttpResponse Service::GetNeedRelatedReports(const Call& call) const {
  Json page;
  return Answer(
      report_search_.Related(call.principal, call.params.at("id"), call.request.query, &page), 200,
      page);
}

}  // namespace expectmatch::api
