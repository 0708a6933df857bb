#include "expectmatch/datasets/writer.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/loader.h"

namespace expectmatch::datasets {
namespace {

class FileWriter {
 public:
  explicit FileWriter(const std::filesystem::path& path)
      : path_(path), file_(std::fopen(path.c_str(), "wb")) {
    if (!file_) Fail();
    buffer_.reserve(kChunk + 4096);
  }
  ~FileWriter() {
    if (file_) std::fclose(file_);
  }
  void Append(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kChunk) Flush();
  }
  void Close() {
    Flush();
    std::FILE* file = file_;
    file_ = nullptr;
    if (std::fclose(file) != 0) Fail();
  }

 private:
  static constexpr size_t kChunk = 1 << 20;
  void Flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
      Fail();
    buffer_.clear();
  }
  [[noreturn]] void Fail() const {
    throw std::filesystem::filesystem_error("cannot write", path_,
                                            std::error_code(errno, std::generic_category()));
  }

  std::filesystem::path path_;
  std::FILE* file_;
  std::string buffer_;
};

std::filesystem::path Temporary(std::filesystem::path path) { return path += ".tmp"; }

// Writes `records` as a JSON array, one record per line, to `path`.tmp.
template <typename Record>
void WriteTemporary(const std::vector<Record>& records, const std::filesystem::path& path,
                    StageProgress& stage, size_t* done) {
  FileWriter out(Temporary(path));
  out.Append(records.empty() ? "[" : "[\n");
  for (size_t i = 0; i < records.size(); ++i) {
    if (i > 0) out.Append(",\n");
    out.Append(Encode(records[i]).dump());
    stage.Advance(++*done);
  }
  out.Append(records.empty() ? "]\n" : "\n]\n");
  out.Close();
}

}  // namespace

StageProgress::StageProgress(const Progress& progress, std::string_view stage, size_t total)
    : progress_(progress),
      stage_(stage),
      total_(total),
      step_(std::max<size_t>(1, total / 100)),
      next_(step_) {}

void StageProgress::Advance(size_t done) {
  if (!progress_ || finished_ || (done < next_ && done < total_)) return;
  progress_(stage_, done, total_);
  next_ = (done / step_ + 1) * step_;
  finished_ = done >= total_;
}

void WriteDataset(const matcher::Dataset& dataset, const std::filesystem::path& dir,
                  const Progress& progress) {
  size_t total = dataset.themes.size() + dataset.collectivites.size() +
                 dataset.cooperations.size() + dataset.missions.size() + dataset.needs.size();
  StageProgress stage(progress, "écriture", total);
  size_t done = 0;
  try {
    WriteTemporary(dataset.themes, dir / "themes.json", stage, &done);
    WriteTemporary(dataset.collectivites, dir / "collectivites.json", stage, &done);
    WriteTemporary(dataset.cooperations, dir / "cooperations.json", stage, &done);
    WriteTemporary(dataset.missions, dir / "missions.json", stage, &done);
    WriteTemporary(dataset.needs, dir / "needs.json", stage, &done);
  } catch (...) {
    std::error_code ignored;
    for (const char* file : kDatasetFiles) {
      if (!std::filesystem::is_directory(Temporary(dir / file), ignored))
        std::filesystem::remove(Temporary(dir / file), ignored);
    }
    throw;
  }
  for (const char* file : kDatasetFiles) std::filesystem::rename(Temporary(dir / file), dir / file);
  stage.Finish();
}

}  // namespace expectmatch::datasets
