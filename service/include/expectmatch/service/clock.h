// The one wall clock and id maker of the service: timestamps of records (RFC 3339, UTC, to the
// second), today's date, and random ids. Thread-safe.
#pragma once

#include <string>

namespace expectmatch::service {

// Current UTC time, RFC 3339 ("2026-11-28T10:00:00Z").
std::string NowRfc3339();
// Today's UTC date, "2026-11-28".
std::string Today();
// 128 random bits as 32 hex digits (not a secret: keys use OpenSSL's generator).
std::string NewRequestId();
// 32 hex digits too: the first 12 the milliseconds since 1970 (UTC), the other 20 random
// (80 bits): ids made later sort after, so the ranking log's unique index on them grows at its end
// (a random id dirties a random page of that index per row, and the commit writes each).
std::string NewTimeOrderedId();
// Ids the service accepts for new records: 1 to 64 of [A-Za-z0-9._-], starting with a letter or
// digit, so that they stay usable in paths.
bool IsValidId(const std::string& id);

}  // namespace expectmatch::service
