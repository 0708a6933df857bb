// Mission-report reminders, queued in the outbox (a chore of service::Chores).
//
// For each mission whose report is not delivered (`report_delivered` null), the report is due
// two calendar months after the mission's end (matcher::Date::AddMonths(2)). The authority
// ("collectivite:<id>") gets, each at most once (outbox dedupe keys
// "report:<mission>:reminder-15", ":due", ":overdue", and ":overdue-daect" for DAECT's copy):
//   - a reminder from 15 days before the due date (the day before included);
//   - a notice on the due date itself;
//   - an overdue notice from the day after, up to 60 days after the due date, with a copy to
//     "daect". Older missions get nothing (GET /v1/reports/overdue lists them): a first start
//     on a history of old missions does not mail years of overdue notices.
// A day the service did not run is caught up by the next pass within the same window only
// (a missed due-date notice is not sent late; the overdue notice follows). French texts name the
// mission, the need (id, partner, start of its description), the country, the mission's dates
// and the due date.
#pragma once

#include <cstddef>
#include <string>

#include "expectmatch/store/store.h"

namespace expectmatch::service {

// Queues the reminders due on `today` (ISO date); returns how many new messages were queued.
size_t QueueReportReminders(store::Store& store, const std::string& today);

}  // namespace expectmatch::service
