#include "keys_command.h"

#include <iostream>
#include <memory>

#include "expectmatch/datasets/reference.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/store/store.h"

namespace expectmatch::app {
namespace {

struct KeysArgs {
  std::string db = "var/expectmatch.db";
  std::string role;
  std::string country;
  std::string collectivite;
  std::string label;
  std::string id;
};

[[noreturn]] void Fail(const std::string& message, int code = 1) {
  std::cerr << "erreur : " << message << "\n";
  throw CLI::RuntimeError(code);
}

void Create(const KeysArgs& args) {
  std::optional<service::Role> role = service::RoleFromName(args.role);
  if (!role)
    Fail("rôle inconnu « " + args.role + " » (daect, analyst, embassy ou collectivite)", 2);
  if (*role == service::Role::kEmbassy && !datasets::FindCountry(args.country)) {
    Fail("une clé d'ambassade demande --country, un code ISO 3166-1 alpha-2 (par exemple SN)", 2);
  }
  if (*role != service::Role::kEmbassy && !args.country.empty())
    Fail("--country ne s'applique qu'aux clés d'ambassade", 2);
  if (*role == service::Role::kCollectivite && args.collectivite.empty())
    Fail("une clé de collectivité demande --collectivite, l'identifiant de la collectivité", 2);
  if (*role != service::Role::kCollectivite && !args.collectivite.empty())
    Fail("--collectivite ne s'applique qu'aux clés de collectivité", 2);
  store::Store store(args.db);
  if (!args.collectivite.empty() && !store.GetCollectivite(args.collectivite))
    Fail("collectivité inconnue « " + args.collectivite + " » dans " + args.db, 2);
  const std::string& scope =
      *role == service::Role::kCollectivite ? args.collectivite : args.country;
  service::NewKey key = service::CreateApiKey(store, *role, scope, args.label);
  std::cerr << "clé " << key.id << " créée (rôle " << args.role
            << (args.country.empty() ? "" : ", pays " + args.country)
            << (args.collectivite.empty() ? "" : ", collectivité " + args.collectivite)
            << ") ; elle ne sera plus affichée :\n";
  std::cout << key.secret << std::endl;
}

void List(const KeysArgs& args) {
  store::Store store(args.db);
  std::vector<store::ApiKeyRow> keys = store.ApiKeys();
  if (keys.empty()) {
    std::cout << "aucune clé\n";
    return;
  }
  std::cout << "Identifiant  Rôle          Pays / collectivité  Créée le              "
               "Révoquée le           Libellé\n";
  for (const store::ApiKeyRow& key : keys) {
    std::printf("%-12s %-13s %-20s %-21s %-21s %s\n", key.id.c_str(), key.role.c_str(),
                (key.country + key.collectivite).c_str(), key.created_at.c_str(),
                key.revoked_at.empty() ? "-" : key.revoked_at.c_str(), key.label.c_str());
  }
}

void Revoke(const KeysArgs& args) {
  store::Store store(args.db);
  if (!store.RevokeApiKey(args.id)) Fail("aucune clé valide « " + args.id + " »", 2);
  std::cout << "clé " << args.id << " révoquée\n";
}

}  // namespace

void AddKeysCommand(CLI::App& app) {
  auto args = std::make_shared<KeysArgs>();
  auto* keys = app.add_subcommand("keys", "Gère les clés d'API (création, liste, révocation)");
  keys->require_subcommand(1);
  keys->add_option("--db", args->db, "Base SQLite")->capture_default_str();

  auto* create = keys->add_subcommand("create", "Crée une clé et l'affiche une seule fois");
  create->add_option("--role", args->role, "daect, analyst, embassy ou collectivite")->required();
  create->add_option("--country", args->country, "Pays d'une ambassade (ISO 3166-1 alpha-2)");
  create->add_option("--collectivite", args->collectivite,
                     "Identifiant de la collectivité dont la clé parle au nom");
  create->add_option("--label", args->label,
                     "Libellé (par exemple « Ambassade de France au Sénégal »)");
  create->add_option("--db", args->db, "Base SQLite");
  create->callback([args] { Create(*args); });

  auto* list = keys->add_subcommand("list", "Liste les clés (jamais leur secret)");
  list->add_option("--db", args->db, "Base SQLite");
  list->callback([args] { List(*args); });

  auto* revoke = keys->add_subcommand("revoke", "Révoque une clé");
  revoke->add_option("id", args->id, "Identifiant de la clé (k_…)")->required();
  revoke->add_option("--db", args->db, "Base SQLite");
  revoke->callback([args] { Revoke(*args); });
}

}  // namespace expectmatch::app
