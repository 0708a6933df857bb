// The domain records as the store keeps them (store.h): the document written by the data set
// codec (datasets::Encode) and the columns queries filter or join on, taken from the same record.
// Every write to the store builds its rows here, so the columns always agree with the documents.
#pragma once

#include <string>

#include "expectmatch/matcher/model.h"
#include "expectmatch/store/store.h"

namespace expectmatch::store_rows {

store::Document ThemeRowFor(const matcher::Theme& theme);
store::CollectiviteRow CollectiviteRowFor(const matcher::Collectivite& collectivite);
store::CooperationRow CooperationRowFor(const matcher::Cooperation& cooperation);
store::MissionRow MissionRowFor(const matcher::Mission& mission);
store::NeedRow NeedRowFor(const matcher::Need& need);

// A whole (valid) data set, for Store::Seed or Store::Import; `source` goes to the meta table.
store::SeedDocuments SeedDocumentsFor(const matcher::Dataset& dataset, const std::string& source);

}  // namespace expectmatch::store_rows
