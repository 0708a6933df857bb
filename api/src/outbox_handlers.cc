// The e-mail outbox for DAECT: decode the query, call service::Outbox once, encode.
#include "expectmatch/api/service.h"
#include "handler_util.h"

namespace expectmatch::api {

HttpResponse Service::GetOutbox(const Call& call) const {
  internal::Json page;
  return internal::Answer(outbox_.List(call.request.query, &page), 200, page);
}

}  // namespace expectmatch::api
