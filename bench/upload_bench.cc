// Uploading a mission report document to a live `expectmatch serve` (a child process): the
// throughput and the growth of the server's peak resident memory (VmHWM of /proc/PID/status).
// The upload is streamed on both sides (the client reads the file piece by piece), so the
// server's peak must not grow by the file's size. Baselines of the same run: a 1 MiB upload,
// and copying the file on the same disk with an fsync (what the server does at least).
//
//   expectmatch_upload_bench [MiB]   (default 20)
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace {

using Clock = std::chrono::steady_clock;

long VmHwmKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

std::string Run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  pclose(pipe);
  return out;
}

// A file of `bytes` starting like a PDF, the rest random.
void MakeFile(const std::filesystem::path& path, size_t bytes, unsigned seed) {
  std::mt19937 random(seed);
  std::ofstream out(path, std::ios::binary);
  std::string chunk = "%PDF-1.4\n";
  size_t written = 0;
  while (written < bytes) {
    chunk.resize(std::min<size_t>(1 << 16, bytes - written));
    for (size_t i = written == 0 ? 9 : 0; i < chunk.size(); ++i)
      chunk[i] = static_cast<char>(random() & 0xFF);
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    written += chunk.size();
  }
}

struct Measure {
  double seconds = 0;
  int status = 0;
};

Measure Upload(httplib::Client& client, const std::string& need,
               const std::filesystem::path& file) {
  auto in = std::make_shared<std::ifstream>(file, std::ios::binary);
  const size_t size = std::filesystem::file_size(file);
  const auto start = Clock::now();
  auto result =
      client.Put(("/v1/needs/" + need + "/report/document").c_str(), size,
                 [in](size_t offset, size_t length, httplib::DataSink& sink) {
                   char buffer[1 << 16];
                   in->seekg(static_cast<std::streamoff>(offset));
                   in->read(buffer, static_cast<std::streamsize>(std::min(length, sizeof buffer)));
                   return sink.write(buffer, static_cast<size_t>(in->gcount()));
                 },
                 "application/pdf");
  Measure m;
  m.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  m.status = result ? result->status : -1;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t mib = argc > 1 ? std::stoul(argv[1]) : 20;
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("expectmatch-upload-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "bench.db").string();
  const std::string binary = EXPECTMATCH_BINARY;
  std::string keys = Run(binary + " keys create --role daect --db " + db + " 2>&1");
  const size_t at = keys.find("emk_");
  if (at == std::string::npos) {
    std::fprintf(stderr, "cannot create a key: %s\n", keys.c_str());
    return 1;
  }
  const std::string secret = keys.substr(at, 68);

  int out[2];
  if (pipe(out) != 0) return 1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDERR_FILENO);
    execl(binary.c_str(), binary.c_str(), "serve", "--port", "0", "--db", db.c_str(), "--data",
          EXPECTMATCH_TINY_DATA, static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  int port = 0;
  std::string line;
  for (char ch; read(out[0], &ch, 1) == 1;) {
    if (ch != '\n') {
      line += ch;
    } else if (line.rfind("listening on ", 0) == 0) {
      port = std::stoi(line.substr(line.rfind(':') + 1));
      break;
    } else {
      line.clear();
    }
  }
  if (port == 0) {
    std::fprintf(stderr, "the server did not start\n");
    return 1;
  }
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(120, 0);
  client.set_write_timeout(120, 0);
  client.set_default_headers({{"Authorization", "Bearer " + secret}});
  for (const std::string id : {"n-bench-small", "n-bench-large"}) {
    const std::string need =
        R"({"id": ")" + id + R"(", "country": "SN", "partner": {"name": "Commune de Louga"},
        "themes": [{"theme": "env.eau", "weight": 1}], "period": {"start": "2026-09-01", "end": "2026-09-05"}})";
    client.Post("/v1/needs", need, "application/json");
    client.Post(("/v1/needs/" + id + "/decision").c_str(), R"({"collectivite": "com-a"})",
                "application/json");
    client.Put(("/v1/needs/" + id + "/mission").c_str(),
               R"({"start": "2026-09-01", "end": "2026-09-05"})", "application/json");
  }
  const std::filesystem::path small = dir / "small.pdf", large = dir / "large.pdf";
  MakeFile(small, 1 << 20, 1);
  MakeFile(large, mib << 20, 2);

  // Copy baseline: the large file copied and fsynced on the same disk.
  const auto copy_start = Clock::now();
  std::filesystem::copy_file(large, dir / "copy.pdf");
  {
    int fd = open((dir / "copy.pdf").c_str(), O_RDONLY);
    fsync(fd);
    close(fd);
  }
  const double copy_seconds = std::chrono::duration<double>(Clock::now() - copy_start).count();

  const long before_small = VmHwmKb(pid);
  Measure s = Upload(client, "n-bench-small", small);
  const long after_small = VmHwmKb(pid);
  Measure l = Upload(client, "n-bench-large", large);
  const long after_large = VmHwmKb(pid);

  std::printf("upload 1 MiB:   status %d, %.3f s, %.1f MiB/s, server VmHWM %ld -> %ld kB (+%ld)\n",
              s.status, s.seconds, 1.0 / s.seconds, before_small, after_small,
              after_small - before_small);
  std::printf("upload %zu MiB:  status %d, %.3f s, %.1f MiB/s, server VmHWM %ld -> %ld kB (+%ld)\n",
              mib, l.status, l.seconds, static_cast<double>(mib) / l.seconds, after_small,
              after_large, after_large - after_small);
  std::printf("copy+fsync %zu MiB: %.3f s, %.1f MiB/s\n", mib, copy_seconds,
              static_cast<double>(mib) / copy_seconds);
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  std::filesystem::remove_all(dir);
  const bool ok = s.status == 201 && l.status == 201 &&
                  after_large - after_small < static_cast<long>((mib << 20) / 1024 / 4);
  if (!ok)
    std::fprintf(stderr,
                 "FAILED: an upload was refused or the server's peak grew by the file's size\n");
  return ok ? 0 : 1;
}
