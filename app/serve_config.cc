#include "expectmatch/app/serve_config.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>

#include "expectmatch/datasets/codec.h"

namespace expectmatch::app {

std::map<std::string, std::string> ServeEnvironment() {
  std::map<std::string, std::string> env;
  auto read = [&env](const char* name) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0')
      env[name] = value;
  };
  for (const ServeSetting& setting : kServeSettings) read(setting.env);
  read(kConfigFileEnv);
  return env;
}

namespace {

std::string_view Trim(std::string_view text) {
  const char* blanks = " \t\r\n";
  size_t first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  size_t last = text.find_last_not_of(blanks);
  return text.substr(first, last - first + 1);
}

bool ParseInteger(std::string_view text, long long min, long long max, long long* out) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max)
    return false;
  *out = value;
  return true;
}

bool ParseBool(std::string_view text, bool* out) {
  std::string lower(Trim(text));
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const char* yes : {"true", "1", "yes", "on", "oui"}) {
    if (lower == yes) {
      *out = true;
      return true;
    }
  }
  for (const char* no : {"false", "0", "no", "off", "non"}) {
    if (lower == no) {
      *out = false;
      return true;
    }
  }
  return false;
}

// A value and where it came from ("option --port", "variable EXPECTMATCH_PORT",
// "fichier serve.ini, ligne 3").
struct Given {
  std::string value;
  std::string origin;
};

// Reads `key = value` lines; nullopt (with `error`) on any malformed, unknown or repeated key.
std::optional<std::map<std::string, Given>> ReadConfigFile(const std::string& path,
                                                           std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "impossible de lire le fichier de configuration « " + path + " »";
    return std::nullopt;
  }
  std::map<std::string, Given> values;
  std::string raw;
  for (int number = 1; std::getline(in, raw); ++number) {
    const std::string where =
        "fichier de configuration « " + path + " », ligne " + std::to_string(number);
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      if (line != "[serve]") {
        *error = where + " : section inconnue " + std::string(line) + " (seule [serve] est admise)";
        return std::nullopt;
      }
      continue;
    }
    size_t equals = line.find('=');
    if (equals == std::string_view::npos) {
      *error = where + " : « clé = valeur » attendu, lu « " + std::string(line) + " »";
      return std::nullopt;
    }
    std::string key(Trim(line.substr(0, equals)));
    std::string_view value = Trim(line.substr(equals + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    bool known = false;
    std::string keys;
    for (const ServeSetting& setting : kServeSettings) {
      known = known || key == setting.key;
      keys += (keys.empty() ? "" : ", ") + std::string(setting.key);
    }
    if (!known) {
      *error = where + " : clé inconnue « " + key + " » (clés admises : " + keys + ")";
      return std::nullopt;
    }
    if (values.count(key)) {
      *error = where + " : la clé « " + key + " » est déjà définie";
      return std::nullopt;
    }
    values[key] = Given{std::string(value), where};
  }
  return values;
}

}  // namespace

std::optional<ServeConfig> ResolveServeConfig(const ServeInputs& inputs, std::string* error) {
  std::string config_file = inputs.config_file;
  if (config_file.empty()) {
    if (auto it = inputs.env.find(kConfigFileEnv); it != inputs.env.end()) config_file = it->second;
  }
  std::map<std::string, Given> file;
  if (!config_file.empty()) {
    auto read = ReadConfigFile(config_file, error);
    if (!read) return std::nullopt;
    file = std::move(*read);
  }
  for (const auto& [key, value] : inputs.flags) {
    bool known = false;
    for (const ServeSetting& setting : kServeSettings) known = known || key == setting.key;
    if (!known) {
      *error = "réglage inconnu « " + key + " »";
      return std::nullopt;
    }
  }

  ServeConfig config = inputs.defaults;
  for (const ServeSetting& setting : kServeSettings) {
    std::optional<Given> given;
    if (auto flag = inputs.flags.find(setting.key); flag != inputs.flags.end()) {
      given = Given{flag->second, std::string("option ") + setting.flag};
    } else if (auto env = inputs.env.find(setting.env);
               env != inputs.env.end() && !env->second.empty()) {
      given = Given{env->second, std::string("variable ") + setting.env};
    } else if (auto line = file.find(setting.key); line != file.end()) {
      given = line->second;
    }
    if (!given) continue;

    const std::string key = setting.key;
    auto fail = [&](const std::string& expected) {
      *error = "configuration invalide : " + key + " = « " + given->value + " » (" + given->origin +
               ") : " + expected;
      return std::nullopt;
    };
    auto integer = [&](long long min, long long max, long long* out) {
      return ParseInteger(given->value, min, max, out);
    };
    auto range = [](long long min, long long max) {
      return "doit être un entier entre " + std::to_string(min) + " et " + std::to_string(max);
    };
    long long number = 0;
    if (key == "db" || key == "data" || key == "host") {
      std::string text(Trim(given->value));
      if (text.empty()) return fail("ne doit pas être vide");
      (key == "db" ? config.db : key == "data" ? config.data : config.host) = text;
    } else if (key == "port") {
      if (!integer(0, 65535, &number)) return fail(range(0, 65535));
      config.port = static_cast<int>(number);
    } else if (key == "threads") {
      if (!integer(1, 256, &number)) return fail(range(1, 256));
      config.threads = static_cast<size_t>(number);
    } else if (key == "body_limit") {
      if (!integer(1, 1LL << 30, &number)) return fail(range(1, 1LL << 30) + " (octets)");
      config.body_limit = static_cast<size_t>(number);
    } else if (key == "read_timeout" || key == "write_timeout" || key == "keep_alive_timeout") {
      if (!integer(1, 3600, &number)) return fail(range(1, 3600) + " (secondes)");
      (key == "read_timeout"    ? config.read_timeout
       : key == "write_timeout" ? config.write_timeout
                                : config.keep_alive_timeout) = static_cast<int>(number);
    } else if (key == "access_log") {
      if (!ParseBool(given->value, &config.access_log)) return fail("doit valoir true ou false");
    } else if (key == "request_timeout") {
      if (!integer(1, 3600, &number)) return fail(range(1, 3600) + " (secondes)");
      config.request_timeout = static_cast<int>(number);
    } else if (key == "header_limit") {
      if (!integer(1024, 1 << 20, &number)) return fail(range(1024, 1 << 20) + " (octets)");
      config.header_limit = static_cast<size_t>(number);
    } else if (key == "max_connections") {
      if (!integer(1, 100000, &number)) return fail(range(1, 100000));
      config.max_connections = static_cast<size_t>(number);
    } else if (key == "active_requests") {
      if (!integer(0, 1024, &number)) return fail(range(0, 1024) + " (0 : deux par cœur)");
      config.active_requests = static_cast<size_t>(number);
    } else if (key == "rate_limit") {
      if (!integer(0, 1000000, &number))
        return fail(range(0, 1000000) + " (requêtes par seconde et par clé, 0 : sans limite)");
      config.rate_limit = number;
    } else if (key == "rate_burst") {
      if (!integer(1, 10000000, &number)) return fail(range(1, 10000000));
      config.rate_burst = number;
    } else if (key == "unauthenticated_rate_limit") {
      if (!integer(0, 1000000, &number)) {
        return fail(range(0, 1000000) +
                    " (requêtes par seconde et par adresse sans clé valide, 0 : sans limite)");
      }
      config.unauthenticated_rate_limit = number;
    } else if (key == "unauthenticated_rate_burst") {
      if (!integer(1, 10000000, &number)) return fail(range(1, 10000000));
      config.unauthenticated_rate_burst = number;
    } else if (key == "log_retention_days") {
      if (!integer(0, 36500, &number)) return fail(range(0, 36500) + " (jours, 0 : sans limite)");
      config.log_retention_days = number;
    } else if (key == "log_max_mb") {
      if (!integer(0, 1 << 20, &number)) return fail(range(0, 1 << 20) + " (Mio, 0 : sans limite)");
      config.log_max_mb = number;
    } else if (key == "tls_cert" || key == "tls_key") {
      std::string text(Trim(given->value));
      if (text.empty()) return fail("ne doit pas être vide");
      (key == "tls_cert" ? config.tls_cert : config.tls_key) = text;
    } else if (key == "smtp_url") {
      std::string text(Trim(given->value));
      if (text.rfind("smtp://", 0) != 0 && text.rfind("smtps://", 0) != 0)
        return fail("doit commencer par smtp:// ou smtps:// (par exemple smtp://127.0.0.1:25)");
      config.smtp_url = text;
    } else if (key == "smtp_from" || key == "daect_email") {
      std::string text(Trim(given->value));
      if (!datasets::IsPlausibleEmail(text))
        return fail("doit être une adresse électronique (nom@domaine.fr)");
      (key == "smtp_from" ? config.smtp_from : config.daect_email) = text;
    } else if (key == "smtp_user" || key == "smtp_password_file") {
      std::string text(Trim(given->value));
      if (text.empty()) return fail("ne doit pas être vide");
      (key == "smtp_user" ? config.smtp_user : config.smtp_password_file) = text;
    } else if (key == "label_validity_years") {
      if (!integer(1, 20, &number)) return fail(range(1, 20) + " (années)");
      config.label_validity_years = number;
    }
  }
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    *error =
        "configuration invalide : tls_cert et tls_key vont ensemble (le certificat et sa clé "
        "privée, au format PEM)";
    return std::nullopt;
  }
  if (!config.smtp_url.empty() && config.smtp_from.empty()) {
    *error =
        "configuration invalide : smtp_url demande smtp_from (l'adresse d'expédition des "
        "courriels)";
    return std::nullopt;
  }
  if (config.smtp_user.empty() != config.smtp_password_file.empty()) {
    *error =
        "configuration invalide : smtp_user et smtp_password_file vont ensemble (l'identifiant "
        "SMTP et le fichier de son mot de passe)";
    return std::nullopt;
  }
  if (config.max_connections < config.threads) config.max_connections = config.threads;
  return config;
}

}  // namespace expectmatch::app
