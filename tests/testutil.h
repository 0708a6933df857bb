// Shared test helpers: paths to test data, scratch folders, polling, the CLI, a tiny-data-set
// catalogue.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "expectmatch/datasets/loader.h"
#include "expectmatch/service/snapshot.h"

namespace expectmatch::testing {

inline std::filesystem::path TestData(const std::string& name) {
  return std::filesystem::path(EXPECTMATCH_TEST_DATA) / name;
}
inline std::filesystem::path SampleDir() { return EXPECTMATCH_SAMPLE_DIR; }

// A fresh empty folder under the system temp dir, removed when the object dies.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device seed;
    path_ = std::filesystem::temp_directory_path() /
            ("expectmatch-test-" + std::to_string(seed()) + "-" +
             std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Copies a data set folder's five files into `to`.
inline void CopyDataset(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::create_directories(to);
  for (const char* file : datasets::kDatasetFiles)
    std::filesystem::copy_file(from / file, to / file);
}

// Polls `done` every 5 ms for at most `limit`; true when it held.
inline bool WaitFor(const std::function<bool()>& done,
                    std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// What running the expectmatch binary printed (stdout and stderr together) and its exit code.
struct CliRun {
  int exit_code = -1;
  std::string output;
};

// Runs `expectmatch ARGS` (ARGS as a shell would split them) and waits for it.
inline CliRun Expectmatch(const std::string& args) {
  std::string command = std::string(EXPECTMATCH_BINARY) + " " + args + " 2>&1";
  CliRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return run;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    run.output.append(buffer.data(), n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// The tiny hand-made data set (tests/data/tiny), loaded and checked.
inline std::shared_ptr<const service::Snapshot> TinySnapshot() {
  datasets::LoadResult loaded = datasets::LoadDatasetDir(TestData("tiny"));
  EXPECT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors.front());
  return std::make_shared<const service::Snapshot>(std::move(loaded.dataset));
}

}  // namespace expectmatch::testing
