// Crash durability under concurrent writes: several clients submit needs and record
// decisions while the server is killed with SIGKILL at a random moment; after each restart,
// every write the server acknowledged is there and intact, and no write is half done (a need
// is "assigned" exactly when its decision is stored). 20 cycles by default; the long run is
//   EXPECTMATCH_KILL_CYCLES=100 build/tests/expectmatch_tests --gtest_filter=DurabilityCycles.*
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "expectmatch/datasets/codec.h"
#include "server_process.h"
#include "testutil.h"

#include <httplib.h>

namespace expectmatch {
namespace {

using datasets::Json;

int Cycles() {
  const char* value = std::getenv("EXPECTMATCH_KILL_CYCLES");
  int cycles = value ? std::atoi(value) : 0;
  return cycles > 0 ? cycles : 20;
}

// What the clients sent, and what the server acknowledged.
struct Ledger {
  std::mutex mutex;
  std::map<std::string, std::string> descriptions;  // every need sent (acknowledged or not)
  std::set<std::string> acked_needs;
  std::map<std::string, std::string> notes;  // every decision sent
  std::set<std::string> acked_decisions;
};

// A description of 1 to 20 kB (the most a description may hold), so that a need's row spans
// several database pages.
std::string Payload(std::mt19937_64& random, const std::string& id) {
  std::string text = id + ":";
  const size_t size = 1000 + random() % 19000;
  while (text.size() < size)
    text += "Réseau d'eau, assainissement; " + std::to_string(random() % 1000000) + " ";
  return text;
}

void Client(int port, const std::string& key, int cycle, int client, Ledger* ledger,
            std::atomic<bool>* stop) {
  std::mt19937_64 random(static_cast<uint64_t>(cycle * 100 + client));
  httplib::Client http("127.0.0.1", port);
  http.set_default_headers({{"Authorization", "Bearer " + key}});
  http.set_read_timeout(5, 0);
  for (int i = 0; !*stop; ++i) {
    const std::string id =
        "n-k" + std::to_string(cycle) + "-" + std::to_string(client) + "-" + std::to_string(i);
    Json need = Json::parse(R"({"country": "SN", "partner": {"name": "Commune de Louga"},
        "themes": [{"theme": "env.eau", "weight": 1}], "period": {"start": "2027-05-03", "end": "2027-05-07"}})");
    need["id"] = id;
    need["description"] = Payload(random, id);
    {
      std::lock_guard lock(ledger->mutex);
      ledger->descriptions[id] = need["description"];
    }
    auto created = http.Post("/v1/needs", need.dump(), "application/json");
    if (!created) return;  // killed
    if (created->status != 201) {
      ADD_FAILURE() << id << ": " << created->status << " " << created->body.substr(0, 300);
      return;
    }
    {
      std::lock_guard lock(ledger->mutex);
      ledger->acked_needs.insert(id);
    }
    if (i % 2 == 1) continue;  // half the needs stay submitted
    const std::string note = "décision " + id + " " + std::string(random() % 3000, 'x');
    {
      std::lock_guard lock(ledger->mutex);
      ledger->notes[id] = note;
    }
    auto decided =
        http.Post(("/v1/needs/" + id + "/decision").c_str(),
                  Json{{"collectivite", "com-a"}, {"note", note}}.dump(), "application/json");
    if (!decided) return;
    if (decided->status != 200) {
      ADD_FAILURE() << id << ": " << decided->status << " " << decided->body.substr(0, 300);
      return;
    }
    std::lock_guard lock(ledger->mutex);
    ledger->acked_decisions.insert(id);
  }
}

// Checks the needs sent so far whose id starts with `prefix` (all: "") on a freshly restarted
// server; the number present.
size_t Verify(int port, const std::string& key, Ledger& ledger, const std::string& prefix = "") {
  httplib::Client http("127.0.0.1", port);
  http.set_default_headers({{"Authorization", "Bearer " + key}});
  size_t checked = 0;
  for (const auto& [id, description] : ledger.descriptions) {
    if (id.rfind(prefix, 0) != 0) continue;
    SCOPED_TRACE(id);
    auto read = http.Get(("/v1/needs/" + id).c_str());
    EXPECT_TRUE(read);
    if (!read) return checked;
    const bool acked = ledger.acked_needs.count(id) > 0;
    if (read->status == 404) {
      EXPECT_FALSE(acked) << "an acknowledged need is lost";
      continue;
    }
    EXPECT_EQ(read->status, 200) << read->body.substr(0, 300);
    Json need = Json::parse(read->body, nullptr, false);
    EXPECT_FALSE(need.is_discarded());
    if (need.is_discarded()) continue;
    ++checked;
    // Present, acknowledged or not: intact.
    EXPECT_EQ(need["id"], id);
    EXPECT_EQ(need["description"], description) << "a need is not intact";
    const bool decision_sent = ledger.notes.count(id) > 0;
    const Json& decisions = need["decisions"];
    if (ledger.acked_decisions.count(id)) {
      EXPECT_EQ(need["status"], "assigned") << "an acknowledged decision is lost";
    }
    if (need["status"] == "assigned") {
      EXPECT_TRUE(decision_sent);
      EXPECT_EQ(need["selected"], "com-a");
      EXPECT_EQ(decisions.size(), 1u) << "assigned without its decision, or with two";
      if (decisions.size() == 1) {
        EXPECT_EQ(decisions[0]["note"], ledger.notes[id]) << "a decision is not intact";
      }
    } else {
      EXPECT_EQ(need["status"], "submitted");
      EXPECT_TRUE(decisions.empty()) << "a decision stored without its need's new status";
    }
  }
  return checked;
}

TEST(DurabilityCycles, AcknowledgedConcurrentWritesSurviveRepeatedSigkill) {
  testing::ScratchDir scratch;
  const std::string db = (scratch.path() / "cycles.db").string();
  testing::CliRun key_run = testing::Expectmatch("keys create --role daect --db " + db);
  ASSERT_EQ(key_run.exit_code, 0) << key_run.output;
  const std::string key = key_run.output.substr(key_run.output.find("emk_"), 68);
  const std::vector<std::string> args = {
      "--db",         db, "--data", testing::TestData("tiny").string(), "--no-access-log",
      "--rate-limit", "0"};
  const int cycles = Cycles();
  std::mt19937_64 random(20261128);
  Ledger ledger;
  size_t killed_with_writes_in_flight = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    SCOPED_TRACE("cycle " + std::to_string(cycle));
    testing::ServerProcess server(args);
    ASSERT_GT(server.port(), 0);
    // What the previous cycle left, checked before anything new is written (everything is
    // checked again at the end).
    if (cycle > 0) Verify(server.port(), key, ledger, "n-k" + std::to_string(cycle - 1) + "-");
    if (::testing::Test::HasFailure()) return;

    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    const size_t acked_before = ledger.acked_needs.size() + ledger.acked_decisions.size();
    for (int c = 0; c < 4; ++c)
      clients.emplace_back(Client, server.port(), key, cycle, c, &ledger, &stop);
    // Killed at a random moment once this cycle has had writes acknowledged, writes in flight.
    auto acked = [&] {
      std::lock_guard lock(ledger.mutex);
      return ledger.acked_needs.size() + ledger.acked_decisions.size();
    };
    testing::WaitFor([&] { return acked() != acked_before; }, std::chrono::seconds(30));
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % 400));
    const int status = server.Signal(SIGKILL);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    stop = true;
    for (std::thread& client : clients) client.join();
    std::lock_guard lock(ledger.mutex);
    if (ledger.acked_needs.size() + ledger.acked_decisions.size() > acked_before)
      ++killed_with_writes_in_flight;
  }
  testing::ServerProcess last(args);
  ASSERT_GT(last.port(), 0);
  const size_t present = Verify(last.port(), key, ledger);
  EXPECT_GE(present, ledger.acked_needs.size());
  EXPECT_EQ(killed_with_writes_in_flight, static_cast<size_t>(cycles))
      << "a cycle had no write acknowledged within 30 s";
  std::printf(
      "[ cycles ] %d SIGKILLs, %zu needs and %zu decisions acknowledged, %zu needs sent, all "
      "checked\n",
      cycles, ledger.acked_needs.size(), ledger.acked_decisions.size(), ledger.descriptions.size());
}

}  // namespace
}  // namespace expectmatch
