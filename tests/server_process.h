// The real `expectmatch serve` in a child process, for tests that kill or signal it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "testutil.h"

namespace expectmatch::testing {

class ServerProcess {
 public:
  // Starts `expectmatch serve --port 0 ARGS...` with its stderr in `stderr_path` (discarded when
  // empty) and waits (at most 20 s) for its "listening on HOST:PORT" line on stdout. port() is 0
  // when it did not come up.
  explicit ServerProcess(const std::vector<std::string>& args,
                         const std::filesystem::path& stderr_path = {}) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      int err = stderr_path.empty() ? open("/dev/null", O_WRONLY)
                                    : open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(err, STDERR_FILENO);
      close(out[0]);
      std::vector<std::string> all = {EXPECTMATCH_BINARY, "serve", "--port", "0"};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (std::string& arg : all) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_ = out[0];
    fcntl(stdout_, F_SETFL, O_NONBLOCK);
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      char ch;
      ssize_t n = read(stdout_, &ch, 1);
      if (n == 0) return;  // the child closed stdout: it did not come up
      if (n < 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      if (ch != '\n') {
        line += ch;
      } else if (line.rfind("listening on ", 0) == 0) {
        port_ = std::stoi(line.substr(line.rfind(':') + 1));
        return;
      } else {
        line.clear();
      }
    }
  }
  ~ServerProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_ >= 0) close(stdout_);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  // Sends `signal` without waiting.
  void Kill(int signal) { kill(pid_, signal); }
  // Waits at most `limit` for the process to exit; its wait status, or nullopt if it did not.
  std::optional<int> Wait(std::chrono::milliseconds limit) {
    int status = 0;
    if (!WaitFor([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, limit))
      return std::nullopt;
    exited_ = true;
    return status;
  }
  // Sends `signal` and waits (at most 30 s) for the process; its wait status, -1 if it lived on.
  int Signal(int signal) {
    Kill(signal);
    return Wait(std::chrono::seconds(30)).value_or(-1);
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  int port_ = 0;
  bool exited_ = false;
};

}  // namespace expectmatch::testing
