// CollationNames: the character set and collation a client's handshake
// names by number (one byte), as the master's MariaDB knows them.
//
// A login that asks for anything but utf8mb4_general_ci had the master's
// MariaDB look its number up in information_schema.COLLATIONS; the numbers
// are fixed by the server, so the answer is kept for the daemon's life and
// later logins with the same number skip the round trip. Thread-safe: the
// endpoint's sessions share one.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace ddb {

class CollationNames {
 public:
  struct Names {
    std::string charset;    // "utf8mb3"; empty: MariaDB does not know the number
    std::string collation;  // "utf8mb3_general_ci"
  };

  std::optional<Names> Find(uint8_t id) const;
  void Remember(uint8_t id, Names names);

 private:
  mutable std::mutex mutex_;
  std::map<uint8_t, Names> known_;  // guarded by mutex_
};

}  // namespace ddb
