#include "expectmatch/service/reports.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <semaphore>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "document_files.h"
#include "expectmatch/matcher/date.h"
#include "expectmatch/service/clock.h"
#include "expectmatch/store_rows/store_rows.h"

extern char** environ;

namespace expectmatch::service {

using datasets::FieldPath;
using datasets::Json;

namespace {

constexpr const char* kPdf = "application/pdf";
constexpr const char* kOdt = "application/vnd.oasis.opendocument.text";
constexpr const char* kDocx =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
// How many first bytes the type check looks at (a DOCX's part names are in its first local
// headers; Word writes [Content_Types].xml first).
constexpr size_t kHeadBytes = 64 << 10;
// A text extraction that takes longer is abandoned (the document is stored all the same).
constexpr int kExtractionTimeoutMs = 20000;
// Text extractions running at once; the others wait (each is a child process).
std::counting_semaphore<2> g_extractions(2);

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// "application/pdf; charset=binary" → "application/pdf".
std::string MediaType(const std::string& header) {
  return Lower(Trim(header.substr(0, header.find(';'))));
}

std::string Extension(const std::string& type) {
  if (type == kPdf) return "pdf";
  if (type == kOdt) return "odt";
  return "docx";
}

unsigned Le16(const std::string& s, size_t at) {
  return static_cast<unsigned char>(s[at]) |
         (static_cast<unsigned>(static_cast<unsigned char>(s[at + 1])) << 8);
}
unsigned long Le32(const std::string& s, size_t at) {
  return Le16(s, at) | (static_cast<unsigned long>(Le16(s, at + 2)) << 16);
}

constexpr std::string_view kZipLocalHeader{"PK\x03\x04", 4};

void FsyncPath(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECTORY);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path.string());
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  if (rc != 0) throw std::system_error(saved, std::generic_category(), "fsync " + path.string());
}

// Runs `argv` (no shell) and returns what it writes on its standard output, at most `cap`
// bytes; nullopt with `*error` when it cannot start, fails, or outlives `timeout_ms` (then it
// is killed).
std::optional<std::string> RunChild(const std::vector<std::string>& argv, size_t cap,
                                    int timeout_ms, std::string* error) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    *error = "pipe: " + std::string(std::strerror(errno));
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    *error = argv[0] + " unavailable: " + std::strerror(rc);
    return std::nullopt;
  }
  std::string out;
  bool timed_out = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buffer[16 << 10];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{pipe_fds[0], POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      timed_out = n == 0;
      break;
    }
    ssize_t got = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    if (out.size() < cap)
      out.append(buffer, std::min<size_t>(static_cast<size_t>(got), cap - out.size()));
  }
  ::close(pipe_fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    *error = argv[0] + " timed out";
    return std::nullopt;
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    *error = argv[0] + " failed";
    return std::nullopt;
  }
  return out;
}

// The text of an OpenDocument or WordprocessingML part: tags dropped, a paragraph's end a
// line break, the five predefined entities decoded.
std::string XmlText(const std::string& xml) {
  std::string out;
  size_t i = 0;
  while (i < xml.size()) {
    if (xml[i] == '<') {
      size_t end = xml.find('>', i);
      if (end == std::string::npos) break;
      std::string_view tag(xml.data() + i + 1, end - i - 1);
      if (tag == "/text:p" || tag == "/text:h" || tag == "/w:p" ||
          tag.starts_with("text:line-break") || tag.starts_with("w:br"))
        out += '\n';
      else if (tag.starts_with("text:tab") || tag == "w:tab/")
        out += '\t';
      i = end + 1;
    } else if (xml[i] == '&') {
      static const std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
      bool done = false;
      for (const auto& [name, ch] : kEntities) {
        if (std::string_view(xml).substr(i, name.size()) == name) {
          out += ch;
          i += name.size();
          done = true;
          break;
        }
      }
      if (!done) out += xml[i++];
    } else {
      out += xml[i++];
    }
  }
  return out;
}

// The searchable text of a stored document and how it was obtained.
std::pair<std::string, std::string> ExtractText(const std::filesystem::path& file,
                                                const std::string& type) {
  g_extractions.acquire();
  std::string error;
  std::optional<std::string> text;
  std::string how;
  if (type == kPdf) {
    how = "pdftotext";
    text = RunChild({"pdftotext", "-q", "-enc", "UTF-8", file.string(), "-"}, kReportTextMaxBytes,
                    kExtractionTimeoutMs, &error);
  } else {
    how = "unzip";
    // The XML is larger than its text: read up to four times the cap.
    text =
        RunChild({"unzip", "-p", file.string(), type == kOdt ? "content.xml" : "word/document.xml"},
                 4 * kReportTextMaxBytes, kExtractionTimeoutMs, &error);
    if (text) *text = XmlText(*text);
  }
  g_extractions.release();
  if (!text) return {"", "failed: " + error};
  if (text->size() > kReportTextMaxBytes) {
    // Cut at a character boundary.
    size_t cut = kReportTextMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>((*text)[cut]) & 0xC0) == 0x80) --cut;
    text->resize(cut);
  }
  return {*text, how};
}

std::string Hex(const unsigned char* data, size_t size) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

Status NotFound(const std::string& need) {
  return Status::NotFound("no mission report for need \"" + need + "\"",
                          {{"", "id", "no need with a mission under this id"}});
}

Json DocumentJson(const store::ReportDocumentRow& row) {
  return {{"sha256", row.sha256},
          {"bytes", row.bytes},
          {"content_type", row.content_type},
          {"uploaded_at", row.uploaded_at},
          {"text_extracted", !row.text.empty()}};
}

std::optional<matcher::Mission> MissionOf(store::Store& store, const std::string& need,
                                          std::string* stored_json) {
  std::vector<store::Document> docs = store.MissionsOfNeed(need);
  if (docs.empty()) return std::nullopt;
  const store::Document* chosen = &docs.front();
  for (const store::Document& doc : docs) {
    if (doc.id == "m-" + need) chosen = &doc;
  }
  datasets::FieldErrors errors;
  std::optional<matcher::Mission> mission =
      datasets::DecodeMission(Json::parse(chosen->json), FieldPath(), {}, &errors);
  if (mission && stored_json) *stored_json = chosen->json;
  return mission;
}

// A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. A cell that a
// spreadsheet would take for a formula (=, +, -, @ first) is prefixed with an apostrophe.
std::string CsvCell(std::string text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@'))
    text.insert(text.begin(), '\'');
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string RatingText(const Json& value) {
  return value.is_number_integer() ? std::to_string(value.get<int>()) : "";
}

}  // namespace

std::string DocumentFiles::CsvCellOf(std::string text) { return CsvCell(std::move(text)); }

// ---------------------------------------------------------------------------------------------
// ReportUpload

ReportUpload::~ReportUpload() {
  if (fd_ >= 0) ::close(fd_);
  if (!temp_path_.empty()) {
    std::error_code ignored;
    std::filesystem::remove(temp_path_, ignored);
  }
  if (digest_) EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(digest_));
}

bool ReportUpload::Refuse(UploadRefusal refusal, std::string message, std::string field,
                          std::string detail) {
  refusal_ = refusal;
  status_ =
      Status::InvalidArgument(std::move(message), {{"", std::move(field), std::move(detail)}});
  return false;
}

std::optional<bool> ReportUpload::CheckMagic(bool at_end) {
  const std::string& h = head_;
  const bool full = at_end || h.size() >= kHeadBytes;
  auto mismatch = [&](const std::string& what) {
    return Refuse(UploadRefusal::kUnsupportedType,
                  "the document's content is not of its declared type " + content_type_,
                  "Content-Type", what);
  };
  if (content_type_ == kPdf) {
    if (h.size() < 5)
      return at_end ? std::optional<bool>(mismatch("a PDF starts with %PDF-")) : std::nullopt;
    return h.compare(0, 5, "%PDF-") == 0 ? true : mismatch("a PDF starts with %PDF-");
  }
  const std::string zip_detail =
      content_type_ == kOdt ? "an ODT is a ZIP whose first entry is mimetype, stored, "
                              "holding application/vnd.oasis.opendocument.text"
                            : "a DOCX is a ZIP holding [Content_Types].xml and word/ parts";
  if (h.size() < 4) return at_end ? std::optional<bool>(mismatch(zip_detail)) : std::nullopt;
  if (std::string_view(h).substr(0, 4) != kZipLocalHeader) return mismatch(zip_detail);
  if (content_type_ == kOdt) {
    if (h.size() < 30) return at_end ? std::optional<bool>(mismatch(zip_detail)) : std::nullopt;
    const size_t name_length = Le16(h, 26), extra_length = Le16(h, 28);
    const unsigned long stored_size = Le32(h, 18);
    const size_t data_at = 30 + name_length + extra_length;
    const std::string_view expected = kOdt;
    if (h.size() < data_at + expected.size())
      return full ? std::optional<bool>(mismatch(zip_detail)) : std::nullopt;
    bool ok = Le16(h, 8) == 0 && h.compare(30, name_length, "mimetype") == 0 && name_length == 8 &&
              stored_size == expected.size() &&
              std::string_view(h).substr(data_at, expected.size()) == expected;
    return ok ? true : mismatch(zip_detail);
  }
  // DOCX: any local header among the first bytes naming [Content_Types].xml or a word/ part.
  for (size_t at = h.find(kZipLocalHeader); at != std::string::npos;
       at = h.find(kZipLocalHeader, at + 4)) {
    if (at + 30 > h.size()) break;
    const size_t name_length = Le16(h, at + 26);
    if (at + 30 + name_length > h.size()) break;
    std::string_view name = std::string_view(h).substr(at + 30, name_length);
    if (name == "[Content_Types].xml" || name.starts_with("word/")) return true;
  }
  return full ? std::optional<bool>(mismatch(zip_detail)) : std::nullopt;
}

bool ReportUpload::Write(const char* data, size_t size) {
  if (refusal_ != UploadRefusal::kNone) return false;
  bytes_ += static_cast<long long>(size);
  if (bytes_ > kReportDocumentMaxBytes) {
    return Refuse(UploadRefusal::kTooLarge,
                  "the document exceeds " + std::to_string(kReportDocumentMaxBytes) + " bytes",
                  "Content-Length",
                  "at most " + std::to_string(kReportDocumentMaxBytes) + " bytes");
  }
  if (head_.size() < kHeadBytes) head_.append(data, std::min(size, kHeadBytes - head_.size()));
  if (!magic_ok_) {
    std::optional<bool> fits = CheckMagic(false);
    if (fits && !*fits) return false;
    magic_ok_ = fits.value_or(false);
  }
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(digest_), data, size);
  while (size > 0) {
    ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw std::system_error(errno, std::generic_category(), "write " + temp_path_.string());
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// DocumentFiles

Status DocumentFiles::CheckLength(long long length, UploadRefusal* refusal) {
  *refusal = UploadRefusal::kNone;
  if (length < 0) {
    *refusal = UploadRefusal::kLengthRequired;
    return Status::InvalidArgument("the document's length must be given (Content-Length)",
                                   {{"", "Content-Length", "required"}});
  }
  if (length > kReportDocumentMaxBytes) {
    *refusal = UploadRefusal::kTooLarge;
    return Status::InvalidArgument(
        "the document exceeds " + std::to_string(kReportDocumentMaxBytes) + " bytes",
        {{"", "Content-Length", "at most " + std::to_string(kReportDocumentMaxBytes) + " bytes"}});
  }
  return Status::Ok();
}

std::string DocumentFiles::AcceptedType(const std::string& content_type) {
  const std::string type = MediaType(content_type);
  return type == kPdf || type == kOdt || type == kDocx ? type : std::string();
}

std::string DocumentFiles::AcceptedTypes() {
  return std::string("one of ") + kPdf + ", " + kOdt + ", " + kDocx;
}

std::string DocumentFiles::ExtensionOf(const std::string& type) { return Extension(type); }

std::unique_ptr<ReportUpload> DocumentFiles::Open(const std::filesystem::path& dir,
                                                  const std::string& owner, const std::string& type,
                                                  const std::string& uploaded_by) {
  if (dir.empty()) throw std::runtime_error("no documents directory is configured");
  std::unique_ptr<ReportUpload> out(new ReportUpload());
  out->need_ = owner;
  out->content_type_ = type;
  out->uploaded_by_ = uploaded_by;
  std::string pattern = (dir / "tmp" / "upload-XXXXXX").string();
  out->fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (out->fd_ < 0) throw std::system_error(errno, std::generic_category(), "mkostemp " + pattern);
  out->temp_path_ = pattern;
  EVP_MD_CTX* digest = EVP_MD_CTX_new();
  out->digest_ = digest;
  if (!digest || EVP_DigestInit_ex(digest, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 unavailable");
  return out;
}

Status DocumentFiles::Place(const std::filesystem::path& dir, ReportUpload& upload,
                            std::string* sha256, std::filesystem::path* path,
                            UploadRefusal* refusal) {
  *refusal = UploadRefusal::kNone;
  if (upload.refusal_ == UploadRefusal::kNone && !upload.magic_ok_) {
    std::optional<bool> fits = upload.CheckMagic(true);
    upload.magic_ok_ = fits.value_or(false);
  }
  if (upload.refusal_ != UploadRefusal::kNone) {
    *refusal = upload.refusal_;
    return upload.status_;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(upload.digest_), digest, &digest_size);
  *sha256 = Hex(digest, digest_size);

  // The file first, durably: fsync, rename into place, fsync the directory.
  if (::fsync(upload.fd_) != 0)
    throw std::system_error(errno, std::generic_category(), "fsync " + upload.temp_path_.string());
  ::close(upload.fd_);
  upload.fd_ = -1;
  const std::filesystem::path shard = dir / sha256->substr(0, 2);
  if (std::filesystem::create_directory(shard)) FsyncPath(dir);
  *path = shard / *sha256;
  std::filesystem::rename(upload.temp_path_, *path);
  upload.temp_path_.clear();
  FsyncPath(shard);
  return Status::Ok();
}

std::string DocumentFiles::Owner(const ReportUpload& upload) { return upload.need_; }
std::string DocumentFiles::Type(const ReportUpload& upload) { return upload.content_type_; }
std::string DocumentFiles::UploadedBy(const ReportUpload& upload) { return upload.uploaded_by_; }

std::filesystem::path DocumentFiles::PathOf(const std::filesystem::path& dir,
                                            const std::string& sha256) {
  return dir / sha256.substr(0, 2) / sha256;
}

// ---------------------------------------------------------------------------------------------
// Reports

struct Reports::Mission {
  std::string need;
  std::string need_status;
  matcher::Mission mission;
};

Reports::Reports(store::Store& store, const LiveSnapshot& snapshots,
                 std::filesystem::path documents_dir)
    : store_(store), snapshots_(snapshots), dir_(std::move(documents_dir)) {
  if (dir_.empty()) return;
  std::filesystem::create_directories(dir_ / "tmp");
  // What a server killed during an upload left: never recorded, never answered.
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "tmp")) {
    std::error_code ignored;
    std::filesystem::remove(entry.path(), ignored);
  }
}

Status Reports::Find(const Principal* caller, const std::string& need, Mission* out) const {
  std::optional<store::NeedRow> row = store_.GetNeed(need);
  if (!row) return NotFound(need);
  Json doc = Json::parse(row->json);
  const std::string selected = doc.value("selected", "");
  if (caller && caller->role == Role::kEmbassy) return NotFound(need);
  if (caller && caller->role == Role::kCollectivite &&
      (selected.empty() || selected != caller->collectivite))
    return NotFound(need);
  std::optional<matcher::Mission> mission = MissionOf(store_, need, nullptr);
  if (!mission) return NotFound(need);
  out->need = need;
  out->need_status = doc.value("status", "");
  out->mission = std::move(*mission);
  return Status::Ok();
}

Json Reports::View(const Mission& m) const {
  Json out{{"need", m.need}, {"collectivite", m.mission.collectivite}};
  std::optional<store::ReportRow> report = store_.GetReport(m.need);
  Json summary;
  Json daect_rating, partner_rating;
  if (report) {
    Json doc = Json::parse(report->json);
    summary = {{"resultats", doc["resultats"]},
               {"recommandations", doc["recommandations"]},
               {"suites_envisagees", doc["suites_envisagees"]}};
    daect_rating = doc.value("daect_rating", Json());
    partner_rating = doc.value("partner_rating", Json());
  }
  out["summary"] = summary;
  out["daect_rating"] = daect_rating;
  out["partner_rating"] = partner_rating;
  out["updated_at"] = report ? Json(report->updated_at) : Json();
  std::optional<store::ReportDocumentRow> document = store_.GetReportDocument(m.need);
  out["document"] = document ? DocumentJson(*document) : Json();
  const matcher::Date due = m.mission.end.AddMonths(2);
  out["end"] = matcher::FormatIsoDate(m.mission.end);
  out["due"] = matcher::FormatIsoDate(due);
  out["delivered"] = m.mission.report_delivered
                         ? Json(matcher::FormatIsoDate(*m.mission.report_delivered))
                         : Json();
  out["overdue"] = !m.mission.report_delivered && due < *matcher::ParseIsoDate(Today());
  return out;
}

Status Reports::BeginUpload(const Principal* caller, const std::string& need,
                            const std::string& content_type, long long length,
                            const std::string& if_match, std::unique_ptr<ReportUpload>* upload,
                            UploadRefusal* refusal) const {
  *refusal = UploadRefusal::kNone;
  // The length first: a body over the limit is never read, whoever sends it.
  if (Status status = DocumentFiles::CheckLength(length, refusal); !status.ok()) return status;
  Mission m;
  if (Status status = Find(caller, need, &m); !status.ok()) return status;
  const std::string type = MediaType(content_type);
  if (type != kPdf && type != kOdt && type != kDocx) {
    *refusal = UploadRefusal::kUnsupportedType;
    return Status::InvalidArgument(
        "a report document is a PDF, an ODT or a DOCX file",
        {{"", "Content-Type", std::string("one of ") + kPdf + ", " + kOdt + ", " + kDocx}});
  }
  std::optional<store::ReportDocumentRow> stored = store_.GetReportDocument(need);
  std::string condition = Trim(if_match);
  if (condition.size() >= 2 && condition.front() == '"' && condition.back() == '"')
    condition = condition.substr(1, condition.size() - 2);
  if (stored && condition.empty()) {
    return Status::Conflict(
               "a report document is already stored; replace it with If-Match: \"<its sha256>\"",
               {{"", "If-Match", "required to replace the stored document"}})
        .With("stored_sha256", stored->sha256);
  }
  if (stored && condition != "*" && condition != stored->sha256) {
    return Status::Conflict("If-Match does not name the stored report document",
                            {{"", "If-Match", "does not match the stored document"}})
        .With("stored_sha256", stored->sha256);
  }
  if (!stored && !condition.empty()) {
    return Status::Conflict("no report document is stored yet; upload it without If-Match",
                            {{"", "If-Match", "no stored document to match"}});
  }
  std::unique_ptr<ReportUpload> out =
      DocumentFiles::Open(dir_, need, type, caller ? caller->key_id : "cli");
  out->expected_sha256_ = stored ? stored->sha256 : "";
  *upload = std::move(out);
  return Status::Ok();
}

Status Reports::CommitUpload(ReportUpload& upload, Json* document, bool* created,
                             UploadRefusal* refusal) const {
  std::string sha256;
  std::filesystem::path final_path;
  if (Status status = DocumentFiles::Place(dir_, upload, &sha256, &final_path, refusal);
      !status.ok())
    return status;

  // Then the record, which now always names a file that exists.
  auto [text, extraction] = ExtractText(final_path, upload.content_type_);
  store::ReportDocumentRow row{
      upload.need_,        sha256,          upload.content_type_, upload.bytes_, NowRfc3339(),
      upload.uploaded_by_, std::move(text), std::move(extraction)};
  if (!store_.PutReportDocument(row, upload.expected_sha256_)) {
    return Status::Conflict("the report document was changed by another upload meanwhile",
                            {{"", "If-Match", "no longer matches the stored document"}});
  }
  *created = upload.expected_sha256_.empty();
  MarkDeliveredIfComplete(upload.need_);
  *document = DocumentJson(row);
  return Status::Ok();
}

Status Reports::Document(const Principal* caller, const std::string& need,
                         ReportDocumentFile* file) const {
  Mission m;
  if (Status status = Find(caller, need, &m); !status.ok()) return status;
  std::optional<store::ReportDocumentRow> row = store_.GetReportDocument(need);
  if (!row)
    return Status::NotFound("no report document uploaded for need \"" + need + "\"",
                            {{"", "id", "no document uploaded yet"}});
  file->path = dir_ / row->sha256.substr(0, 2) / row->sha256;
  file->content_type = row->content_type;
  file->sha256 = row->sha256;
  file->bytes = row->bytes;
  file->filename = "rapport-" + need + "." + Extension(row->content_type);
  return Status::Ok();
}

Status Reports::PutSummary(const Principal* caller, const std::string& need, const Json& body,
                           Json* report, bool* created) const {
  Mission m;
  if (Status status = Find(caller, need, &m); !status.ok()) return status;
  if (!body.is_object())
    return Status::InvalidArgument("the report is invalid", {{"", "", "expected a JSON object"}});
  const bool rater = !caller || caller->role == Role::kDaect;
  for (const char* rating : {"daect_rating", "partner_rating"}) {
    if (body.contains(rating) && !rater) {
      return Status::Forbidden(std::string("only DAECT rates a mission; leave out ") + rating,
                               {{std::string("/") + rating, "", "DAECT only"}});
    }
  }
  std::vector<FieldIssue> issues;
  for (const auto& [key, value] : body.items()) {
    if (key != "resultats" && key != "recommandations" && key != "suites_envisagees" &&
        key != "daect_rating" && key != "partner_rating")
      issues.push_back({"/" + key, "", "unknown field"});
  }
  for (const char* field : {"resultats", "recommandations", "suites_envisagees"}) {
    const std::string pointer = std::string("/") + field;
    if (!body.contains(field)) {
      issues.push_back({pointer, "", "required"});
    } else if (!body[field].is_string()) {
      issues.push_back({pointer, "", "expected a string"});
    } else if (Trim(body[field].get<std::string>()).find_first_not_of("\r\n") ==
               std::string::npos) {
      issues.push_back({pointer, "", "must not be empty"});
    } else if (body[field].get<std::string>().size() > kReportFieldMaxBytes) {
      issues.push_back({pointer, "", "at most " + std::to_string(kReportFieldMaxBytes) + " bytes"});
    }
  }
  for (const char* rating : {"daect_rating", "partner_rating"}) {
    if (!body.contains(rating) || body[rating].is_null()) continue;
    const Json& value = body[rating];
    if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > 5)
      issues.push_back({std::string("/") + rating, "", "an integer from 1 to 5, or null"});
  }
  if (!issues.empty()) return Status::InvalidArgument("the report is invalid", std::move(issues));

  std::optional<store::ReportRow> stored = store_.GetReport(need);
  Json previous = stored ? Json::parse(stored->json) : Json::object();
  Json doc{{"resultats", body["resultats"]},
           {"recommandations", body["recommandations"]},
           {"suites_envisagees", body["suites_envisagees"]}};
  for (const char* rating : {"daect_rating", "partner_rating"})
    doc[rating] = body.contains(rating) ? body[rating] : previous.value(rating, Json());
  store_.PutReport(
      {need, m.mission.collectivite, doc.dump(), NowRfc3339(), caller ? caller->key_id : "cli"});
  *created = !stored;
  MarkDeliveredIfComplete(need);
  Mission now;
  if (Status status = Find(nullptr, need, &now); !status.ok()) return status;
  *report = View(now);
  return Status::Ok();
}

Status Reports::Get(const Principal* caller, const std::string& need, Json* report) const {
  Mission m;
  if (Status status = Find(caller, need, &m); !status.ok()) return status;
  *report = View(m);
  return Status::Ok();
}

void Reports::MarkDeliveredIfComplete(const std::string& need) const {
  std::optional<store::ReportRow> report = store_.GetReport(need);
  if (!report || !store_.GetReportDocument(need)) return;
  std::optional<matcher::Mission> mission = MissionOf(store_, need, nullptr);
  std::optional<store::NeedRow> need_row = store_.GetNeed(need);
  if (!mission || !need_row) return;
  bool changed = false;
  if (!mission->report_delivered) {
    // Handed in before the mission's end, a report counts as delivered on its last day.
    matcher::Date today = *matcher::ParseIsoDate(Today());
    mission->report_delivered = today < mission->end ? mission->end : today;
    changed = true;
  }
  const Json rating = Json::parse(report->json).value("daect_rating", Json());
  if (rating.is_number_integer() && mission->rating != rating.get<int>()) {
    mission->rating = rating.get<int>();
    changed = true;
  }
  Json need_doc = Json::parse(need_row->json);
  const std::string status = need_doc.value("status", "");
  if (status == "in_mission" || status == "report_due") {
    need_doc["status"] = "closed";
    changed = true;
  }
  if (!changed) return;
  datasets::FieldErrors errors;
  std::optional<matcher::Need> updated =
      datasets::DecodeNeed(need_doc, FieldPath(), datasets::References{}, &errors);
  if (!updated) throw std::runtime_error("stored need " + need + " no longer decodes");
  store::SeedDocuments docs;
  docs.missions.push_back(store_rows::MissionRowFor(*mission));
  docs.needs.push_back(store_rows::NeedRowFor(*updated));
  store_.Import(docs);
  snapshots_.RequestRefresh();
}

std::string Reports::ExportCsv() const { return ReportsCsv(store_); }

std::string ReportsCsv(store::Store& store) {
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte order mark: Excel reads the file as UTF-8
  out +=
      "need,country,themes,collectivite,collectivite_name,start,end,due,delivered,daect_rating,"
      "partner_rating,sha256,resultats,recommandations,suites_envisagees\r\n";
  // By the missions' end, the earliest first (then by id): the order of a year's review.
  std::vector<matcher::Mission> missions;
  for (const store::Document& doc : store.Missions()) {
    datasets::FieldErrors errors;
    std::optional<matcher::Mission> m =
        datasets::DecodeMission(Json::parse(doc.json), FieldPath(), {}, &errors);
    if (m) missions.push_back(std::move(*m));
  }
  std::sort(missions.begin(), missions.end(),
            [](const matcher::Mission& a, const matcher::Mission& b) {
              return a.end != b.end ? a.end < b.end : a.id < b.id;
            });
  for (const matcher::Mission* m = missions.data(); m != missions.data() + missions.size(); ++m) {
    std::string themes;
    for (const std::string& theme : m->themes) {
      if (!themes.empty()) themes += ';';
      themes += theme;
    }
    std::string name;
    if (std::optional<store::Document> c = store.GetCollectivite(m->collectivite))
      name = Json::parse(c->json).value("name", "");
    Json report = Json::object();
    std::string sha256;
    if (!m->need.empty()) {
      if (std::optional<store::ReportRow> row = store.GetReport(m->need))
        report = Json::parse(row->json);
      if (std::optional<store::ReportDocumentRow> row = store.GetReportDocument(m->need))
        sha256 = row->sha256;
    }
    Json daect_rating = report.value("daect_rating", Json());
    if (!daect_rating.is_number_integer() && m->rating) daect_rating = *m->rating;
    const std::vector<std::string> cells = {
        m->need,
        m->country,
        themes,
        m->collectivite,
        name,
        matcher::FormatIsoDate(m->start),
        matcher::FormatIsoDate(m->end),
        matcher::FormatIsoDate(m->end.AddMonths(2)),
        m->report_delivered ? matcher::FormatIsoDate(*m->report_delivered) : "",
        RatingText(daect_rating),
        RatingText(report.value("partner_rating", Json())),
        sha256,
        report.value("resultats", ""),
        report.value("recommandations", ""),
        report.value("suites_envisagees", "")};
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvCell(cells[i]);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace expectmatch::service
