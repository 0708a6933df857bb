// `expectmatch serve` configuration: command-line flags, EXPECTMATCH_* environment variables
// and an INI file, resolved with the precedence flag > environment > file > default, and
// validated with ranges. Every error is one French sentence naming the setting, the value and
// where it came from.
//
// | file key           | flag                   | environment variable            | default            |
// |--------------------|------------------------|---------------------------------|--------------------|
// | db                 | --db PATH              | EXPECTMATCH_DB                  | var/expectmatch.db |
// | data               | --data DIR             | EXPECTMATCH_DATA                | the bundled sample |
// | host               | --host ADDR            | EXPECTMATCH_HOST                | 127.0.0.1          |
// | port               | --port N (0–65535)     | EXPECTMATCH_PORT                | 8080               |
// | threads            | --threads N (1–256)    | EXPECTMATCH_THREADS             | 8                  |
// | body_limit         | --body-limit BYTES     | EXPECTMATCH_BODY_LIMIT          | 1048576            |
// | read_timeout       | --read-timeout S       | EXPECTMATCH_READ_TIMEOUT        | 5                  |
// | write_timeout      | --write-timeout S      | EXPECTMATCH_WRITE_TIMEOUT       | 5                  |
// | keep_alive_timeout | --keep-alive-timeout S | EXPECTMATCH_KEEP_ALIVE_TIMEOUT  | 5                  |
// | access_log         | --[no-]access-log      | EXPECTMATCH_ACCESS_LOG          | true               |
// | request_timeout    | --request-timeout S    | EXPECTMATCH_REQUEST_TIMEOUT     | 30                 |
// | header_limit       | --header-limit BYTES   | EXPECTMATCH_HEADER_LIMIT        | 16384              |
// | max_connections    | --max-connections N    | EXPECTMATCH_MAX_CONNECTIONS     | 256                |
// | active_requests    | --active-requests N    | EXPECTMATCH_ACTIVE_REQUESTS     | 0 (twice the cores)|
// | rate_limit         | --rate-limit N         | EXPECTMATCH_RATE_LIMIT          | 1000               |
// | rate_burst         | --rate-burst N         | EXPECTMATCH_RATE_BURST          | 2000               |
// | unauthenticated_rate_limit | --unauthenticated-rate-limit N | EXPECTMATCH_UNAUTHENTICATED_RATE_LIMIT | 10 |
// | unauthenticated_rate_burst | --unauthenticated-rate-burst N | EXPECTMATCH_UNAUTHENTICATED_RATE_BURST | 100 |
// | log_retention_days | --log-retention-days N | EXPECTMATCH_LOG_RETENTION_DAYS  | 400                |
// | log_max_mb         | --log-max-mb N         | EXPECTMATCH_LOG_MAX_MB          | 1024               |
// | tls_cert           | --tls-cert FILE        | EXPECTMATCH_TLS_CERT            | none (plain HTTP)  |
// | tls_key            | --tls-key FILE         | EXPECTMATCH_TLS_KEY             | none               |
// | smtp_url           | --smtp-url URL         | EXPECTMATCH_SMTP_URL            | none (no sending)  |
// | smtp_from          | --smtp-from ADDR       | EXPECTMATCH_SMTP_FROM           | none               |
// | daect_email        | --daect-email ADDR     | EXPECTMATCH_DAECT_EMAIL         | none               |
// | smtp_user          | --smtp-user NAME       | EXPECTMATCH_SMTP_USER           | none               |
// | smtp_password_file | --smtp-password-file F | EXPECTMATCH_SMTP_PASSWORD_FILE  | none               |
// | label_validity_years | --label-validity-years N | EXPECTMATCH_LABEL_VALIDITY_YEARS | 3             |
// |                    | --config FILE          | EXPECTMATCH_CONFIG              | none               |
//
// Body limit 1 byte to 1 GiB; timeouts 1 to 3600 seconds; access_log true/false (also
// 1/0, yes/no, on/off, oui/non). An empty environment variable counts as unset.
// request_timeout: a request's line, headers and body must arrive within it (408 otherwise);
// header_limit 1 KiB to 1 MiB (431 beyond); max_connections (threads to 100 000): workers grow
// up to it while every worker holds a connection; active_requests (0 to 1024): API handlers
// running at once, the others queued in arrival order, 0 for twice the cores; rate_limit: requests a second per API key on
// average, 0 to 1 000 000 (0: off), rate_burst (1 to 10 000 000) at once (429 beyond, with
// Retry-After); unauthenticated_rate_limit: requests a second per client address without a
// valid key, 0 to 1 000 000 (0: off), unauthenticated_rate_burst (1 to 10 000 000) at once
// (429 beyond, before any key is hashed); log_retention_days (0 to 36 500, 0: for ever) and
// log_max_mb (0 to 1 048 576, 0: no cap): the ranking log's retention, applied by its writer
// thread; tls_cert and tls_key (PEM files) go together and turn on HTTPS.
//
// smtp_url (smtp://host:port or smtps://host:port) turns the outbox's sender on and needs
// smtp_from (the sender's address); without it the outbox fills and nothing is sent.
// daect_email: where messages to DAECT go. smtp_user and smtp_password_file (the password on
// the file's first line) go together; with them, smtp:// requires STARTTLS.
// label_validity_years (1 to 20): how long a label granted by an approved application lasts
// when DAECT gives no end date.
//
// The file: one `key = value` per line; blank lines and lines starting with `#` or `;` are
// ignored; a `[serve]` section header is allowed; values may be quoted ("..." or '...');
// an unknown key, a repeated key or a line without `=` is an error (with its line number).
//
// CLI11's own config-file support is not used: it applies the file
// before the environment (file > env), the reverse of the precedence wanted here.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace expectmatch::app {

struct ServeConfig {
  std::string db = "var/expectmatch.db";
  std::string data;  // the caller's default: the bundled sample data set
  std::string host = "127.0.0.1";
  int port = 8080;
  size_t threads = 8;
  size_t body_limit = size_t{1} << 20;
  int read_timeout = 5;
  int write_timeout = 5;
  int keep_alive_timeout = 5;
  bool access_log = true;
  int request_timeout = 30;
  size_t header_limit = size_t{16} << 10;
  size_t max_connections = 256;
  size_t active_requests = 0;
  long long rate_limit = 1000;
  long long rate_burst = 2000;
  long long unauthenticated_rate_limit = 10;
  long long unauthenticated_rate_burst = 100;
  long long log_retention_days = 400;
  long long log_max_mb = 1024;
  std::string tls_cert;
  std::string tls_key;
  std::string smtp_url;
  std::string smtp_from;
  std::string daect_email;
  std::string smtp_user;
  std::string smtp_password_file;
  long long label_validity_years = 3;
};

// One setting: its key (in the file, and in ServeInputs::flags), its flag and its variable.
struct ServeSetting {
  const char* key;
  const char* flag;
  const char* env;
};
inline constexpr ServeSetting kServeSettings[] = {
    {"db", "--db", "EXPECTMATCH_DB"},
    {"data", "--data", "EXPECTMATCH_DATA"},
    {"host", "--host", "EXPECTMATCH_HOST"},
    {"port", "--port", "EXPECTMATCH_PORT"},
    {"threads", "--threads", "EXPECTMATCH_THREADS"},
    {"body_limit", "--body-limit", "EXPECTMATCH_BODY_LIMIT"},
    {"read_timeout", "--read-timeout", "EXPECTMATCH_READ_TIMEOUT"},
    {"write_timeout", "--write-timeout", "EXPECTMATCH_WRITE_TIMEOUT"},
    {"keep_alive_timeout", "--keep-alive-timeout", "EXPECTMATCH_KEEP_ALIVE_TIMEOUT"},
    {"access_log", "--access-log", "EXPECTMATCH_ACCESS_LOG"},
    {"request_timeout", "--request-timeout", "EXPECTMATCH_REQUEST_TIMEOUT"},
    {"header_limit", "--header-limit", "EXPECTMATCH_HEADER_LIMIT"},
    {"max_connections", "--max-connections", "EXPECTMATCH_MAX_CONNECTIONS"},
    {"active_requests", "--active-requests", "EXPECTMATCH_ACTIVE_REQUESTS"},
    {"rate_limit", "--rate-limit", "EXPECTMATCH_RATE_LIMIT"},
    {"rate_burst", "--rate-burst", "EXPECTMATCH_RATE_BURST"},
    {"unauthenticated_rate_limit", "--unauthenticated-rate-limit",
     "EXPECTMATCH_UNAUTHENTICATED_RATE_LIMIT"},
    {"unauthenticated_rate_burst", "--unauthenticated-rate-burst",
     "EXPECTMATCH_UNAUTHENTICATED_RATE_BURST"},
    {"log_retention_days", "--log-retention-days", "EXPECTMATCH_LOG_RETENTION_DAYS"},
    {"log_max_mb", "--log-max-mb", "EXPECTMATCH_LOG_MAX_MB"},
    {"tls_cert", "--tls-cert", "EXPECTMATCH_TLS_CERT"},
    {"tls_key", "--tls-key", "EXPECTMATCH_TLS_KEY"},
    {"smtp_url", "--smtp-url", "EXPECTMATCH_SMTP_URL"},
    {"smtp_from", "--smtp-from", "EXPECTMATCH_SMTP_FROM"},
    {"daect_email", "--daect-email", "EXPECTMATCH_DAECT_EMAIL"},
    {"smtp_user", "--smtp-user", "EXPECTMATCH_SMTP_USER"},
    {"smtp_password_file", "--smtp-password-file", "EXPECTMATCH_SMTP_PASSWORD_FILE"},
    {"label_validity_years", "--label-validity-years", "EXPECTMATCH_LABEL_VALIDITY_YEARS"},
};
inline constexpr const char* kConfigFileEnv = "EXPECTMATCH_CONFIG";

struct ServeInputs {
  ServeConfig defaults;
  // Values given on the command line, by key ("port" → "8081"; "access_log" → "true"/"false").
  std::map<std::string, std::string> flags;
  // Environment variables by name (see ServeEnvironment).
  std::map<std::string, std::string> env;
  // --config FILE; when empty, EXPECTMATCH_CONFIG from `env`; when both are empty, no file.
  std::string config_file;
};

// The process's EXPECTMATCH_* variables that configure serve (empty ones left out).
std::map<std::string, std::string> ServeEnvironment();

// The configuration: for each setting the flag, else the environment variable, else the
// file, else the default; then every value is checked. Returns nullopt with a French message
// in `error` for the first invalid setting.
std::optional<ServeConfig> ResolveServeConfig(const ServeInputs& inputs, std::string* error);

}  // namespace expectmatch::app
