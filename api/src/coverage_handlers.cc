// Where labels are missing: GET /v1/coverage calls the coverage use case once and encodes it.
#include "expectmatch/api/service.h"
#include "handler_util.h"

namespace expectmatch::api {

using internal::Answer;
using internal::Json;

HttpResponse Service::GetCoverage(const Call& call) const {
  Json coverage;
  return Answer(coverage_.Get(call.request.query, &coverage), 200, coverage);
}

}  // namespace expectmatch::api
