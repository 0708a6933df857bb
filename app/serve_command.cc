#include "serve_command.h"

#include <pthread.h>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "expectmatch/api/http_server.h"
#include "expectmatch/api/service.h"
#include "expectmatch/app/serve_config.h"
#include "expectmatch/service/chores.h"
#include "expectmatch/service/label_applications.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/service/outbox.h"
#include "expectmatch/service/ranking_log.h"
#include "expectmatch/service/reminders.h"
#include "expectmatch/service/snapshot.h"

#ifndef EXPECTMATCH_SAMPLE_DIR
#error "EXPECTMATCH_SAMPLE_DIR must be defined by the build"
#endif

namespace expectmatch::app {
namespace {

// The age of the snapshot the service serves, for /metrics: seconds since this process first
// saw that snapshot. The first one is seen right after it is built at start; a newer one
// (rebuilt by the service's refresher after a data change) is noticed at the next scrape,
// so after a change the age restarts up to one scrape interval late. Thread-safe.
class SnapshotAge {
 public:
  explicit SnapshotAge(const std::shared_ptr<const service::Snapshot>& first)
      : seen_(first), since_(std::chrono::steady_clock::now()) {}

  double Seconds(const std::shared_ptr<const service::Snapshot>& current) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    // Same control block, same snapshot (a weak_ptr, so an old snapshot is never kept alive
    // and a new one at a recycled address is still told apart).
    if (seen_.owner_before(current) || current.owner_before(seen_)) {
      seen_ = current;
      since_ = now;
    }
    return std::chrono::duration<double>(now - since_).count();
  }

 private:
  std::mutex mutex_;
  std::weak_ptr<const service::Snapshot> seen_;
  std::chrono::steady_clock::time_point since_;
};

int RunServe(const ServeConfig& config) {
  // Block SIGINT/SIGTERM in every thread; a dedicated thread waits for them and stops the server.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::unique_ptr<store::Store> store;
  std::shared_ptr<const service::Snapshot> snapshot;
  try {
    store = std::make_unique<store::Store>(config.db);
    bool seeded = store->IsSeeded();
    snapshot = service::OpenSnapshot(*store, config.data);
    std::cerr << (seeded ? "base ouverte : "
                         : "base créée et initialisée depuis " + config.data + " : ")
              << config.db << " (" << snapshot->catalogue.collectivites().size()
              << " collectivités, " << snapshot->catalogue.needs().size() << " besoins)\n";
    // First start: a DAECT key, shown once and kept beside the database, owner-only.
    const std::filesystem::path key_file =
        std::filesystem::path(config.db).parent_path() / "daect.key";
    if (std::optional<std::string> secret = service::EnsureBootstrapKey(*store, key_file)) {
      std::cerr << "clé d'API DAECT créée (elle ne sera plus affichée ; copie dans "
                << key_file.string() << ", lisible par son seul propriétaire) :\n  " << *secret
                << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "erreur : " << e.what() << "\n";
    return 1;
  }
  SnapshotAge snapshot_age(snapshot);
  // Destroyed in reverse order: the server (after its requests), the service, then the
  // ranking log, whose destructor writes what is still queued, then the store.
  service::RankingLogOptions log_options;
  log_options.retention_days = static_cast<int>(config.log_retention_days);
  log_options.max_bytes = static_cast<size_t>(config.log_max_mb) << 20;
  service::RankingLog log(*store, log_options);
  api::ServiceOptions service_options;
  service_options.rate_limit_per_second = static_cast<double>(config.rate_limit);
  service_options.rate_limit_burst = static_cast<double>(config.rate_burst);
  service_options.unauthenticated_rate_limit_per_second =
      static_cast<double>(config.unauthenticated_rate_limit);
  service_options.unauthenticated_rate_limit_burst =
      static_cast<double>(config.unauthenticated_rate_burst);
  // Mission report documents: a folder next to the database.
  service_options.documents_dir = std::filesystem::path(config.db).parent_path() / "documents";
  service_options.daect_email = config.daect_email;
  service_options.label_validity_years = static_cast<int>(config.label_validity_years);
  api::Service service(*store, snapshot, &log, service_options);
  snapshot.reset();  // the service holds it; keep no second reference to an old snapshot

  // The outbox's sender (only with --smtp-url) and the periodic chores (report reminders),
  // stopped before the store closes. Chores run at start and every minute; more tasks for the
  // same tick are added with chores.Add.
  std::unique_ptr<service::MailSender> sender;
  if (!config.smtp_url.empty()) {
    service::MailSenderOptions mail_options;
    mail_options.smtp_url = config.smtp_url;
    mail_options.from = config.smtp_from;
    mail_options.daect_email = config.daect_email;
    mail_options.smtp_user = config.smtp_user;
    if (!config.smtp_password_file.empty()) {
      std::ifstream in(config.smtp_password_file);
      if (!in || !std::getline(in, mail_options.smtp_password)) {
        std::cerr << "erreur : impossible de lire le mot de passe SMTP dans « "
                  << config.smtp_password_file << " »\n";
        return 1;
      }
      if (!mail_options.smtp_password.empty() && mail_options.smtp_password.back() == '\r')
        mail_options.smtp_password.pop_back();
    }
    sender = std::make_unique<service::MailSender>(*store, mail_options);
  }
  service::Chores chores;
  chores.Add([&store, &sender](const std::string& today) {
    if (service::QueueReportReminders(*store, today) > 0 && sender) sender->Wake();
  });

  api::ServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.threads = config.threads;
  options.max_body_bytes = config.body_limit;
  options.limits.read_timeout_seconds = config.read_timeout;
  options.limits.write_timeout_seconds = config.write_timeout;
  options.limits.keep_alive_timeout_seconds = config.keep_alive_timeout;
  options.access_log = config.access_log;
  options.limits.request_timeout_seconds = config.request_timeout;
  options.limits.max_header_bytes = config.header_limit;
  options.max_connections = config.max_connections;
  options.max_active_requests = config.active_requests;
  options.tls_cert_file = config.tls_cert;
  options.tls_key_file = config.tls_key;
  options.metrics = [&service, &log, &snapshot_age] {
    using Kind = api::ScalarMetric::Kind;
    std::shared_ptr<const service::Snapshot> current = service.snapshot();
    return std::vector<api::ScalarMetric>{
        {"expectmatch_catalogue_collectivites",
         "Labelled authorities in the catalogue being served.", Kind::kGauge,
         static_cast<double>(current->catalogue.size())},
        {"expectmatch_catalogue_needs", "Needs in the catalogue being served.", Kind::kGauge,
         static_cast<double>(current->catalogue.needs().size())},
        {"expectmatch_snapshot_age_seconds",
         "Seconds since the catalogue snapshot being served was first seen (built at start or "
         "after a data change).",
         Kind::kGauge, snapshot_age.Seconds(current)},
        {"expectmatch_ranking_log_dropped_total",
         "Ranking-log rows dropped because the writer fell behind.", Kind::kCounter,
         static_cast<double>(log.dropped())},
        {"expectmatch_ranking_log_trimmed_total",
         "Ranking-log rows removed by the retention (--log-retention-days, --log-max-mb).",
         Kind::kCounter, static_cast<double>(log.trimmed())},
    };
  };
  // Proposals past their respond_by day expire (the need goes back to the shortlist).
  chores.Add([&service, &sender](const std::string& today) {
    if (service.proposals().ExpireDue(today) > 0 && sender) sender->Wake();
  });
  // Labels past their end date get their `expired` history row; the holders of a label ending
  // within 90 days are invited to apply for its renewal (once per label and end date). Daily: at
  // start, then on the first pass of each new day.
  chores.Add([&store, &sender, last_day = std::string()](const std::string& today) mutable {
    if (today == last_day) return;
    if (service::RecordLabelExpiries(*store, today) > 0 && sender) sender->Wake();
    last_day = today;
  });
  api::HttpServer server(service, options);
  std::string error;
  if (!server.Bind(&error)) {
    std::cerr << "erreur : " << error << "\n";
    return 1;
  }
  std::atomic<bool> signalled{false};
  std::thread waiter([&server, &signalled, signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    if (!signalled.exchange(true)) {
      std::cerr << "signal " << (signal == SIGTERM ? "SIGTERM" : "SIGINT")
                << " reçu : arrêt après les requêtes en cours\n";
    }
    server.Stop();
  });
  chores.Start();
  if (sender) sender->Start();
  std::cerr << "courriels : "
            << (sender ? "envoyés par " + config.smtp_url
                       : std::string("mis en file d'envoi, non envoyés (sans --smtp-url)"))
            << "\n";
  std::cerr << "expectmatch écoute sur " << (config.tls_cert.empty() ? "http://" : "https://")
            << config.host << ":" << server.port() << "/ (" << config.threads
            << " fils, journal des requêtes " << (config.access_log ? "actif" : "inactif") << ")\n";
  std::cout << "listening on " << config.host << ":" << server.port() << std::endl;
  server.Run();
  // Run returned: a signal stopped it (the waiter is done), or the listener failed (wake the
  // waiter with a signal of our own, which it consumes since every thread blocks it).
  if (!signalled.exchange(true)) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  chores.Stop();
  if (sender) sender->Stop();
  log.Flush();
  std::cerr << "expectmatch arrêté\n";
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app) {
  // The flags are read as text and resolved with the environment and the config file by
  // ResolveServeConfig (serve_config.h), which validates them with French messages.
  auto flags = std::make_shared<std::map<std::string, std::string>>();
  auto config_file = std::make_shared<std::string>();
  auto access_log = std::make_shared<bool>(true);
  auto* serve = app.add_subcommand("serve", "Démarre le service HTTP");
  std::map<std::string, CLI::Option*> options;
  auto add = [&](const char* key, const char* flag, const char* type, const char* help) {
    options[key] = serve->add_option(flag, (*flags)[key], help)->type_name(type);
  };
  add("db", "--db", "PATH",
      "Base SQLite, créée et initialisée au premier démarrage (EXPECTMATCH_DB ; défaut "
      "var/expectmatch.db)");
  add("data", "--data", "DIR",
      "Jeu de données pour initialiser une base vide (EXPECTMATCH_DATA ; défaut : l'échantillon "
      "fourni)");
  add("host", "--host", "ADDR", "Adresse d'écoute (EXPECTMATCH_HOST ; défaut 127.0.0.1)");
  add("port", "--port", "N", "Port, 0 : un port libre (EXPECTMATCH_PORT ; défaut 8080)");
  add("threads", "--threads", "N", "Fils de traitement, 1 à 256 (EXPECTMATCH_THREADS ; défaut 8)");
  add("body_limit", "--body-limit", "BYTES",
      "Taille maximale d'un corps de requête en octets (EXPECTMATCH_BODY_LIMIT ; défaut 1048576)");
  add("read_timeout", "--read-timeout", "S",
      "Délai de lecture en secondes (EXPECTMATCH_READ_TIMEOUT ; défaut 5)");
  add("write_timeout", "--write-timeout", "S",
      "Délai d'écriture en secondes (EXPECTMATCH_WRITE_TIMEOUT ; défaut 5)");
  add("keep_alive_timeout", "--keep-alive-timeout", "S",
      "Fermeture d'une connexion inactive en secondes (EXPECTMATCH_KEEP_ALIVE_TIMEOUT ; défaut 5)");
  add("request_timeout", "--request-timeout", "S",
      "Délai pour recevoir une requête entière, en secondes ; au-delà : 408 "
      "(EXPECTMATCH_REQUEST_TIMEOUT ; défaut 30)");
  add("header_limit", "--header-limit", "BYTES",
      "Taille maximale de la ligne de requête et des en-têtes ; au-delà : 431 "
      "(EXPECTMATCH_HEADER_LIMIT ; défaut 16384)");
  add("max_connections", "--max-connections", "N",
      "Connexions servies à la fois : des fils s'ajoutent jusque-là quand tous sont occupés "
      "(EXPECTMATCH_MAX_CONNECTIONS ; défaut 256)");
  add("active_requests", "--active-requests", "N",
      "Requêtes d'API traitées à la fois, les autres attendent leur tour ; 0 : deux par cœur "
      "(EXPECTMATCH_ACTIVE_REQUESTS ; défaut 0)");
  add("rate_limit", "--rate-limit", "N",
      "Requêtes par seconde et par clé d'API en moyenne, 0 : sans limite ; au-delà : 429 "
      "(EXPECTMATCH_RATE_LIMIT ; défaut 1000)");
  add("rate_burst", "--rate-burst", "N",
      "Requêtes d'une clé admises d'un coup (EXPECTMATCH_RATE_BURST ; défaut 2000)");
  add("unauthenticated_rate_limit", "--unauthenticated-rate-limit", "N",
      "Requêtes par seconde et par adresse sans clé valide, 0 : sans limite ; au-delà : 429 "
      "(EXPECTMATCH_UNAUTHENTICATED_RATE_LIMIT ; défaut 10)");
  add("unauthenticated_rate_burst", "--unauthenticated-rate-burst", "N",
      "Requêtes sans clé valide admises d'un coup par adresse "
      "(EXPECTMATCH_UNAUTHENTICATED_RATE_BURST ; défaut 100)");
  add("log_retention_days", "--log-retention-days", "N",
      "Jours de conservation du journal des classements, 0 : sans limite "
      "(EXPECTMATCH_LOG_RETENTION_DAYS ; défaut 400)");
  add("log_max_mb", "--log-max-mb", "N",
      "Taille maximale du journal des classements en Mio (les plus anciens partent d'abord), "
      "0 : sans limite (EXPECTMATCH_LOG_MAX_MB ; défaut 1024)");
  add("tls_cert", "--tls-cert", "FILE",
      "Certificat TLS (PEM) : sert en HTTPS, avec --tls-key (EXPECTMATCH_TLS_CERT)");
  add("tls_key", "--tls-key", "FILE", "Clé privée du certificat TLS (PEM) (EXPECTMATCH_TLS_KEY)");
  add("smtp_url", "--smtp-url", "URL",
      "Serveur SMTP des courriels de la file d'envoi, smtp://hôte:port ou smtps://hôte:port ; "
      "sans lui, rien n'est envoyé (EXPECTMATCH_SMTP_URL)");
  add("smtp_from", "--smtp-from", "ADDR",
      "Adresse d'expédition des courriels, requise avec --smtp-url (EXPECTMATCH_SMTP_FROM)");
  add("daect_email", "--daect-email", "ADDR",
      "Adresse des courriels destinés à la DAECT (EXPECTMATCH_DAECT_EMAIL)");
  add("smtp_user", "--smtp-user", "NAME",
      "Identifiant SMTP, avec --smtp-password-file (EXPECTMATCH_SMTP_USER)");
  add("smtp_password_file", "--smtp-password-file", "FILE",
      "Fichier dont la première ligne est le mot de passe SMTP (EXPECTMATCH_SMTP_PASSWORD_FILE)");
  add("label_validity_years", "--label-validity-years", "N",
      "Durée en années d'un label accordé sur candidature, sans date de fin donnée par la DAECT "
      "(EXPECTMATCH_LABEL_VALIDITY_YEARS ; défaut 3)");
  CLI::Option* access_log_flag = serve->add_flag(
      "--access-log,!--no-access-log", *access_log,
      "Journal JSON des requêtes sur stderr, actif par défaut (EXPECTMATCH_ACCESS_LOG=true|false)");
  serve
      ->add_option(
          "--config", *config_file,
          "Fichier de configuration « clé = valeur » (EXPECTMATCH_CONFIG) ; priorité : option > "
          "environnement > fichier > défaut")
      ->type_name("FILE");

  serve->callback([flags, config_file, access_log, options, access_log_flag] {
    ServeInputs inputs;
    inputs.defaults.data = EXPECTMATCH_SAMPLE_DIR;
    for (const auto& [key, option] : options) {
      if (option->count() > 0) inputs.flags[key] = flags->at(key);
    }
    if (access_log_flag->count() > 0) inputs.flags["access_log"] = *access_log ? "true" : "false";
    inputs.env = ServeEnvironment();
    inputs.config_file = *config_file;
    std::string error;
    std::optional<ServeConfig> config = ResolveServeConfig(inputs, &error);
    if (!config) {
      std::cerr << "erreur : " << error << "\n";
      throw CLI::RuntimeError(2);
    }
    if (int code = RunServe(*config); code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace expectmatch::app
