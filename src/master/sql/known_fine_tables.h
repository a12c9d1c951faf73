// KnownFineTables: the tables and routines a write may reach that the
// master's catalog showed transactional (nontransactional_writes.h), kept
// for every session of the master until the next DDL.
//
// A session asks information_schema once per table it writes (~1 ms on
// MariaDB 10.11). An application that opens a connection per request
// would pay that on every connection if each session kept its own answers;
// here the sessions of one MySQL account share them. Per account, because
// information_schema shows each account only what it may see: one
// account's answers never decide another's statement. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ddb {

class KnownFineTables {
 public:
  // (routine?, schema, name): a table, or a routine a write calls.
  using Key = std::pair<bool, std::pair<std::string, std::string>>;

  // Whether `account` found `key` fine in schema epoch `epoch`.
  bool Contains(const std::string& account, uint64_t epoch, const Key& key) const;
  // Records that `account` found `keys` fine in `epoch`; a newer epoch
  // forgets every older answer.
  void Add(const std::string& account, uint64_t epoch, const std::vector<Key>& keys);

 private:
  mutable std::mutex mutex_;
  uint64_t epoch_ = 0;
  std::set<std::pair<std::string, Key>> known_;
};

}  // namespace ddb
