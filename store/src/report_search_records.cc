// What the report search reads of the store beyond the reports themselves.
#include <sqlite3.h>

#include "expectmatch/store/store.h"
#include "statement.h"

namespace expectmatch::store {

using internal::Statement;

std::string Store::ReportsFingerprint() {
  std::lock_guard lock(mutex_);
  // INSERT OR REPLACE gives a replaced row a new rowid, so max(rowid) moves on every write;
  // the counts catch deletions, the sizes and times an UPDATE in place.
  Statement s(db_,
              "SELECT (SELECT count(*) || ':' || coalesce(max(rowid), 0) || ':' || "
              "coalesce(max(updated_at), '') || ':' || total(length(doc)) FROM reports) || '/' || "
              "(SELECT count(*) || ':' || coalesce(max(rowid), 0) || ':' || "
              "coalesce(max(uploaded_at), '') || ':' || total(bytes) || ':' || "
              "coalesce(max(sha256), '') FROM report_documents)");
  s.Step();
  return s.Text(0);
}

}  // namespace expectmatch::store
