#include "expectmatch/service/label_history.h"

#include <map>

namespace expectmatch::service {

using datasets::Json;

namespace {

struct Validity {
  std::string since;
  std::string until;  // "" when open-ended
};

std::string Text(const Json& label, const char* key) {
  auto it = label.find(key);
  return it != label.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// theme → validity, and the themes in their order.
std::map<std::string, Validity> ByTheme(const Json& labels, std::vector<std::string>* order) {
  std::map<std::string, Validity> out;
  if (!labels.is_array()) return out;
  for (const Json& label : labels) {
    if (!label.is_object()) continue;
    const std::string theme = Text(label, "theme");
    if (theme.empty() || out.count(theme)) continue;
    out[theme] = {Text(label, "since"), Text(label, "until")};
    order->push_back(theme);
  }
  return out;
}

}  // namespace

std::vector<store::LabelHistoryRow> LabelChanges(const std::string& collectivite,
                                                 const Json& before, const Json& after,
                                                 const std::string& at, const std::string& by) {
  std::vector<std::string> old_order, new_order;
  const std::map<std::string, Validity> old_labels = ByTheme(before, &old_order);
  const std::map<std::string, Validity> new_labels = ByTheme(after, &new_order);
  std::vector<store::LabelHistoryRow> rows;
  auto row = [&](const std::string& theme, const char* event, const Validity& v) {
    store::LabelHistoryRow r;
    r.collectivite = collectivite;
    r.theme = theme;
    r.event = event;
    r.since = v.since;
    r.until = v.until;
    r.at = at;
    r.by = by;
    rows.push_back(std::move(r));
  };
  for (const std::string& theme : new_order) {
    const Validity& now = new_labels.at(theme);
    auto was = old_labels.find(theme);
    if (was == old_labels.end()) {
      row(theme, "granted", now);
    } else if (was->second.since == now.since && was->second.until == now.until) {
      continue;
    } else if (!was->second.until.empty() && (now.until.empty() || now.until > was->second.until)) {
      row(theme, "renewed", now);
    } else {
      row(theme, "changed", now);
    }
  }
  for (const std::string& theme : old_order) {
    if (!new_labels.count(theme)) row(theme, "withdrawn", old_labels.at(theme));
  }
  return rows;
}

}  // namespace expectmatch::service
