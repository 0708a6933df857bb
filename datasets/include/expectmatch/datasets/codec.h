// JSON ⇄ domain entities, with validation (ARCHITECTURE.md, "The data set contract").
//
// Decoders check types, formats, ranges and, where `References` provides them, that ids refer
// to something that exists. They report every problem they find into `errors` (never only the
// first) and return nullopt when the record had any. Encoders write the contract's field names,
// so Decode(Encode(x)) == x. Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "expectmatch/datasets/field_error.h"
#include "expectmatch/matcher/model.h"

namespace expectmatch::datasets {

using Json = nlohmann::json;

// What ids are checked against. A null set means "not checked" (e.g. the ids of a file that
// failed to parse, so that one error does not cascade into hundreds).
struct References {
  const std::unordered_set<std::string>* themes = nullptr;
  const std::unordered_set<std::string>* collectivites = nullptr;
};

std::optional<matcher::Theme> DecodeTheme(const Json& json, const FieldPath& path,
                                          FieldErrors* errors);
std::optional<matcher::Collectivite> DecodeCollectivite(const Json& json, const FieldPath& path,
                                                        const References& refs,
                                                        FieldErrors* errors);
std::optional<matcher::Cooperation> DecodeCooperation(const Json& json, const FieldPath& path,
                                                      const References& refs, FieldErrors* errors);
std::optional<matcher::Mission> DecodeMission(const Json& json, const FieldPath& path,
                                              const References& refs, FieldErrors* errors);
// The longest need description accepted (bytes of UTF-8): a need is an e-mail's worth of text.
inline constexpr size_t kMaxDescriptionBytes = 20 * 1024;

// A need may come without themes while it is submitted and has a description (themes are then
// suggested from the description and confirmed by DAECT before the need can be matched).
std::optional<matcher::Need> DecodeNeed(const Json& json, const FieldPath& path,
                                        const References& refs, FieldErrors* errors);

Json Encode(const matcher::Theme& theme);
Json Encode(const matcher::Collectivite& collectivite);
Json Encode(const matcher::Cooperation& cooperation);
Json Encode(const matcher::Mission& mission);
Json Encode(const matcher::Need& need);

std::string_view KindName(matcher::CollectiviteKind kind);  // "region", "epci", ...
std::string_view StatusName(matcher::NeedStatus status);    // "submitted", "in_mission", ...
std::optional<matcher::NeedStatus> StatusFromName(std::string_view name);

// A plausible e-mail address, as the outbox can send to it: at most 254 bytes of printable
// ASCII without spaces, quotes, brackets or commas, one '@' between a non-empty local part (at
// most 64 bytes) and a domain of dot-separated labels with at least one dot.
bool IsPlausibleEmail(std::string_view address);

// Short description of a JSON value's type for error messages ("a string", "an array", ...).
std::string_view JsonTypeName(const Json& json);

}  // namespace expectmatch::datasets
