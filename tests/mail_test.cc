// The outbox's e-mails: the message text (MailFormat), authorities' contact addresses
// (ContactEmail), report reminders and the chores thread (ReportReminders, Chores), the sender
// against a local SMTP sink (MailSender), and a real `expectmatch serve` killed with SIGKILL
// while it sends (MailServe).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "expectmatch/app/serve_config.h"
#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/reference.h"
#include "expectmatch/matcher/date.h"
#include "expectmatch/service/chores.h"
#include "expectmatch/service/clock.h"
#include "expectmatch/service/mail.h"
#include "expectmatch/service/outbox.h"
#include "expectmatch/service/reminders.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/store/store.h"
#include "expectmatch/store_rows/store_rows.h"
#include "server_process.h"
#include "smtp_sink.h"
#include "testutil.h"

namespace expectmatch {
namespace {

using datasets::Json;
using testing::ScratchDir;
using testing::SmtpSink;
using testing::TestData;
using testing::WaitFor;

// 2026-11-30T14:00:00Z
constexpr std::time_t kNoon = 1796047200;

store::OutboxRow Mail(const std::string& id, const std::string& recipient,
                      const std::string& subject = "Essai", const std::string& body = "Bonjour\n") {
  store::OutboxRow row;
  row.id = id;
  row.dedupe = "test:" + id;
  row.event = "test";
  row.recipient = recipient;
  row.subject = subject;
  row.body = body;
  row.created_at = "2026-11-30T13:00:00Z";
  return row;
}

// A store in `dir` seeded with the tiny data set.
std::unique_ptr<store::Store> TinyStore(const ScratchDir& dir) {
  auto store = std::make_unique<store::Store>(dir.path() / "mail.db");
  service::OpenSnapshot(*store, TestData("tiny").string());
  return store;
}

void SetContactEmail(store::Store& store, const std::string& id, const std::string& email) {
  datasets::FieldErrors errors;
  std::optional<matcher::Collectivite> c = datasets::DecodeCollectivite(
      Json::parse(store.GetCollectivite(id)->json), datasets::FieldPath(), {}, &errors);
  ASSERT_TRUE(c) << "cannot decode " << id;
  c->contact_email = email;
  store::SeedDocuments docs;
  docs.collectivites.push_back(store_rows::CollectiviteRowFor(*c));
  store.Import(docs);
}

TEST(MailFormat, DatesAreInEnglishWithAZeroOffset) {
  EXPECT_EQ(service::Rfc5322Date(kNoon), "Mon, 30 Nov 2026 14:00:00 +0000");
  EXPECT_EQ(service::Rfc5322Date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(service::FormatRfc3339(kNoon), "2026-11-30T14:00:00Z");
}

TEST(MailFormat, SubjectsInAsciiStayPlainOthersAreEncodedWords) {
  EXPECT_EQ(service::EncodeSubject("Rapport attendu"), "Rapport attendu");
  EXPECT_EQ(service::EncodeSubject("été"), "=?UTF-8?B?w6l0w6k=?=");
  // A header line cannot be broken by the subject.
  EXPECT_EQ(service::EncodeSubject("a\r\nBcc: x@y.fr"), "a  Bcc: x@y.fr");
  // Long subjects: several words of at most 45 bytes, never splitting a character.
  const std::string long_subject =
      "EXPE-CT : le rapport de la mission m-n1 est attendu aujourd'hui, le 12 février 2027";
  const std::string encoded = service::EncodeSubject(long_subject);
  EXPECT_NE(encoded.find("\r\n =?UTF-8?B?"), std::string::npos) << encoded;
  size_t start = 0;
  for (size_t end; start < encoded.size(); start = end + 3) {
    end = encoded.find("\r\n ", start);
    if (end == std::string::npos) end = encoded.size();
    EXPECT_LE(end - start, 75u);
  }
}

TEST(MailFormat, BodiesAreQuotedPrintableWithShortCrlfLines) {
  EXPECT_EQ(service::QuotedPrintable("Réunion = 3\nfin \n"), "R=C3=A9union =3D 3\r\nfin=20\r\n");
  EXPECT_EQ(service::QuotedPrintable("sans fin"), "sans fin\r\n");
  const std::string line(100, 'a');
  EXPECT_EQ(service::QuotedPrintable(line),
            std::string(75, 'a') + "=\r\n" + std::string(25, 'a') + "\r\n");
  // An escape is never split by a soft break.
  const std::string accents = std::string(74, 'a') + "é";
  EXPECT_EQ(service::QuotedPrintable(accents), std::string(74, 'a') + "=\r\n=C3=A9\r\n");
}

TEST(MailFormat, TheMessageHasEveryHeaderAndCrlfLineEnds) {
  service::MailMessage message{"expe-ct@example.org",
                               "mairie@ville-a.example.fr",
                               "Rapport",
                               "Bonjour,\nMerci.\n",
                               "abc123",
                               kNoon};
  EXPECT_EQ(service::FormatMessage(message),
            "From: expe-ct@example.org\r\n"
            "To: mairie@ville-a.example.fr\r\n"
            "Subject: Rapport\r\n"
            "Date: Mon, 30 Nov 2026 14:00:00 +0000\r\n"
            "Message-ID: <abc123@expectmatch>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "Bonjour,\r\n"
            "Merci.\r\n");
}

TEST(ContactEmail, PlausibleAddressesOnly) {
  for (const char* good :
       {"a@b.fr", "relations.internationales@ville-lyon.example.fr", "x+tag@sub.domain.org"}) {
    EXPECT_TRUE(datasets::IsPlausibleEmail(good)) << good;
  }
  for (const char* bad : {"", "a@b", "@b.fr", "a@", "a b@c.fr", "a@b..fr", "a@@b.fr", "a@b.fr\n",
                          "<a@b.fr>", "a@b.fr, c@d.fr", "é@b.fr", ".a@b.fr"}) {
    EXPECT_FALSE(datasets::IsPlausibleEmail(bad)) << bad;
  }
  EXPECT_TRUE(datasets::IsPlausibleEmail(std::string(64, 'a') + "@" + std::string(186, 'b') +
                                         ".fr"));  // 254 bytes
  EXPECT_FALSE(datasets::IsPlausibleEmail(std::string(64, 'a') + "@" + std::string(187, 'b') +
                                          ".fr"));  // 255
  EXPECT_FALSE(datasets::IsPlausibleEmail(std::string(65, 'a') + "@b.fr"));
}

TEST(ContactEmail, TheCodecKeepsItAndNamesTheFieldWhenInvalid) {
  Json record = Json::parse(R"({"id": "com-z", "name": "Commune Z", "kind": "commune",
      "region": "Bretagne", "labels": [], "languages": ["fr"], "capacity_per_year": 1,
      "experts": 1, "contact_email": "international@z.example.fr"})");
  datasets::FieldErrors errors;
  auto c = datasets::DecodeCollectivite(record, datasets::FieldPath(), {}, &errors);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->contact_email, "international@z.example.fr");
  EXPECT_EQ(datasets::Encode(*c)["contact_email"], "international@z.example.fr");
  record["contact_email"] = "international at z";
  EXPECT_FALSE(datasets::DecodeCollectivite(record, datasets::FieldPath(), {}, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path.Pointer(), "/contact_email");
  // Absent: none, and the encoded record has no such field.
  record.erase("contact_email");
  c = datasets::DecodeCollectivite(record, datasets::FieldPath(), {}, &errors);
  ASSERT_TRUE(c);
  EXPECT_FALSE(datasets::Encode(*c).contains("contact_email"));
}

// The tiny data set's mission m-d1 (reg-d, Tunisia, 10–12 January 2027, report not delivered)
// is due on 12 March 2027.
TEST(ReportReminders, EachStageIsQueuedOnceInItsWindow) {
  ScratchDir dir;
  auto store = TinyStore(dir);
  EXPECT_EQ(service::QueueReportReminders(*store, "2027-02-24"), 0u);  // 16 days before
  EXPECT_EQ(service::QueueReportReminders(*store, "2027-02-25"), 1u);  // 15 days before
  EXPECT_EQ(service::QueueReportReminders(*store, "2027-03-01"), 0u);  // queued already
  EXPECT_EQ(service::QueueReportReminders(*store, "2027-03-12"), 1u);  // the due date
  EXPECT_EQ(service::QueueReportReminders(*store, "2027-03-12"), 0u);
  EXPECT_EQ(service::QueueReportReminders(*store, "2027-03-13"), 2u);  // overdue, and DAECT's copy
  EXPECT_EQ(service::QueueReportReminders(*store, "2027-04-20"), 0u);

  store::OutboxPage page = store->ListOutbox({});
  ASSERT_EQ(page.total, 4u);
  std::map<std::string, store::OutboxRow> by_dedupe;
  for (const store::OutboxRow& row : page.items) by_dedupe[row.dedupe] = row;
  ASSERT_EQ(by_dedupe.count("report:m-d1:reminder-15"), 1u);
  ASSERT_EQ(by_dedupe.count("report:m-d1:due"), 1u);
  ASSERT_EQ(by_dedupe.count("report:m-d1:overdue"), 1u);
  ASSERT_EQ(by_dedupe.count("report:m-d1:overdue-daect"), 1u);

  const store::OutboxRow& reminder = by_dedupe["report:m-d1:reminder-15"];
  EXPECT_EQ(reminder.event, "report_reminder");
  EXPECT_EQ(reminder.recipient, "collectivite:reg-d");
  EXPECT_EQ(reminder.status, "pending");
  EXPECT_EQ(reminder.subject, "EXPE-CT : rapport de la mission m-d1 attendu le 12 mars 2027");
  EXPECT_EQ(reminder.body,
            "Bonjour,\n\nLe rapport de la mission EXPE-CT ci-dessous est attendu au plus tard le "
            "12 mars 2027 (dans 15 jours).\n\n"
            "Mission : m-d1\n"
            "Besoin : n-2026-002\n"
            "Pays : Tunisie\n"
            "Dates de la mission : du 10 janvier 2027 au 12 janvier 2027\n"
            "Date limite du rapport : 12 mars 2027\n"
            "\nLe rapport se dépose dans EXPE-CT Match (document, synthèse en français et "
            "évaluations).\n\nCordialement,\nLa Délégation pour l'action extérieure des "
            "collectivités territoriales (DAECT)\n");
  EXPECT_EQ(by_dedupe["report:m-d1:due"].event, "report_due");
  EXPECT_EQ(by_dedupe["report:m-d1:overdue"].event, "report_overdue");
  EXPECT_EQ(by_dedupe["report:m-d1:overdue"].recipient, "collectivite:reg-d");
  EXPECT_EQ(by_dedupe["report:m-d1:overdue-daect"].recipient, "daect");
  EXPECT_EQ(by_dedupe["report:m-d1:overdue-daect"].subject,
            "EXPE-CT : rapport de la mission m-d1 en retard (reg-d)");
}

TEST(ReportReminders, TheNeedIsNamedWithItsPartnerAndDescription) {
  ScratchDir dir;
  auto store = TinyStore(dir);
  matcher::Mission mission;
  mission.id = "m-n1";
  mission.need = "n1";
  mission.collectivite = "com-a";
  mission.country = "SN";
  mission.themes = {"env.eau"};
  mission.start = *matcher::ParseIsoDate("2027-03-01");
  mission.end = *matcher::ParseIsoDate("2027-03-05");
  store::SeedDocuments docs;
  docs.missions.push_back(store_rows::MissionRowFor(mission));
  store->Import(docs);
  // m-n1's due date, and m-d1's overdue notice with DAECT's copy.
  EXPECT_EQ(service::QueueReportReminders(*store, "2027-05-05"), 3u);
  store::OutboxPage page = store->ListOutbox({});
  ASSERT_EQ(page.total, 3u);
  const auto due = std::find_if(page.items.begin(), page.items.end(),
                                [](const auto& row) { return row.dedupe == "report:m-n1:due"; });
  ASSERT_NE(due, page.items.end());
  EXPECT_EQ(due->recipient, "collectivite:com-a");
  EXPECT_EQ(due->subject, "EXPE-CT : le rapport de la mission m-n1 est attendu aujourd'hui");
  EXPECT_NE(due->body.find("Besoin : n1 — Commune de Podor — « Diagnostic du réseau d'eau et de "
                           "l'irrigation des périmètres maraîchers. »\nPays : Sénégal\n"
                           "Dates de la mission : du 1er mars 2027 au 5 mars 2027\n"),
            std::string::npos)
      << due->body;
  // Delivered: nothing more.
  mission.report_delivered = *matcher::ParseIsoDate("2027-05-06");
  docs.missions = {store_rows::MissionRowFor(mission)};
  store->Import(docs);
  EXPECT_EQ(service::QueueReportReminders(*store, "2027-05-07"), 0u);
}

TEST(ReportReminders, MissionsLongOverdueAreLeftToTheOverdueList) {
  ScratchDir dir;
  auto store = TinyStore(dir);
  // m-a2 (due 2026-03-12) and m-b1 (due 2024-08-07) are more than 60 days overdue by then.
  EXPECT_EQ(service::QueueReportReminders(*store, "2026-11-30"), 0u);
  EXPECT_EQ(service::QueueReportReminders(*store, "2026-05-11"), 2u);  // m-a2, 60 days late
  EXPECT_EQ(service::QueueReportReminders(*store, "not a date"), 0u);
}

TEST(Chores, EveryTaskRunsWithTheInjectedDayEvenAfterOneThrows) {
  service::Chores chores(std::chrono::hours(1), [] { return std::string("2027-02-25"); });
  std::vector<std::string> seen;
  chores.Add([](const std::string&) { throw std::runtime_error("chore failed on purpose"); });
  chores.Add([&seen](const std::string& today) { seen.push_back(today); });
  chores.RunOnce();
  EXPECT_EQ(seen, std::vector<std::string>{"2027-02-25"});
}

TEST(Chores, TheThreadRunsAPassAtStartAndStops) {
  service::Chores chores(std::chrono::hours(1), [] { return std::string("2027-03-12"); });
  std::atomic<int> passes{0};
  chores.Add([&passes](const std::string& today) {
    if (today == "2027-03-12") ++passes;
  });
  chores.Start();
  EXPECT_TRUE(WaitFor([&] { return passes.load() == 1; }));
  chores.Stop();  // returns although the next pass is an hour away
  EXPECT_EQ(passes.load(), 1);
}

// The sender, driven pass by pass with an injected clock, against a real SMTP server.
class MailSender : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = TinyStore(dir_);
    SetContactEmail(*store_, "com-a", "international@ville-a.example.fr");
  }
  service::MailSenderOptions Options(const std::string& url) const {
    service::MailSenderOptions options;
    options.smtp_url = url;
    options.from = "expe-ct@diplomatie.example.fr";
    options.daect_email = "daect@diplomatie.example.fr";
    return options;
  }

  ScratchDir dir_;
  std::unique_ptr<store::Store> store_;
  std::time_t now_ = kNoon;
};

TEST_F(MailSender, AMessageReachesTheServerWithItsHeadersAndFrenchBody) {
  SmtpSink sink(dir_.path() / "received.jsonl");
  ASSERT_NE(sink.port(), 0) << "the SMTP sink did not start (python3-aiosmtpd installed?)";
  const std::string subject = "EXPE-CT : rapport de la mission m-a3 attendu le 12 février 2027";
  const std::string body =
      "Bonjour,\n\nLe rapport est attendu le 12 février 2027.\n.Une ligne qui commence par un "
      "point.\n\nCordialement,\nLa DAECT\n";
  store_->EnqueueMail({Mail("msg-1", "collectivite:com-a", subject, body)});
  service::MailSender sender(*store_, Options(sink.url()), [this] { return now_; });
  EXPECT_EQ(sender.SendDue(), 1u);

  std::vector<Json> received = sink.Messages();
  ASSERT_EQ(received.size(), 1u);
  const Json& m = received[0];
  EXPECT_EQ(m["mail_from"], "expe-ct@diplomatie.example.fr");
  EXPECT_EQ(m["rcpt_tos"], Json::array({"international@ville-a.example.fr"}));
  EXPECT_EQ(m["headers"]["from"], "expe-ct@diplomatie.example.fr");
  EXPECT_EQ(m["headers"]["to"], "international@ville-a.example.fr");
  EXPECT_EQ(m["headers"]["subject"], subject);
  EXPECT_EQ(m["headers"]["message-id"], "<msg-1@expectmatch>");
  EXPECT_EQ(m["headers"]["date"], "Mon, 30 Nov 2026 14:00:00 +0000");
  EXPECT_EQ(m["headers"]["content-type"], "text/plain; charset=\"utf-8\"");
  EXPECT_EQ(m["headers"]["content-transfer-encoding"], "quoted-printable");
  EXPECT_EQ(m["body"], body);
  // Every line of the text on the wire ends with CRLF.
  const std::string raw = m["raw"];
  for (size_t at = raw.find('\n'); at != std::string::npos; at = raw.find('\n', at + 1))
    ASSERT_EQ(raw[at - 1], '\r') << raw;

  std::optional<store::OutboxRow> row = store_->GetMail("msg-1");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->status, "sent");
  EXPECT_EQ(row->sent_at, "2026-11-30T14:00:00Z");
  EXPECT_EQ(row->attempts, 0);
  EXPECT_EQ(row->last_error, "");
  EXPECT_EQ(sender.SendDue(), 0u);  // nothing due: sent once
  EXPECT_EQ(sink.Messages().size(), 1u);
}

TEST_F(MailSender, AServerDownMeansBackoffThenDeliveryOnceItIsUp) {
  int port = 0;
  {
    SmtpSink probe(dir_.path() / "probe.jsonl");  // a port that was free a moment ago
    port = probe.port();
  }
  ASSERT_NE(port, 0);
  store_->EnqueueMail({Mail("msg-down", "daect")});
  service::MailSender sender(*store_, Options("smtp://127.0.0.1:" + std::to_string(port)),
                             [this] { return now_; });
  EXPECT_EQ(sender.SendDue(), 0u);
  std::optional<store::OutboxRow> row = store_->GetMail("msg-down");
  EXPECT_EQ(row->status, "pending");
  EXPECT_EQ(row->attempts, 1);
  EXPECT_EQ(row->next_attempt_at, "2026-11-30T14:00:30Z");  // 30 s
  EXPECT_EQ(row->last_error.rfind("smtp: ", 0), 0u) << row->last_error;

  now_ += 29;  // not due yet
  EXPECT_EQ(sender.SendDue(), 0u);
  EXPECT_EQ(store_->GetMail("msg-down")->attempts, 1);
  now_ += 1;
  EXPECT_EQ(sender.SendDue(), 0u);
  row = store_->GetMail("msg-down");
  EXPECT_EQ(row->attempts, 2);
  EXPECT_EQ(row->next_attempt_at, "2026-11-30T14:01:30Z");  // then 60 s

  SmtpSink sink(dir_.path() / "received.jsonl", port);
  ASSERT_EQ(sink.port(), port);
  now_ += 60;
  EXPECT_EQ(sender.SendDue(), 1u);
  row = store_->GetMail("msg-down");
  EXPECT_EQ(row->status, "sent");
  EXPECT_EQ(row->attempts, 2);
  EXPECT_EQ(row->sent_at, "2026-11-30T14:01:30Z");
  now_ += 3600;
  EXPECT_EQ(sender.SendDue(), 0u);
  std::vector<Json> received = sink.Messages();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0]["rcpt_tos"], Json::array({"daect@diplomatie.example.fr"}));
}

TEST_F(MailSender, RetriesDoubleUpToAnHourAndStopAfterTheLastAttempt) {
  service::MailSenderOptions options = Options("smtp://127.0.0.1:1");
  EXPECT_EQ(service::RetryDelay(options, 1).count(), 30);
  EXPECT_EQ(service::RetryDelay(options, 2).count(), 60);
  EXPECT_EQ(service::RetryDelay(options, 7).count(), 1920);
  EXPECT_EQ(service::RetryDelay(options, 8).count(), 3600);
  EXPECT_EQ(service::RetryDelay(options, 40).count(), 3600);

  options.max_attempts = 3;
  store_->EnqueueMail({Mail("msg-fails", "daect")});
  service::MailSender sender(*store_, options, [this] { return now_; });
  for (int attempt = 1; attempt <= 3; ++attempt) {
    EXPECT_EQ(sender.SendDue(), 0u);
    EXPECT_EQ(store_->GetMail("msg-fails")->attempts, attempt);
    now_ += 3600;
  }
  std::optional<store::OutboxRow> row = store_->GetMail("msg-fails");
  EXPECT_EQ(row->status, "failed");
  EXPECT_EQ(sender.SendDue(), 0u);
  EXPECT_EQ(store_->GetMail("msg-fails")->attempts, 3);
  EXPECT_EQ(store_->DueMail("2100-01-01T00:00:00Z", 10).size(), 0u);
}

TEST_F(MailSender, ARecipientWithoutAnAddressWaitsWithoutSpendingAttempts) {
  SmtpSink sink(dir_.path() / "received.jsonl");
  ASSERT_NE(sink.port(), 0);
  store_->EnqueueMail({Mail("msg-b", "collectivite:com-b"), Mail("msg-nobody", "daect")});
  service::MailSenderOptions options = Options(sink.url());
  options.daect_email.clear();
  service::MailSender sender(*store_, options, [this] { return now_; });
  EXPECT_EQ(sender.SendDue(), 0u);
  std::optional<store::OutboxRow> row = store_->GetMail("msg-b");
  EXPECT_EQ(row->status, "pending");
  EXPECT_EQ(row->attempts, 0);
  EXPECT_EQ(row->last_error, "no e-mail address: collectivite \"com-b\" has no contact_email");
  EXPECT_EQ(row->next_attempt_at, "2026-11-30T15:00:00Z");
  EXPECT_EQ(store_->GetMail("msg-nobody")->last_error,
            "no e-mail address: no DAECT address configured (serve --daect-email)");
  EXPECT_EQ(sink.Messages().size(), 0u);

  // Once the authority has an address, the next look delivers it.
  SetContactEmail(*store_, "com-b", "contact@ville-b.example.fr");
  now_ += 3600;
  EXPECT_EQ(sender.SendDue(), 1u);
  ASSERT_EQ(sink.Messages().size(), 1u);
  EXPECT_EQ(sink.Messages()[0]["rcpt_tos"], Json::array({"contact@ville-b.example.fr"}));
  EXPECT_EQ(service::ResolveRecipient(*store_, "", "collectivite:com-b"),
            "contact@ville-b.example.fr");
  EXPECT_EQ(service::ResolveRecipient(*store_, "", "collectivite:com-zz"), std::nullopt);
  EXPECT_EQ(service::ResolveRecipient(*store_, "d@x.fr", "daect"), "d@x.fr");
  EXPECT_EQ(service::ResolveRecipient(*store_, "", "someone@x.fr"), "someone@x.fr");
}

TEST(MailServe, TheSmtpSettingsAreCheckedAtStart) {
  auto resolve = [](std::map<std::string, std::string> flags) {
    app::ServeInputs inputs;
    inputs.flags = std::move(flags);
    std::string error;
    std::optional<app::ServeConfig> config = app::ResolveServeConfig(inputs, &error);
    return config ? std::string("ok ") + config->smtp_url + " " + config->daect_email : error;
  };
  EXPECT_EQ(resolve({{"smtp_url", "smtp://127.0.0.1:2525"},
                     {"smtp_from", "expe-ct@example.fr"},
                     {"daect_email", "daect@example.fr"}}),
            "ok smtp://127.0.0.1:2525 daect@example.fr");
  EXPECT_EQ(resolve({{"smtp_url", "smtp://127.0.0.1:2525"}}),
            "configuration invalide : smtp_url demande smtp_from (l'adresse d'expédition des "
            "courriels)");
  EXPECT_EQ(resolve({{"smtp_url", "http://127.0.0.1"}}),
            "configuration invalide : smtp_url = « http://127.0.0.1 » (option --smtp-url) : doit "
            "commencer par smtp:// ou smtps:// (par exemple smtp://127.0.0.1:25)");
  EXPECT_EQ(resolve({{"daect_email", "daect"}}),
            "configuration invalide : daect_email = « daect » (option --daect-email) : doit être "
            "une adresse électronique (nom@domaine.fr)");
  EXPECT_NE(resolve({{"smtp_user", "expe"}}).find("smtp_user et smtp_password_file vont ensemble"),
            std::string::npos);
}

// A server that accepts the connection and never says a word: Stop abandons the transfer and
// the message stays as it was (without the abandon, curl's 60 s timeout would record an attempt).
TEST_F(MailSender, StopAbandonsATransferToAServerThatNeverAnswers) {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t length = sizeof address;
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  fcntl(listener, F_SETFL, O_NONBLOCK);

  store_->EnqueueMail({Mail("msg-silent", "daect")});
  service::MailSender sender(
      *store_, Options("smtp://127.0.0.1:" + std::to_string(ntohs(address.sin_port))));
  sender.Start();
  int connection = -1;
  EXPECT_TRUE(WaitFor([&] { return (connection = accept(listener, nullptr, nullptr)) >= 0; }));
  sender.Stop();
  std::optional<store::OutboxRow> row = store_->GetMail("msg-silent");
  EXPECT_EQ(row->status, "pending");
  EXPECT_EQ(row->attempts, 0);
  EXPECT_EQ(row->last_error, "");
  if (connection >= 0) close(connection);
  close(listener);
}

// The outbox's messages of `status` (any when empty) other than the label expiry notices: those
// depend on the day the test runs (the tiny data set's com-b holds a label ending 2027-01-31).
size_t WithoutLabelNotices(store::Store& store, const std::string& status = "") {
  store::OutboxQuery query;
  if (!status.empty()) query.status = status;
  query.limit = 1000;
  size_t count = 0;
  for (const store::OutboxRow& row : store.ListOutbox(query).items)
    count += row.event != "label_expiring";
  return count;
}

std::vector<std::string> ServeArgs(const ScratchDir& dir, const std::vector<std::string>& more) {
  std::vector<std::string> args = {"--db", (dir.path() / "serve.db").string(), "--data",
                                   TestData("tiny").string(), "--no-access-log"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// Without --smtp-url the chores still queue reminders; nothing is attempted.
TEST(MailServe, TheOutboxFillsWithoutAnSmtpServer) {
  ScratchDir dir;
  {
    store::Store store(dir.path() / "serve.db");
    service::OpenSnapshot(store, TestData("tiny").string());
    // A mission whose report is 8 to 11 days overdue today (due two months after its end).
    const matcher::Date today = *matcher::ParseIsoDate(service::Today());
    matcher::Mission mission;
    mission.id = "m-late";
    mission.collectivite = "com-a";
    mission.country = "SN";
    mission.themes = {"env.eau"};
    mission.end = matcher::Date{today.days - 70};
    mission.start = matcher::Date{mission.end.days - 4};
    store::SeedDocuments docs;
    docs.missions.push_back(store_rows::MissionRowFor(mission));
    store.Import(docs);
  }
  testing::ServerProcess server(ServeArgs(dir, {}));
  ASSERT_NE(server.port(), 0);
  store::Store store(dir.path() / "serve.db");
  EXPECT_TRUE(WaitFor([&] { return WithoutLabelNotices(store) == 2; }));
  EXPECT_EQ(server.Signal(SIGTERM), 0);
  store::OutboxPage page = store.ListOutbox({});
  ASSERT_EQ(WithoutLabelNotices(store), 2u);
  for (const store::OutboxRow& row : page.items) {
    if (row.event == "label_expiring") continue;
    EXPECT_EQ(row.status, "pending");
    EXPECT_EQ(row.attempts, 0);
    EXPECT_EQ(row.last_error, "");
    EXPECT_EQ(row.event, "report_overdue");
  }
}

// 20 cycles: messages are queued, the server starts sending them to a real SMTP server and is
// killed with SIGKILL at a random moment. At the end every message was received at least once;
// a message is received twice only when a kill fell between the server's acceptance and the
// `sent` commit, so there are at most as many duplicates as kills, each with the Message-ID of
// the original.
TEST(MailServe, KilledWhileSendingEveryMessageArrivesAndDuplicatesAreRare) {
  ScratchDir dir;
  SmtpSink sink(dir.path() / "received.jsonl");
  ASSERT_NE(sink.port(), 0) << "the SMTP sink did not start (python3-aiosmtpd installed?)";
  {
    store::Store store(dir.path() / "serve.db");
    service::OpenSnapshot(store, TestData("tiny").string());
  }
  const std::vector<std::string> smtp = {"--smtp-url",    sink.url(),
                                         "--smtp-from",   "expe-ct@diplomatie.example.fr",
                                         "--daect-email", "daect@diplomatie.example.fr"};
  std::mt19937 random(20261130);
  constexpr int kCycles = 20, kPerCycle = 5;
  std::set<std::string> queued;
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    {
      store::Store store(dir.path() / "serve.db");
      std::vector<store::OutboxRow> mail;
      for (int i = 0; i < kPerCycle; ++i) {
        // Appended: g++ 12 reports a false -Wrestrict on `"c" + std::to_string(...)`.
        std::string id = "c";
        id.append(std::to_string(cycle)).append("-").append(std::to_string(i));
        mail.push_back(Mail(id, i % 2 ? "daect" : "relations@ville.example.fr",
                            "Message " + id + " : réunion", "Corps du message " + id + ".\n"));
        queued.insert(id);
      }
      ASSERT_EQ(store.EnqueueMail(mail), static_cast<size_t>(kPerCycle));
    }
    testing::ServerProcess server(ServeArgs(dir, smtp));
    ASSERT_NE(server.port(), 0) << "cycle " << cycle;
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 120)(random)));
    server.Kill(SIGKILL);
    ASSERT_TRUE(server.Wait(std::chrono::seconds(10)));
  }
  // A last start delivers whatever is left.
  testing::ServerProcess server(ServeArgs(dir, smtp));
  ASSERT_NE(server.port(), 0);
  store::Store store(dir.path() / "serve.db");
  EXPECT_TRUE(WaitFor([&] { return WithoutLabelNotices(store, "pending") == 0; },
                      std::chrono::seconds(30)));
  EXPECT_EQ(server.Signal(SIGTERM), 0);

  std::map<std::string, int> received;  // Message-ID → copies
  for (const Json& message : sink.Messages()) ++received[message["headers"]["message-id"]];
  int duplicates = 0;
  for (const std::string& id : queued) {
    const int copies = received["<" + id + "@expectmatch>"];
    EXPECT_GE(copies, 1) << id << " was never received";
    duplicates += std::max(0, copies - 1);
  }
  EXPECT_EQ(received.size(), queued.size()) << "a message nobody queued was received";
  EXPECT_LE(duplicates, kCycles);
  EXPECT_EQ(store.ListOutbox({.status = "sent"}).total, queued.size());
  std::printf("[ info ] %zu messages, %d received twice after %d kills\n", queued.size(),
              duplicates, kCycles);
}

}  // namespace
}  // namespace expectmatch
