// Shared by the libFuzzer targets of fuzz/: the tiny data set, and a whole Service (store in a
// scratch folder on tmpfs, a DAECT key) to send request bodies through the real handlers.
//
// The oracle, besides the sanitizers: a handler never answers 5xx to any input (an exception
// escaping a decoder becomes a 500 in Service::Handle, which we treat as a crash), every
// answer is JSON, and every error is a problem document.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "expectmatch/api/service.h"
#include "expectmatch/datasets/loader.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/store/store.h"

#ifndef EXPECTMATCH_FUZZ_DATA
#error "EXPECTMATCH_FUZZ_DATA (tests/data/tiny) must be defined by the build"
#endif

namespace expectmatch::fuzz {

inline void Check(bool condition, const char* what, const std::string& detail = "") {
  if (condition) return;
  std::fprintf(stderr, "fuzz oracle: %s\n%s\n", what, detail.substr(0, 2000).c_str());
  std::abort();
}

// The tiny data set, loaded once.
inline const matcher::Dataset& TinyDataset() {
  static const matcher::Dataset dataset = [] {
    datasets::LoadResult loaded = datasets::LoadDatasetDir(EXPECTMATCH_FUZZ_DATA);
    Check(loaded.ok(), "the tiny data set does not load");
    return std::move(loaded.dataset);
  }();
  return dataset;
}

// A service over a store seeded with the tiny data set, with a DAECT key; built once per
// process, in a folder under /dev/shm (or the temp folder) removed at exit.
class Harness {
 public:
  static Harness& Get() {
    static Harness* harness = new Harness();  // never destroyed: the fuzzer exits with _exit
    return *harness;
  }

  // Sends `body` to `method path` as the DAECT key; checks the oracle; returns the status.
  int Send(const std::string& method, const std::string& path, const std::string& body) {
    api::HttpRequest request;
    request.method = method;
    request.path = path;
    request.headers["authorization"] = "Bearer " + key_;
    request.headers["content-type"] = "application/json";
    request.body = body;
    api::HttpResponse response = service_->Handle(request);
    Check(response.status < 500, "a 5xx answer", response.body);
    Check(nlohmann::json::accept(response.body), "an answer that is not JSON", response.body);
    if (response.status >= 400) {
      Check(response.content_type == "application/problem+json",
            "an error that is not a problem document", response.body);
    }
    return response.status;
  }

  const service::Snapshot& snapshot() const { return *service_->snapshot(); }

 private:
  Harness() {
    std::filesystem::path base =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    dir_ = base / ("expectmatch-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    std::atexit([] { std::filesystem::remove_all(Get().dir_); });
    store_ = std::make_unique<store::Store>(dir_ / "fuzz.db");
    auto snapshot = service::OpenSnapshot(*store_, EXPECTMATCH_FUZZ_DATA);
    key_ = service::CreateApiKey(*store_, service::Role::kDaect, "", "fuzz").secret;
    api::ServiceOptions options;
    options.refresh_interval = std::chrono::milliseconds(0);
    service_ = std::make_unique<api::Service>(*store_, snapshot, nullptr, options);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::string key_;
  std::unique_ptr<api::Service> service_;
};

}  // namespace expectmatch::fuzz
