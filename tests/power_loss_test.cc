// Power loss, tested the way SQLite tests itself (its "crash" VFS): a VFS shim wraps the default
// one and keeps, for every database and WAL file, what has reached the disk (written, then
// synced) apart from what was only written. A simulated power loss keeps the synced bytes and
// drops the rest, or keeps an arbitrary part of it (a disk may have written some pages on its
// own before the power went). kill -9 never shows this: the kernel keeps every write a killed
// process made, synced or not.
//
// The store runs the write paths the service acknowledges (seeding, a submitted need, a decision,
// API keys created and revoked, profile versions, batch plans stored and accepted, ranking-log
// batches, closing and reopening) while a power loss is simulated before every write, sync and
// truncation it makes. Each crash image is a separate copy of the files, opened by a fresh
// Store: it must pass `PRAGMA integrity_check`, and its content must be exactly the state
// acknowledged before the interrupted operation or exactly the state after it, never anything in
// between, and never less: every acknowledged write survives, no write is half applied.
//
// Model and its limits: a sync makes every byte written to that file before it durable; writes
// are atomic per call (SQLite writes whole pages; it assumes no torn sector, as the unix VFS
// does with SQLITE_IOCAP_POWERSAFE_OVERWRITE); a file created and never synced is lost at the
// power loss, and exists once synced (the unix VFS syncs the directory of a new journal or WAL;
// a new database's own directory entry is assumed to reach the disk with its first sync); a
// deletion is durable at once. The wal-index (-shm) is not kept: SQLite rebuilds it
// from the WAL when the first connection opens.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "expectmatch/datasets/loader.h"
#include "expectmatch/store/store.h"
#include "expectmatch/store_rows/store_rows.h"
#include "testutil.h"

namespace expectmatch {
namespace {

namespace fs = std::filesystem;

// What one file holds on the disk and what is only in the (simulated) disk cache.
struct FileState {
  bool durable_exists = false;  // would the file exist after a power loss
  std::string durable;          // its content after a power loss (synced bytes)
  struct Op {
    sqlite3_int64 offset = 0;  // write offset, or the new size of a truncation
    std::string data;          // the bytes written; empty for a truncation
    bool truncate = false;
  };
  std::vector<Op> pending;  // written (or truncated) since the last sync, in order
};

void Apply(const FileState::Op& op, std::string* content) {
  if (op.truncate) {
    content->resize(static_cast<size_t>(op.offset));
    return;
  }
  const size_t end = static_cast<size_t>(op.offset) + op.data.size();
  if (content->size() < end) content->resize(end, '\0');
  content->replace(static_cast<size_t>(op.offset), op.data.size(), op.data);
}

// A power loss: the files as they would be found at the next boot, by name.
using CrashImage = std::map<std::string, std::string>;

// The shim. Registered once as the default VFS; it keeps state only for the database, rollback
// journal and WAL files under `root` (other files, e.g. the crash images being checked, pass through untouched).
class PowerLossVfs {
 public:
  static PowerLossVfs& Instance() {
    static PowerLossVfs* vfs = new PowerLossVfs();  // never destroyed: SQLite keeps a pointer
    return *vfs;
  }

  // Tracks the files under `root` from now on; forgets any earlier state.
  void Watch(const fs::path& root) {
    std::lock_guard lock(mutex_);
    root_ = fs::canonical(root).string() + "/";  // SQLite opens files by their full path
    files_.clear();
    images_.clear();
  }
  void StopWatching() {
    std::lock_guard lock(mutex_);
    root_.clear();
    files_.clear();
    images_.clear();
  }
  // The crash images taken since the last call (one per write, sync or truncation).
  std::vector<CrashImage> TakeImages() {
    std::lock_guard lock(mutex_);
    return std::exchange(images_, {});
  }
  // The files as they are now, after a power loss that drops nothing synced.
  CrashImage Now() {
    std::lock_guard lock(mutex_);
    return ImageLocked(/*keep_some_pending=*/false);
  }
  size_t crash_points() {
    std::lock_guard lock(mutex_);
    return crash_points_;
  }

 private:
  struct File {
    sqlite3_file base;
    sqlite3_file* real;  // the default VFS's file, allocated right after this struct
    FileState* state;    // null when untracked
  };

  PowerLossVfs() {
    real_ = sqlite3_vfs_find(nullptr);
    vfs_ = *real_;
    vfs_.pNext = nullptr;
    vfs_.zName = "powerloss";
    vfs_.pAppData = this;
    vfs_.szOsFile = static_cast<int>(sizeof(File)) + real_->szOsFile;
    vfs_.xOpen = &Open;
    vfs_.xDelete = &Delete;
    // Every other VFS method (access, full path, randomness, time...) is the default one's.
    sqlite3_vfs_register(&vfs_, /*makeDflt=*/1);
  }

  static PowerLossVfs& Of(sqlite3_vfs* vfs) { return *static_cast<PowerLossVfs*>(vfs->pAppData); }

  // One simulated power loss just before the next I/O: the durable bytes of every tracked file,
  // plus (every other time) a random part of what is pending. REQUIRES: mutex_ held.
  void CrashPointLocked() {
    ++crash_points_;
    images_.push_back(ImageLocked(/*keep_some_pending=*/crash_points_ % 2 == 0));
  }

  CrashImage ImageLocked(bool keep_some_pending) {
    CrashImage image;
    for (auto& [path, state] : files_) {
      std::string content = state->durable;
      bool exists = state->durable_exists;
      if (keep_some_pending && exists) {
        for (const FileState::Op& op : state->pending) {
          if (random_() % 2 == 0) Apply(op, &content);
        }
      }
      if (exists) image[fs::path(path).filename().string()] = std::move(content);
    }
    return image;
  }

  FileState* TrackLocked(const std::string& path) {
    if (root_.empty() || path.rfind(root_, 0) != 0) return nullptr;
    std::unique_ptr<FileState>& state = files_[path];
    if (!state) {
      state = std::make_unique<FileState>();
      std::ifstream in(path, std::ios::binary);
      if (in) {  // it was there before: what it holds is on the disk
        state->durable_exists = true;
        state->durable.assign(std::istreambuf_iterator<char>(in), {});
      }
    }
    return state.get();
  }

  static int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags,
                  int* out_flags) {
    PowerLossVfs& self = Of(vfs);
    File* f = reinterpret_cast<File*>(file);
    f->real = reinterpret_cast<sqlite3_file*>(f + 1);
    f->state = nullptr;
    int rc = self.real_->xOpen(self.real_, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
      f->base.pMethods = nullptr;
      return rc;
    }
    {
      std::lock_guard lock(self.mutex_);
      const int kept = SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_WAL;
      if (name != nullptr && (flags & kept) != 0) {
        f->state = self.TrackLocked(name);
      }
      if (!self.methods_.iVersion) {
        self.methods_ = *f->real->pMethods;  // xLock, xShmMap, ... forward as they are
        self.methods_.xClose = &Close;
        self.methods_.xRead = &Read;
        self.methods_.xWrite = &Write;
        self.methods_.xTruncate = &Truncate;
        self.methods_.xSync = &Sync;
        self.methods_.xFileSize = &FileSize;
        self.methods_.xLock = &Lock;
        self.methods_.xUnlock = &Unlock;
        self.methods_.xCheckReservedLock = &CheckReservedLock;
        self.methods_.xFileControl = &FileControl;
        self.methods_.xSectorSize = &SectorSize;
        self.methods_.xDeviceCharacteristics = &DeviceCharacteristics;
        if (self.methods_.iVersion >= 2) {
          self.methods_.xShmMap = &ShmMap;
          self.methods_.xShmLock = &ShmLock;
          self.methods_.xShmBarrier = &ShmBarrier;
          self.methods_.xShmUnmap = &ShmUnmap;
        }
        if (self.methods_.iVersion >= 3) {
          self.methods_.xFetch = &Fetch;
          self.methods_.xUnfetch = &Unfetch;
        }
      }
    }
    f->base.pMethods = &self.methods_;
    return SQLITE_OK;
  }

  static int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
    PowerLossVfs& self = Of(vfs);
    int rc = self.real_->xDelete(self.real_, name, sync_dir);
    std::lock_guard lock(self.mutex_);
    if (rc == SQLITE_OK) self.files_.erase(name);
    return rc;
  }

  static PowerLossVfs& Self() { return Instance(); }
  static sqlite3_file* Real(sqlite3_file* file) { return reinterpret_cast<File*>(file)->real; }
  static FileState* State(sqlite3_file* file) { return reinterpret_cast<File*>(file)->state; }

  static int Close(sqlite3_file* file) { return Real(file)->pMethods->xClose(Real(file)); }
  static int Read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
    return Real(file)->pMethods->xRead(Real(file), buffer, amount, offset);
  }
  static int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
    FileState* state = State(file);
    PowerLossVfs& self = Self();
    std::lock_guard lock(self.mutex_);
    if (state != nullptr) self.CrashPointLocked();
    int rc = Real(file)->pMethods->xWrite(Real(file), data, amount, offset);
    if (rc == SQLITE_OK && state != nullptr) {
      state->pending.push_back(
          {offset, std::string(static_cast<const char*>(data), static_cast<size_t>(amount))});
    }
    return rc;
  }
  static int Truncate(sqlite3_file* file, sqlite3_int64 size) {
    FileState* state = State(file);
    PowerLossVfs& self = Self();
    std::lock_guard lock(self.mutex_);
    if (state != nullptr) self.CrashPointLocked();
    int rc = Real(file)->pMethods->xTruncate(Real(file), size);
    if (rc == SQLITE_OK && state != nullptr) state->pending.push_back({size, "", true});
    return rc;
  }
  static int Sync(sqlite3_file* file, int flags) {
    FileState* state = State(file);
    PowerLossVfs& self = Self();
    std::lock_guard lock(self.mutex_);
    if (state != nullptr) self.CrashPointLocked();
    int rc = Real(file)->pMethods->xSync(Real(file), flags);
    if (rc == SQLITE_OK && state != nullptr) {
      for (const FileState::Op& op : state->pending) Apply(op, &state->durable);
      state->pending.clear();
      state->durable_exists = true;  // the unix VFS syncs the directory of a new journal or WAL
    }
    return rc;
  }
  static int FileSize(sqlite3_file* file, sqlite3_int64* size) {
    return Real(file)->pMethods->xFileSize(Real(file), size);
  }
  static int Lock(sqlite3_file* file, int level) {
    return Real(file)->pMethods->xLock(Real(file), level);
  }
  static int Unlock(sqlite3_file* file, int level) {
    return Real(file)->pMethods->xUnlock(Real(file), level);
  }
  static int CheckReservedLock(sqlite3_file* file, int* out) {
    return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
  }
  static int FileControl(sqlite3_file* file, int op, void* arg) {
    return Real(file)->pMethods->xFileControl(Real(file), op, arg);
  }
  static int SectorSize(sqlite3_file* file) {
    return Real(file)->pMethods->xSectorSize(Real(file));
  }
  static int DeviceCharacteristics(sqlite3_file* file) {
    return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
  }
  static int ShmMap(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
    return Real(file)->pMethods->xShmMap(Real(file), page, size, extend, out);
  }
  static int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
    return Real(file)->pMethods->xShmLock(Real(file), offset, n, flags);
  }
  static void ShmBarrier(sqlite3_file* file) { Real(file)->pMethods->xShmBarrier(Real(file)); }
  static int ShmUnmap(sqlite3_file* file, int delete_flag) {
    return Real(file)->pMethods->xShmUnmap(Real(file), delete_flag);
  }
  static int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
    return Real(file)->pMethods->xFetch(Real(file), offset, amount, out);
  }
  static int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
    return Real(file)->pMethods->xUnfetch(Real(file), offset, page);
  }

  sqlite3_vfs* real_ = nullptr;
  sqlite3_vfs vfs_{};
  sqlite3_io_methods methods_{};
  std::mutex mutex_;
  std::string root_;
  std::map<std::string, std::unique_ptr<FileState>> files_;
  std::vector<CrashImage> images_;
  size_t crash_points_ = 0;
  std::mt19937 random_{20261130};
};

// Everything a client was acknowledged, read back through the store's own API.
std::string Digest(store::Store& store, const std::vector<std::string>& plans) {
  std::ostringstream out;
  out << "seeded " << store.IsSeeded() << " source " << store.SeedSource() << "\n";
  out << "collectivites " << store.Collectivites().size() << "\n";
  for (const store::Document& need : store.Needs()) {
    out << "need " << need.id << " " << need.json << "\n";
    for (const store::DecisionRow& d : store.Decisions(need.id)) {
      out << "  decision " << d.collectivite << " " << d.decided_at << " " << d.decided_by << " "
          << d.note << "\n";
    }
  }
  for (const store::ApiKeyRow& key : store.ApiKeys()) {
    out << "key " << key.id << " " << key.hash << " " << key.role << " " << key.country << " "
        << key.revoked_at << "\n";
  }
  for (const store::ProfileRow& latest : store.LatestProfiles()) {
    for (const store::ProfileRow& p : store.ProfileVersions(latest.name)) {
      out << "profile " << p.name << " " << p.version << " " << p.weights << "\n";
    }
  }
  for (const std::string& id : plans) {
    if (auto plan = store.GetAssignment(id)) {
      out << "plan " << id << " " << plan->plan << " accepted " << plan->accepted_at << "\n";
    }
  }
  out << "ranking log " << store.RankingLogSize() << "\n";
  return out.str();
}

// Writes `image` into `dir` (emptied first).
void WriteImage(const CrashImage& image, const fs::path& dir) {
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& [name, content] : image) {
    std::ofstream(dir / name, std::ios::binary)
        .write(content.data(), static_cast<std::streamsize>(content.size()));
  }
}

std::string IntegrityCheck(const fs::path& db) {
  sqlite3* handle = nullptr;
  std::string result = "cannot open";
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(handle, "PRAGMA integrity_check", -1, &statement, nullptr) ==
            SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    } else {
      result = sqlite3_errmsg(handle);
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(handle);
  return result;
}

class PowerLoss : public ::testing::Test {
 protected:
  void SetUp() override {
    vfs_ = &PowerLossVfs::Instance();
    vfs_->Watch(live_.path());
    datasets::LoadResult tiny = datasets::LoadDatasetDir(testing::TestData("tiny"));
    ASSERT_TRUE(tiny.ok());
    tiny_ = tiny.dataset;
  }
  void TearDown() override {
    store_.reset();  // its files' states live in the shim until then
    vfs_->StopWatching();
  }

  // Runs one acknowledged operation, then checks every power loss simulated while it ran:
  // each must find the state acknowledged before it or the state after it; the files as they
  // stand once it returned must hold the state after it.
  void Acknowledged(const std::string& what, const std::function<void()>& operation) {
    SCOPED_TRACE(what);
    vfs_->TakeImages();  // reads between operations write nothing that matters
    operation();
    std::vector<CrashImage> images = vfs_->TakeImages();
    const std::string after = Digest(*store_, plans_);
    images.push_back(vfs_->Now());
    for (size_t i = 0; i < images.size(); ++i) {
      const bool last = i + 1 == images.size();
      std::string found = Check(images[i]);
      if (last) {
        EXPECT_EQ(found, after) << "the acknowledged write is not all on the disk";
      } else if (found != before_ && found != after) {
        ADD_FAILURE() << "power loss " << i << " of " << images.size() - 1
                      << " found a state that was never acknowledged:\n"
                      << found << "\nbefore:\n"
                      << before_ << "\nafter:\n"
                      << after;
      }
      if (::testing::Test::HasFailure()) return;
    }
    checked_ += images.size();
    before_ = after;
  }

  // Opens a crash image as the next boot would and returns what it holds.
  std::string Check(const CrashImage& image) {
    const fs::path dir = scratch_.path() / "image";
    WriteImage(image, dir);
    if (!fs::exists(dir / "store.db")) return before_empty_;
    EXPECT_EQ(IntegrityCheck(dir / "store.db"), "ok");
    store::Store reopened(dir / "store.db");
    return Digest(reopened, plans_);
  }

  store::NeedRow NeedRow(const std::string& id, matcher::NeedStatus status,
                         const std::string& selected) {
    matcher::Need need = tiny_.needs.front();
    need.id = id;
    need.status = status;
    need.selected = selected;
    need.description = "Besoin " + id + std::string(static_cast<size_t>(id.size()) * 300, 'x');
    return store_rows::NeedRowFor(need);
  }
  store::DecisionRow Decision(const std::string& need, int i) {
    return {need, "com-a", "2026-11-30T10:00:" + std::to_string(10 + i) + "Z", "k_test",
            "note " + std::to_string(i)};
  }

  PowerLossVfs* vfs_ = nullptr;
  testing::ScratchDir live_;
  testing::ScratchDir scratch_;
  matcher::Dataset tiny_;
  std::unique_ptr<store::Store> store_;
  std::vector<std::string> plans_;
  std::string before_;
  std::string before_empty_;
  size_t checked_ = 0;
};

TEST_F(PowerLoss, EveryAcknowledgedWriteSurvivesAndNoneIsHalfApplied) {
  {  // What a power loss before the database exists leaves: a new, empty store.
    testing::ScratchDir empty;
    store::Store fresh(empty.path() / "store.db");
    before_empty_ = before_ = Digest(fresh, plans_);
  }
  Acknowledged("create and seed", [&] {
    store_ = std::make_unique<store::Store>(live_.path() / "store.db");
    store_->Seed(store_rows::SeedDocumentsFor(tiny_, "tiny"));
  });
  ASSERT_FALSE(HasFailure());
  for (int i = 0; i < 4; ++i) {
    const std::string id = "n-power-" + std::to_string(i);
    Acknowledged("submit " + id, [&] {
      ASSERT_TRUE(store_->InsertNeed(NeedRow(id, matcher::NeedStatus::kSubmitted, "")));
    });
    Acknowledged("decide " + id, [&] {
      const std::string expected = store_->GetNeed(id)->json;
      ASSERT_TRUE(store_->UpdateNeed(NeedRow(id, matcher::NeedStatus::kAssigned, "com-a"), expected,
                                     Decision(id, i)));
    });
    const std::string key = "k_power_" + std::to_string(i);
    Acknowledged("create key " + key, [&] {
      store_->InsertApiKey({key, std::string(64, static_cast<char>('a' + i)), "embassy", "SN",
                            "clé " + key, "2026-11-30T10:00:00Z", "", ""});
    });
    if (i % 2 == 1) {
      Acknowledged("revoke key " + key, [&] { ASSERT_TRUE(store_->RevokeApiKey(key)); });
    }
    Acknowledged("save a profile version", [&] {
      store_->SaveProfile("power", "version " + std::to_string(i),
                          R"({"thematic": 1, "country_presence": 0, "partner_history": 0,
                              "track_record": 0, "language": 0, "availability": )" +
                              std::to_string(i) + "}");
    });
    const std::string planned = "n-plan-" + std::to_string(i);
    const std::string plan = "as_power" + std::to_string(i);
    Acknowledged("submit " + planned, [&] {
      ASSERT_TRUE(store_->InsertNeed(NeedRow(planned, matcher::NeedStatus::kSubmitted, "")));
    });
    Acknowledged("store plan " + plan, [&] {
      plans_.push_back(plan);
      const std::string expected = store_->GetNeed(planned)->json;
      store_->InsertAssignment({plan, "2026-11-30T11:00:00Z", "k_test", "{}",
                                R"({"needs": [")" + planned + R"("]})",
                                "{\"" + planned + "\": " + expected + "}", "", ""});
    });
    Acknowledged("accept plan " + plan, [&] {
      store::NeedUpdate update;
      update.row = NeedRow(planned, matcher::NeedStatus::kAssigned, "com-a");
      update.expected = store_->GetNeed(planned)->json;
      update.decision = Decision(planned, i);
      store::AcceptOutcome outcome =
          store_->AcceptAssignment(plan, {update}, "2026-11-30T11:00:01Z", "k_test");
      ASSERT_TRUE(outcome.accepted);
    });
    Acknowledged("ranking log batch", [&] {
      std::vector<store::RankingLogRow> rows;
      for (int r = 0; r < 20; ++r) {
        rows.push_back({"req-" + std::to_string(i) + "-" + std::to_string(r),
                        "2026-11-30T12:00:00Z", "default", 1, "n1", "{}",
                        R"([{"rank": 1, "collectivite": "com-a"}])", "", ""});
      }
      store_->AppendRankingLog(rows);
    });
    if (i == 1) {  // the last connection's close checkpoints the WAL into the database
      Acknowledged("close and reopen", [&] {
        store_.reset();
        store_ = std::make_unique<store::Store>(live_.path() / "store.db");
      });
    }
    ASSERT_FALSE(HasFailure());
  }
  // The test is only as good as the power losses it simulated.
  EXPECT_GT(checked_, 200u);
  EXPECT_GT(vfs_->crash_points(), 200u);
}

}  // namespace
}  // namespace expectmatch
