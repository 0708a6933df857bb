// The authorities' CSV importer (`expectmatch import --csv`): DecodeCollectivitesCsv against
// the tiny data set's themes, every accepted authority encoded and decoded back.
#include "expectmatch/datasets/collectivites_csv.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace expectmatch;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  datasets::CollectivitesCsv csv =
      datasets::DecodeCollectivitesCsv(bytes, &fuzz::TinyDataset().themes);
  fuzz::Check(csv.collectivites.size() == csv.rows.size(), "rows and authorities disagree");
  for (const datasets::CsvError& error : csv.errors)
    fuzz::Check(!error.ToString("f.csv").empty(), "an empty error");
  if (!csv.ok()) return 0;
  for (const matcher::Collectivite& c : csv.collectivites) {
    datasets::Json encoded = datasets::Encode(c);
    datasets::FieldErrors errors;
    std::optional<matcher::Collectivite> decoded =
        datasets::DecodeCollectivite(encoded, datasets::FieldPath(), {}, &errors);
    fuzz::Check(decoded.has_value(), "an imported authority does not decode",
                encoded.dump(-1, ' ', false, datasets::Json::error_handler_t::replace));
  }
  return 0;
}
