// Need documents (POST /v1/needs, inline needs, needs.json): DecodeNeed on its own, with the
// Encode/Decode round trip checked, and the whole handler (which stores what it accepts).
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace expectmatch;
  fuzz::Harness& harness = fuzz::Harness::Get();
  const std::string text(reinterpret_cast<const char*>(data), size);
  datasets::Json body = datasets::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!body.is_discarded()) {
    datasets::FieldErrors errors;
    std::optional<matcher::Need> need =
        datasets::DecodeNeed(body, datasets::FieldPath(), harness.snapshot().references(), &errors);
    fuzz::Check(need.has_value() == errors.empty(), "DecodeNeed: result and errors disagree");
    if (need) {
      const datasets::Json encoded = datasets::Encode(*need);
      datasets::FieldErrors again;
      std::optional<matcher::Need> decoded =
          datasets::DecodeNeed(encoded, datasets::FieldPath(), {}, &again);
      fuzz::Check(decoded.has_value(), "an encoded need does not decode", encoded.dump());
      fuzz::Check(datasets::Encode(*decoded) == encoded, "Decode(Encode(need)) differs",
                  encoded.dump());
    }
  }
  harness.Send("POST", "/v1/needs", text);
  return 0;
}
