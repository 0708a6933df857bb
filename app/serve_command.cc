#include "serve_command.h"

#include <csignal>
#include <iostream>
#include <memory>
#include <pthread.h>
#include <thread>

#include "expectmatch/api/http_server.h"
#include "expectmatch/api/ranking_log.h"
#include "expectmatch/api/service.h"
#include "expectmatch/api/snapshot.h"

#ifndef EXPECTMATCH_SAMPLE_DIR
#error "EXPECTMATCH_SAMPLE_DIR must be defined by the build"
#endif

namespace expectmatch::app {
namespace {

struct ServeArgs {
  std::string db = "var/expectmatch.db";
  std::string data = EXPECTMATCH_SAMPLE_DIR;
  std::string host = "127.0.0.1";
  int port = 8080;
  size_t threads = 8;
  bool access_log = false;
};

int RunServe(const ServeArgs& args) {
  // Block SIGINT/SIGTERM in every thread; a dedicated thread waits for them and stops the server.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::unique_ptr<store::Store> store;
  std::shared_ptr<const api::Snapshot> snapshot;
  try {
    store = std::make_unique<store::Store>(args.db);
    bool seeded = store->IsSeeded();
    snapshot = api::OpenSnapshot(*store, args.data);
    std::cerr << (seeded ? "base ouverte : " : "base créée et initialisée depuis " + args.data + " : ") << args.db << " ("
              << snapshot->catalogue.collectivites().size() << " collectivités, " << snapshot->catalogue.needs().size()
              << " besoins)\n";
  } catch (const std::exception& e) {
    std::cerr << "erreur : " << e.what() << "\n";
    return 1;
  }
  api::RankingLog log(*store);
  api::Service service(*store, snapshot, &log);
  api::ServerOptions options;
  options.host = args.host;
  options.port = args.port;
  options.threads = args.threads;
  options.access_log = args.access_log;
  api::HttpServer server(service, options);
  std::string error;
  if (!server.Bind(&error)) {
    std::cerr << "erreur : " << error << "\n";
    return 1;
  }
  std::thread waiter([&server, signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    server.Stop();
  });
  std::cerr << "expectmatch écoute sur http://" << args.host << ":" << server.port() << "/\n";
  std::cout << "listening on " << args.host << ":" << server.port() << std::endl;
  server.Run();
  // Run returned: either a signal stopped it (waiter is done) or the listener failed.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::cerr << "expectmatch arrêté\n";
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  auto* serve = app.add_subcommand("serve", "Démarre le service HTTP");
  serve->add_option("--db", args->db, "Base SQLite (créée et initialisée au premier démarrage)")->capture_default_str();
  serve->add_option("--data", args->data, "Jeu de données pour initialiser une base vide")->capture_default_str();
  serve->add_option("--host", args->host, "Adresse d'écoute")->capture_default_str();
  serve->add_option("--port", args->port, "Port (0 : un port libre)")->check(CLI::Range(0, 65535))->capture_default_str();
  serve->add_option("--threads", args->threads, "Fils de traitement")->check(CLI::Range(size_t{1}, size_t{256}))->capture_default_str();
  serve->add_flag("--access-log", args->access_log, "Journal des requêtes sur stderr");

  serve->callback([args] {
    if (int code = RunServe(*args); code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace expectmatch::app
