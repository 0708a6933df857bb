// A local SMTP server for the e-mail tests: tests/smtp/sink.py (Debian's python3-aiosmtpd) in a
// child process, appending every message it accepts to a JSON-lines file before it answers 250.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "expectmatch/datasets/codec.h"
#include "testutil.h"

namespace expectmatch::testing {

class SmtpSink {
 public:
  // Starts the sink on `port` (0: a free one) writing to `out`; port() is 0 when it did not
  // come up within 20 s.
  explicit SmtpSink(std::filesystem::path out, int port = 0) : out_(std::move(out)) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(pipe_fds[1], STDOUT_FILENO);
      int null = open("/dev/null", O_WRONLY);
      dup2(null, STDERR_FILENO);
      close(pipe_fds[0]);
      std::string python = "/usr/bin/python3", script = EXPECTMATCH_SMTP_SINK, file = out_.string(),
                  port_text = std::to_string(port);
      char* argv[] = {python.data(), script.data(), file.data(), port_text.data(), nullptr};
      execv(argv[0], argv);
      _exit(127);
    }
    close(pipe_fds[1]);
    stdout_ = pipe_fds[0];
    fcntl(stdout_, F_SETFL, O_NONBLOCK);
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      char ch;
      ssize_t n = read(stdout_, &ch, 1);
      if (n == 0) return;
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
  ~SmtpSink() { Stop(); }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    if (stdout_ >= 0) close(stdout_);
    stdout_ = -1;
  }
  // The messages accepted so far, oldest first: {mail_from, rcpt_tos, raw, headers (lower-case
  // names, RFC 2047 decoded), body (decoded, "\n" line ends)}.
  std::vector<datasets::Json> Messages() const {
    std::vector<datasets::Json> out;
    const std::string text = ReadFile(out_);
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) break;  // a line being written
      datasets::Json message = datasets::Json::parse(text.substr(start, end - start));
      std::string body = message.value("body", "");
      for (size_t at; (at = body.find("\r\n")) != std::string::npos;) body.erase(at, 1);
      message["body"] = body;
      out.push_back(std::move(message));
      start = end + 1;
    }
    return out;
  }

 private:
  std::filesystem::path out_;
  pid_t pid_ = -1;
  int stdout_ = -1;
  int port_ = 0;
};

}  // namespace expectmatch::testing
