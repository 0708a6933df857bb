#include "expectmatch/datasets/codec.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

#include "expectmatch/datasets/official_list.h"
#include "expectmatch/datasets/reference.h"

namespace expectmatch::datasets {
namespace {

using matcher::Date;

constexpr std::array<std::string_view, 5> kKindNames = {"region", "departement", "commune", "epci",
                                                        "association"};
constexpr std::array<std::string_view, 8> kStatusNames = {
    "submitted", "assigned",  "in_mission",  "report_due",
    "closed",    "cancelled", "shortlisted", "proposed"};
constexpr std::array<matcher::NeedStatus, 8> kStatusValues = {
    matcher::NeedStatus::kSubmitted, matcher::NeedStatus::kAssigned,
    matcher::NeedStatus::kInMission, matcher::NeedStatus::kReportDue,
    matcher::NeedStatus::kClosed,    matcher::NeedStatus::kCancelled,
    matcher::NeedStatus::kShortlisted, matcher::NeedStatus::kProposed};

std::string Quote(std::string_view text) {
  // Built by appending: g++ 12 reports a false -Wrestrict on `"\"" + std::string(text) + "\""`.
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  out.append(text);
  out.push_back('"');
  return out;
}

// One segment of a theme id: 1 or more of [a-z0-9_-] (slugs conventionally hyphenate words:
// `gouvernance.etat-civil`).
bool IsSlugSegment(std::string_view segment) {
  if (segment.empty()) return false;
  for (char ch : segment) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
      return false;
  }
  return true;
}

// Reads the fields of one JSON object, recording every problem under its path.
class Reader {
 public:
  Reader(const Json& json, FieldPath path, FieldErrors* errors)
      : json_(json), path_(std::move(path)), errors_(errors), first_error_(errors->size()) {
    if (!json_.is_object())
      Fail(path_, "expected an object, got " + std::string(JsonTypeName(json_)));
  }

  bool ok() const { return errors_->size() == first_error_; }
  const FieldPath& path() const { return path_; }
  FieldPath At(const std::string& key) const { return path_.Key(key); }
  void Fail(const FieldPath& where, std::string message) {
    errors_->push_back({where, std::move(message)});
  }

  // The field's value, or null when absent or JSON null (recording an error when required).
  const Json* Field(const std::string& key, bool required) {
    if (!json_.is_object()) return nullptr;
    auto it = json_.find(key);
    if (it == json_.end() || it->is_null()) {
      if (required)
        Fail(At(key), it == json_.end() ? "required field is missing" : "must not be null");
      return nullptr;
    }
    return &*it;
  }

  std::optional<std::string> String(const std::string& key, bool required,
                                    bool allow_empty = false) {
    const Json* value = Field(key, required);
    if (!value) return std::nullopt;
    return StringValue(*value, At(key), allow_empty);
  }

  std::optional<std::string> StringValue(const Json& value, const FieldPath& where,
                                         bool allow_empty = false) {
    if (!value.is_string()) {
      Fail(where, "expected a string, got " + std::string(JsonTypeName(value)));
      return std::nullopt;
    }
    std::string text = value.get<std::string>();
    if (!allow_empty && text.empty()) {
      Fail(where, "must not be empty");
      return std::nullopt;
    }
    return text;
  }

  std::optional<Date> DateField(const std::string& key, bool required,
                                bool allow_datetime = false) {
    std::optional<std::string> text = String(key, required);
    if (!text) return std::nullopt;
    auto date =
        allow_datetime ? matcher::ParseIsoDateOrDateTime(*text) : matcher::ParseIsoDate(*text);
    if (!date) {
      Fail(At(key), "invalid date " + Quote(*text) +
                        (allow_datetime ? ", expected YYYY-MM-DD or an RFC 3339 date-time"
                                        : ", expected YYYY-MM-DD"));
    }
    return date;
  }

  std::optional<long long> Integer(const std::string& key, bool required, long long min,
                                   long long max) {
    const Json* value = Field(key, required);
    if (!value) return std::nullopt;
    if (!value->is_number_integer()) {
      Fail(At(key), "expected an integer, got " + std::string(JsonTypeName(*value)));
      return std::nullopt;
    }
    // Unsigned values above INT64_MAX are out of any range we accept.
    bool huge = value->is_number_unsigned() &&
                value->get<unsigned long long>() >
                    static_cast<unsigned long long>(std::numeric_limits<long long>::max());
    long long number = huge ? std::numeric_limits<long long>::max() : value->get<long long>();
    if (huge || number < min || number > max) {
      std::string message = "must be between ";
      message.append(std::to_string(min))
          .append(" and ")
          .append(std::to_string(max))
          .append(", got ")
          .append(value->dump());
      Fail(At(key), std::move(message));
      return std::nullopt;
    }
    return number;
  }

  // An array of strings, each checked by `check` (which records its own errors and returns
  // false to reject the element).
  std::optional<std::vector<std::string>> StringArray(
      const std::string& key, bool required, bool allow_empty_array,
      const std::function<bool(const std::string&, const FieldPath&)>& check) {
    const Json* value = Field(key, required);
    if (!value) return std::nullopt;
    if (!value->is_array()) {
      Fail(At(key), "expected an array, got " + std::string(JsonTypeName(*value)));
      return std::nullopt;
    }
    if (!allow_empty_array && value->empty()) {
      Fail(At(key), "must not be empty");
      return std::nullopt;
    }
    std::vector<std::string> out;
    std::set<std::string> seen;
    bool good = true;
    for (size_t i = 0; i < value->size(); ++i) {
      FieldPath where = At(key).Index(i);
      std::optional<std::string> text = StringValue((*value)[i], where);
      if (!text) {
        good = false;
        continue;
      }
      if (!seen.insert(*text).second) {
        Fail(where, "duplicate value " + Quote(*text));
        good = false;
        continue;
      }
      if (check && !check(*text, where)) {
        good = false;
        continue;
      }
      out.push_back(*text);
    }
    return good ? std::optional(out) : std::nullopt;
  }

  // Checks a theme id against the references; records "unknown theme".
  bool CheckTheme(const std::string& theme, const FieldPath& where, const References& refs) {
    if (refs.themes && !refs.themes->count(theme)) {
      Fail(where, "unknown theme " + Quote(theme));
      return false;
    }
    return true;
  }

  bool CheckCollectivite(const std::string& id, const FieldPath& where, const References& refs) {
    if (refs.collectivites && !refs.collectivites->count(id)) {
      Fail(where, "unknown collectivite " + Quote(id));
      return false;
    }
    return true;
  }

  std::optional<std::string> CountryField(const std::string& key) {
    std::optional<std::string> code = String(key, true);
    if (code && !FindCountry(*code)) {
      Fail(At(key), "unknown country " + Quote(*code) +
                        ", expected an ISO 3166-1 alpha-2 code such as \"SN\"");
      return std::nullopt;
    }
    return code;
  }

  std::optional<std::vector<std::string>> LanguagesField(const std::string& key, bool required) {
    return StringArray(key, required, /*allow_empty_array=*/true,
                       [this](const std::string& code, const FieldPath& where) {
                         if (!FindLanguage(code)) {
                           Fail(where, "unknown language " + Quote(code) +
                                           ", expected an ISO 639-1 code such as \"fr\"");
                           return false;
                         }
                         return true;
                       });
  }

  std::optional<matcher::Partner> PartnerField(const std::string& key, bool id_required) {
    const Json* value = Field(key, true);
    if (!value) return std::nullopt;
    Reader partner(*value, At(key), errors_);
    matcher::Partner out;
    out.id = partner.String("id", id_required).value_or("");
    out.name = partner.String("name", true).value_or("");
    if (!partner.ok()) return std::nullopt;
    return out;
  }

  // `since` then `until` (nullable), with since <= until.
  void Validity(const std::string& since_key, const std::string& until_key, Date* since,
                std::optional<Date>* until) {
    auto from = DateField(since_key, true);
    auto to = DateField(until_key, false);
    if (from) *since = *from;
    *until = to;
    if (from && to && *to < *from) Fail(At(until_key), "is before " + since_key);
  }

 private:
  const Json& json_;
  FieldPath path_;
  FieldErrors* errors_;
  size_t first_error_;
};

template <typename Names>
std::string JoinNames(const Names& names) {
  std::string out;
  for (std::string_view name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

Json OptionalDate(const std::optional<Date>& date) {
  return date ? Json(matcher::FormatIsoDate(*date)) : Json(nullptr);
}

}  // namespace

std::string_view JsonTypeName(const Json& json) {
  switch (json.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "an integer";
    case Json::value_t::number_float:
      return "a number";
    default:
      return "an unsupported value";
  }
}

bool IsPlausibleEmail(std::string_view address) {
  if (address.size() < 3 || address.size() > 254) return false;
  for (char ch : address) {
    const unsigned char byte = static_cast<unsigned char>(ch);
    if (byte <= 0x20 || byte >= 0x7F) return false;
    if (std::string_view("\"(),:;<>[\\]").find(ch) != std::string_view::npos) return false;
  }
  const size_t at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos)
    return false;
  const std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos)
    return false;
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos)
    return false;
  for (char ch : domain) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '-' || ch == '.'))
      return false;
  }
  return true;
}

std::string_view KindName(matcher::CollectiviteKind kind) {
  return kKindNames[static_cast<size_t>(kind)];
}

std::string_view StatusName(matcher::NeedStatus status) {
  for (size_t i = 0; i < kStatusValues.size(); ++i) {
    if (kStatusValues[i] == status) return kStatusNames[i];
  }
  return "submitted";
}

std::optional<matcher::NeedStatus> StatusFromName(std::string_view name) {
  for (size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == name) return kStatusValues[i];
  }
  return std::nullopt;
}

std::optional<matcher::Theme> DecodeTheme(const Json& json, const FieldPath& path,
                                          FieldErrors* errors) {
  Reader r(json, path, errors);
  matcher::Theme theme;
  if (auto id = r.String("id", true)) {
    theme.id = *id;
    size_t start = 0;
    bool valid = true;
    while (true) {
      size_t dot = theme.id.find('.', start);
      if (!IsSlugSegment(std::string_view(theme.id).substr(start, dot - start))) valid = false;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (!valid)
      r.Fail(r.At("id"), "invalid theme id " + Quote(theme.id) +
                             ", expected a dotted slug of [a-z0-9_-] segments");
  }
  theme.label = r.String("label", true).value_or("");
  theme.parent = r.String("parent", false).value_or("");
  if (!theme.parent.empty() && theme.id.rfind(theme.parent + ".", 0) != 0) {
    r.Fail(r.At("id"), "id " + Quote(theme.id) + " must start with its parent's id " +
                           Quote(theme.parent + "."));
  }
  if (!r.ok()) return std::nullopt;
  return theme;
}

std::optional<matcher::Collectivite> DecodeCollectivite(const Json& json, const FieldPath& path,
                                                        const References& refs,
                                                        FieldErrors* errors) {
  Reader r(json, path, errors);
  matcher::Collectivite c;
  c.id = r.String("id", true).value_or("");
  c.name = r.String("name", true).value_or("");
  if (auto kind = r.String("kind", true)) {
    bool known = false;
    for (size_t i = 0; i < kKindNames.size(); ++i) {
      if (kKindNames[i] == *kind) {
        c.kind = static_cast<matcher::CollectiviteKind>(i);
        known = true;
      }
    }
    if (!known)
      r.Fail(r.At("kind"),
             "unknown kind " + Quote(*kind) + ", expected one of " + JoinNames(kKindNames));
  }
  if (auto region = r.String("region", true)) {
    c.region = *region;
    if (!IsFrenchRegion(*region)) r.Fail(r.At("region"), "unknown French région " + Quote(*region));
  }
  if (auto population = r.Integer("population", false, 0, 100'000'000)) c.population = *population;

  if (const Json* labels = r.Field("labels", true)) {
    if (!labels->is_array()) {
      r.Fail(r.At("labels"), "expected an array, got " + std::string(JsonTypeName(*labels)));
    } else {
      std::set<std::string> seen;
      for (size_t i = 0; i < labels->size(); ++i) {
        Reader l((*labels)[i], r.At("labels").Index(i), errors);
        matcher::Label label;
        if (auto theme = l.String("theme", true)) {
          label.theme = *theme;
          if (l.CheckTheme(*theme, l.At("theme"), refs) && !seen.insert(*theme).second) {
            l.Fail(l.At("theme"), "duplicate label for theme " + Quote(*theme));
          }
        }
        l.Validity("since", "until", &label.since, &label.until);
        if (l.ok()) c.labels.push_back(std::move(label));
      }
    }
  }
  c.languages = r.LanguagesField("languages", true).value_or(std::vector<std::string>{});
  c.capacity_per_year = static_cast<int>(r.Integer("capacity_per_year", true, 0, 1000).value_or(0));
  c.experts = static_cast<int>(r.Integer("experts", true, 0, 100000).value_or(0));
  if (auto email = r.String("contact_email", false)) {
    if (IsPlausibleEmail(*email)) {
      c.contact_email = *email;
    } else {
      r.Fail(r.At("contact_email"),
             "invalid e-mail address " + Quote(*email) +
                 ", expected local@domain (at most 254 bytes of ASCII, no spaces)");
    }
  }
  if (auto siren = r.String("siren", false)) {
    if (siren->size() != 9 || !std::all_of(siren->begin(), siren->end(),
                                           [](char ch) { return ch >= '0' && ch <= '9'; })) {
      r.Fail(r.At("siren"), "le numéro SIREN « " + *siren + " » doit avoir 9 chiffres");
    } else if (!IsValidSiren(*siren)) {
      r.Fail(r.At("siren"),
             "le numéro SIREN « " + *siren + " » n'a pas une clé de contrôle valide");
    } else {
      c.siren = *siren;
    }
  }
  if (auto insee = r.String("insee", false)) {
    if (std::string problem = InseeProblem(c.kind, *insee); !problem.empty()) {
      r.Fail(r.At("insee"), "code INSEE « " + *insee + " » : " + problem);
    } else {
      c.insee = *insee;
    }
  }
  if (!r.ok()) return std::nullopt;
  return c;
}

std::optional<matcher::Cooperation> DecodeCooperation(const Json& json, const FieldPath& path,
                                                      const References& refs, FieldErrors* errors) {
  Reader r(json, path, errors);
  matcher::Cooperation link;
  if (auto id = r.String("collectivite", true)) {
    link.collectivite = *id;
    r.CheckCollectivite(*id, r.At("collectivite"), refs);
  }
  link.country = r.CountryField("country").value_or("");
  if (auto partner = r.PartnerField("partner", /*id_required=*/false)) link.partner = *partner;
  auto themes = r.StringArray("themes", true, /*allow_empty_array=*/true,
                              [&](const std::string& theme, const FieldPath& where) {
                                return r.CheckTheme(theme, where, refs);
                              });
  link.themes = themes.value_or(std::vector<std::string>{});
  r.Validity("since", "until", &link.since, &link.until);
  if (!r.ok()) return std::nullopt;
  return link;
}

std::optional<matcher::Mission> DecodeMission(const Json& json, const FieldPath& path,
                                              const References& refs, FieldErrors* errors) {
  Reader r(json, path, errors);
  matcher::Mission m;
  m.id = r.String("id", true).value_or("");
  m.need = r.String("need", false).value_or("");
  if (auto id = r.String("collectivite", true)) {
    m.collectivite = *id;
    r.CheckCollectivite(*id, r.At("collectivite"), refs);
  }
  m.country = r.CountryField("country").value_or("");
  auto themes = r.StringArray("themes", true, /*allow_empty_array=*/false,
                              [&](const std::string& theme, const FieldPath& where) {
                                return r.CheckTheme(theme, where, refs);
                              });
  m.themes = themes.value_or(std::vector<std::string>{});
  auto start = r.DateField("start", true);
  auto end = r.DateField("end", true);
  if (start) m.start = *start;
  if (end) m.end = *end;
  if (start && end && *end < *start) r.Fail(r.At("end"), "is before start");
  m.report_delivered = r.DateField("report_delivered", false);
  if (end && m.report_delivered && *m.report_delivered < *end) {
    r.Fail(r.At("report_delivered"), "is before the mission's end");
  }
  if (auto rating = r.Integer("rating", false, 1, 5)) m.rating = static_cast<int>(*rating);
  if (const Json* experts = r.Field("experts", false)) {
    if (!experts->is_array()) {
      r.Fail(r.At("experts"), "expected an array, got " + std::string(JsonTypeName(*experts)));
    } else if (experts->size() > 50) {
      r.Fail(r.At("experts"), "at most 50 experts");
    } else {
      for (size_t i = 0; i < experts->size(); ++i) {
        Reader e((*experts)[i], r.At("experts").Index(i), errors);
        matcher::Expert expert;
        expert.name = e.String("name", true).value_or("");
        expert.function = e.String("function", true).value_or("");
        for (const char* key : {"name", "function"}) {
          if (e.ok() && (*experts)[i][key].get<std::string>().size() > 200)
            e.Fail(e.At(key), "at most 200 bytes");
        }
        m.experts.push_back(std::move(expert));
      }
    }
  }
  if (!r.ok()) return std::nullopt;
  return m;
}

std::optional<matcher::Need> DecodeNeed(const Json& json, const FieldPath& path,
                                        const References& refs, FieldErrors* errors) {
  Reader r(json, path, errors);
  matcher::Need need;
  need.id = r.String("id", true).value_or("");
  need.country = r.CountryField("country").value_or("");
  if (auto partner = r.PartnerField("partner", /*id_required=*/false)) need.partner = *partner;

  // A need may arrive without themes, as an embassy describes it: the service suggests themes
  // from the description and DAECT confirms them (checked below, once status and description
  // are read).
  const Json* themes = r.Field("themes", false);
  if (themes) {
    if (!themes->is_array()) {
      r.Fail(r.At("themes"), "expected an array, got " + std::string(JsonTypeName(*themes)));
    } else {
      std::set<std::string> seen;
      for (size_t i = 0; i < themes->size(); ++i) {
        Reader t((*themes)[i], r.At("themes").Index(i), errors);
        matcher::NeedTheme entry;
        if (auto theme = t.String("theme", true)) {
          entry.theme = *theme;
          if (t.CheckTheme(*theme, t.At("theme"), refs) && !seen.insert(*theme).second) {
            t.Fail(t.At("theme"), "duplicate theme " + Quote(*theme));
          }
        }
        if (const Json* weight = t.Field("weight", false)) {
          if (!weight->is_number()) {
            t.Fail(t.At("weight"), "expected a number, got " + std::string(JsonTypeName(*weight)));
          } else if (double w = weight->get<double>(); !std::isfinite(w) || w <= 0.0 || w > 1e6) {
            t.Fail(t.At("weight"), "must be a positive number no greater than 1e6");
          } else {
            entry.weight = w;
          }
        }
        if (t.ok()) need.themes.push_back(std::move(entry));
      }
    }
  }
  need.languages = r.LanguagesField("languages", false).value_or(std::vector<std::string>{});

  if (const Json* period = r.Field("period", true)) {
    Reader p(*period, r.At("period"), errors);
    auto start = p.DateField("start", true);
    auto end = p.DateField("end", true);
    if (start) need.period.start = *start;
    if (end) need.period.end = *end;
    if (start && end && *end < *start) p.Fail(p.At("end"), "is before start");
  }
  need.experts_needed = static_cast<int>(r.Integer("experts_needed", false, 1, 100).value_or(1));
  need.description = r.String("description", false, /*allow_empty=*/true).value_or("");
  if (need.description.size() > kMaxDescriptionBytes) {
    r.Fail(r.At("description"),
           "is longer than " + std::to_string(kMaxDescriptionBytes) + " bytes");
  }
  if (auto status = r.String("status", false)) {
    if (auto value = StatusFromName(*status)) {
      need.status = *value;
    } else {
      r.Fail(r.At("status"),
             "unknown status " + Quote(*status) + ", expected one of " + JoinNames(kStatusNames));
    }
  }
  need.submitted_at = r.DateField("submitted_at", false, /*allow_datetime=*/true);
  if (json.is_object() && need.themes.empty() &&
      (!themes || (themes->is_array() && themes->empty()))) {
    if (need.description.empty()) {
      r.Fail(r.At("themes"),
             "must name at least one theme (or give a description to have themes suggested)");
    } else if (need.status != matcher::NeedStatus::kSubmitted) {
      r.Fail(r.At("themes"), "must name at least one theme once the need is past submitted");
    }
  }
  auto excluded = r.StringArray("excluded", false, /*allow_empty_array=*/true,
                                [&](const std::string& id, const FieldPath& where) {
                                  return r.CheckCollectivite(id, where, refs);
                                });
  need.excluded = excluded.value_or(std::vector<std::string>{});
  if (auto selected = r.String("selected", false)) {
    need.selected = *selected;
    r.CheckCollectivite(*selected, r.At("selected"), refs);
  }
  if (!r.ok()) return std::nullopt;
  return need;
}

Json Encode(const matcher::Theme& theme) {
  return Json{{"id", theme.id},
              {"label", theme.label},
              {"parent", theme.parent.empty() ? Json(nullptr) : Json(theme.parent)}};
}

Json Encode(const matcher::Collectivite& c) {
  Json labels = Json::array();
  for (const matcher::Label& label : c.labels) {
    labels.push_back({{"theme", label.theme},
                      {"since", matcher::FormatIsoDate(label.since)},
                      {"until", OptionalDate(label.until)}});
  }
  Json out{{"id", c.id},
           {"name", c.name},
           {"kind", KindName(c.kind)},
           {"region", c.region},
           {"labels", labels},
           {"languages", c.languages},
           {"capacity_per_year", c.capacity_per_year},
           {"experts", c.experts}};
  if (c.population) out["population"] = *c.population;
  if (!c.contact_email.empty()) out["contact_email"] = c.contact_email;
  if (!c.siren.empty()) out["siren"] = c.siren;
  if (!c.insee.empty()) out["insee"] = c.insee;
  return out;
}

namespace {
Json EncodePartner(const matcher::Partner& partner) {
  Json out{{"name", partner.name}};
  if (!partner.id.empty()) out["id"] = partner.id;
  return out;
}
}  // namespace

Json Encode(const matcher::Cooperation& link) {
  return Json{{"collectivite", link.collectivite},           {"country", link.country},
              {"partner", EncodePartner(link.partner)},      {"themes", link.themes},
              {"since", matcher::FormatIsoDate(link.since)}, {"until", OptionalDate(link.until)}};
}

Json Encode(const matcher::Mission& m) {
  Json out{{"id", m.id},
           {"need", m.need.empty() ? Json(nullptr) : Json(m.need)},
           {"collectivite", m.collectivite},
           {"country", m.country},
           {"themes", m.themes},
           {"start", matcher::FormatIsoDate(m.start)},
           {"end", matcher::FormatIsoDate(m.end)},
           {"report_delivered", OptionalDate(m.report_delivered)},
           {"rating", m.rating ? Json(*m.rating) : Json(nullptr)}};
  if (!m.experts.empty()) {
    Json experts = Json::array();
    for (const matcher::Expert& e : m.experts)
      experts.push_back({{"name", e.name}, {"function", e.function}});
    out["experts"] = std::move(experts);
  }
  return out;
}

Json Encode(const matcher::Need& need) {
  Json themes = Json::array();
  for (const matcher::NeedTheme& theme : need.themes)
    themes.push_back({{"theme", theme.theme}, {"weight", theme.weight}});
  Json out{{"id", need.id},
           {"country", need.country},
           {"partner", EncodePartner(need.partner)},
           {"themes", themes},
           {"languages", need.languages},
           {"period",
            {{"start", matcher::FormatIsoDate(need.period.start)},
             {"end", matcher::FormatIsoDate(need.period.end)}}},
           {"experts_needed", need.experts_needed},
           {"description", need.description},
           {"status", StatusName(need.status)},
           {"submitted_at", OptionalDate(need.submitted_at)},
           {"excluded", need.excluded}};
  if (!need.selected.empty()) out["selected"] = need.selected;
  return out;
}

}  // namespace expectmatch::datasets
