#include "expectmatch/service/reminders.h"

#include <optional>
#include <vector>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/reference.h"
#include "expectmatch/matcher/date.h"
#include "expectmatch/service/clock.h"

namespace expectmatch::service {
namespace {

using datasets::Json;
using matcher::Date;

constexpr int kReminderDays = 15;
constexpr int kOverdueWindowDays = 60;
constexpr size_t kDescriptionExcerptBytes = 160;

// "2 février 2026".
std::string FrenchDate(Date date) {
  static const char* const kMonths[] = {"janvier",   "février", "mars",     "avril",
                                        "mai",       "juin",    "juillet",  "août",
                                        "septembre", "octobre", "novembre", "décembre"};
  const std::string iso = matcher::FormatIsoDate(date);  // YYYY-MM-DD
  const int month = std::stoi(iso.substr(5, 2));
  const int day = std::stoi(iso.substr(8, 2));
  std::string out = std::to_string(day);
  if (day == 1) out += "er";
  return out + " " + kMonths[month - 1] + " " + iso.substr(0, 4);
}

// The first `limit` bytes of `text` on a UTF-8 boundary, with "…" when cut.
std::string Excerpt(const std::string& text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "…";
}

std::string StringField(const Json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct MissionFacts {
  std::string id;
  std::string collectivite;
  std::string need;
  std::string country;  // French name
  Date start, end, due;
  std::string need_line;  // "n-12 — Commune de Podor — « ... »"
};

std::string Facts(const MissionFacts& m) {
  return "Mission : " + m.id + "\n" + "Besoin : " + m.need_line + "\n" + "Pays : " + m.country +
         "\n" + "Dates de la mission : du " + FrenchDate(m.start) + " au " + FrenchDate(m.end) +
         "\n" + "Date limite du rapport : " + FrenchDate(m.due) + "\n";
}

constexpr const char* kClosing =
    "\nLe rapport se dépose dans EXPE-CT Match (document, synthèse en français et évaluations)."
    "\n\nCordialement,\nLa Délégation pour l'action extérieure des collectivités territoriales "
    "(DAECT)\n";

store::OutboxRow Message(const MissionFacts& m, const std::string& stage, const std::string& event,
                         const std::string& recipient, std::string subject, std::string body) {
  store::OutboxRow row;
  row.id = NewRequestId();
  row.dedupe = "report:" + m.id + ":" + stage;
  row.event = event;
  row.recipient = recipient;
  row.subject = std::move(subject);
  row.body = std::move(body);
  row.created_at = NowRfc3339();
  return row;
}

}  // namespace

size_t QueueReportReminders(store::Store& store, const std::string& today_text) {
  const std::optional<Date> today = matcher::ParseIsoDate(today_text);
  if (!today) return 0;
  std::vector<store::OutboxRow> mail;
  for (const store::Document& doc : store.Missions()) {
    const Json json = Json::parse(doc.json, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) continue;
    if (auto delivered = json.find("report_delivered");
        delivered != json.end() && !delivered->is_null())
      continue;
    MissionFacts m;
    m.id = StringField(json, "id");
    m.collectivite = StringField(json, "collectivite");
    m.need = StringField(json, "need");
    const std::optional<Date> start = matcher::ParseIsoDate(StringField(json, "start"));
    const std::optional<Date> end = matcher::ParseIsoDate(StringField(json, "end"));
    if (m.id.empty() || m.collectivite.empty() || !start || !end) continue;
    m.start = *start;
    m.end = *end;
    m.due = end->AddMonths(2);
    const int days_to_due = m.due.days - today->days;
    if (days_to_due > kReminderDays || days_to_due < -kOverdueWindowDays) continue;

    const std::string code = StringField(json, "country");
    const datasets::Country* country = datasets::FindCountry(code);
    m.country = country ? std::string(country->name_fr) : code;
    m.need_line = m.need.empty() ? std::string("(aucun besoin enregistré)") : m.need;
    if (!m.need.empty()) {
      if (std::optional<store::NeedRow> need = store.GetNeed(m.need)) {
        const Json n = Json::parse(need->json, nullptr, /*allow_exceptions=*/false);
        if (n.is_object()) {
          if (auto partner = n.find("partner"); partner != n.end() && partner->is_object()) {
            const std::string name = StringField(*partner, "name");
            if (!name.empty()) m.need_line += " — " + name;
          }
          const std::string description = StringField(n, "description");
          if (!description.empty())
            m.need_line += " — « " + Excerpt(description, kDescriptionExcerptBytes) + " »";
        }
      }
    }
    const std::string authority = "collectivite:" + m.collectivite;
    const std::string due = FrenchDate(m.due);
    if (days_to_due > 0) {
      mail.push_back(Message(
          m, "reminder-15", "report_reminder", authority,
          "EXPE-CT : rapport de la mission " + m.id + " attendu le " + due,
          "Bonjour,\n\nLe rapport de la mission EXPE-CT ci-dessous est attendu au plus tard le " +
              due + " (dans " + std::to_string(days_to_due) + " jour" +
              (days_to_due > 1 ? "s" : "") + ").\n\n" + Facts(m) + kClosing));
    } else if (days_to_due == 0) {
      mail.push_back(Message(
          m, "due", "report_due", authority,
          "EXPE-CT : le rapport de la mission " + m.id + " est attendu aujourd'hui",
          "Bonjour,\n\nLe rapport de la mission EXPE-CT ci-dessous est attendu aujourd'hui, le " +
              due + ".\n\n" + Facts(m) + kClosing));
    } else {
      mail.push_back(Message(
          m, "overdue", "report_overdue", authority,
          "EXPE-CT : rapport de la mission " + m.id + " en retard",
          "Bonjour,\n\nLe rapport de la mission EXPE-CT ci-dessous était attendu le " + due +
              " et n'a pas encore été déposé. Merci de le transmettre au plus vite.\n\n" +
              Facts(m) + kClosing));
      mail.push_back(
          Message(m, "overdue-daect", "report_overdue", "daect",
                  "EXPE-CT : rapport de la mission " + m.id + " en retard (" + m.collectivite + ")",
                  "Bonjour,\n\nLe rapport de la mission ci-dessous, attendu le " + due +
                      ", n'a pas été déposé par la collectivité " + m.collectivite +
                      ". Elle en a été avertie.\n\n" + Facts(m) +
                      "\nMessage automatique d'EXPE-CT Match.\n"));
    }
  }
  if (mail.empty()) return 0;
  return store.EnqueueMail(mail);
}

}  // namespace expectmatch::service
