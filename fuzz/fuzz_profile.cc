// Profile documents (PUT /v1/profiles/{name}): DecodeWeights on its own, and the whole handler
// (which stores a new version of each accepted profile).
#include "expectmatch/service/match_json.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace expectmatch;
  fuzz::Harness& harness = fuzz::Harness::Get();
  const std::string text(reinterpret_cast<const char*>(data), size);
  datasets::Json body = datasets::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!body.is_discarded() && body.is_object() && body.contains("weights")) {
    for (bool complete : {false, true}) {
      datasets::FieldErrors errors;
      auto weights = service::DecodeWeights(body["weights"], datasets::FieldPath().Key("weights"),
                                            complete, &errors);
      fuzz::Check(weights.has_value() == errors.empty(),
                  "DecodeWeights: result and errors disagree");
      if (weights) {
        for (const auto& weight : *weights) {
          fuzz::Check(!weight || (*weight >= matcher::kMinWeight && *weight <= matcher::kMaxWeight),
                      "a weight out of range");
        }
      }
    }
  }
  harness.Send("PUT", "/v1/profiles/fuzz", text);
  return 0;
}
