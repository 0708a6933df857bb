// The real `expectmatch serve` in a child process, for tests that kill or signal it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace expectmatch::testing {

class ServerProcess {
 public:
  // Starts `expectmatch serve --port 0 ARGS...` and waits (at most 20 s) for its "listening on
  // HOST:PORT" line. port() is 0 when it did not come up.
  explicit ServerProcess(const std::vector<std::string>& args) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      int null = open("/dev/null", O_WRONLY);
      dup2(null, STDERR_FILENO);
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
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    char ch;
    while (std::chrono::steady_clock::now() < deadline && read(stdout_, &ch, 1) == 1) {
      if (ch != '\n') {
        line += ch;
        continue;
      }
      if (line.rfind("listening on ", 0) == 0) {
        port_ = std::stoi(line.substr(line.rfind(':') + 1));
        return;
      }
      line.clear();
    }
  }
  ~ServerProcess() {
    if (pid_ > 0 && !waited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_ >= 0) close(stdout_);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  // Sends `signal` and waits for the process; returns its wait status.
  int Signal(int signal) {
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  int port_ = 0;
  bool waited_ = false;
};

}  // namespace expectmatch::testing
