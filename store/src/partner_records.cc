// Foreign partners' aliases and merges. Append-only: a merge or an alias is never rewritten,
// so the directory the service builds from them can be replayed in order.
#include "expectmatch/store/store.h"
#include "statement.h"

namespace expectmatch::store {

using internal::Statement;

void Store::AddPartnerAlias(const PartnerAliasRow& row) {
  std::lock_guard lock(mutex_);
  Transact([&] {
    Statement s(db_,
                "INSERT INTO partner_aliases (partner, alias, source, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?)");
    s.Bind(1, row.partner);
    s.Bind(2, row.alias);
    s.Bind(3, row.source);
    s.Bind(4, row.created_at);
    s.Bind(5, row.created_by);
    s.Step();
    BumpGeneration();
    return true;
  });
}

void Store::AddPartnerMerge(const PartnerMergeRow& row) {
  std::lock_guard lock(mutex_);
  Transact([&] {
    Statement s(db_,
                "INSERT INTO partner_merges (from_id, into_id, created_at, created_by) "
                "VALUES (?, ?, ?, ?)");
    s.Bind(1, row.from);
    s.Bind(2, row.into);
    s.Bind(3, row.created_at);
    s.Bind(4, row.created_by);
    s.Step();
    BumpGeneration();
    return true;
  });
}

std::vector<PartnerAliasRow> Store::PartnerAliases() {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT partner, alias, source, created_at, created_by FROM partner_aliases "
              "ORDER BY seq");
  std::vector<PartnerAliasRow> rows;
  while (s.Step()) rows.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4)});
  return rows;
}

std::vector<PartnerMergeRow> Store::PartnerMerges() {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT from_id, into_id, created_at, created_by FROM partner_merges ORDER BY seq");
  std::vector<PartnerMergeRow> rows;
  while (s.Step()) rows.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3)});
  return rows;
}

}  // namespace expectmatch::store
