// The benchmark's workload: a schema, then seeded mixed autocommit writes.
//
// Every setup (plain MariaDB, native replication, ddb) is fed exactly the same
// text, so the tables must end with the same contents everywhere: the harness
// checks that with CHECKSUM TABLE. Statements are deterministic (no NOW(),
// RAND(), UUID()) and always succeed, so there is nothing a replica could
// replay differently, and a failing statement is a harness bug, not noise.
//
// Only std::mt19937_64's raw output is used: its sequence is fixed by the
// standard, so a seed gives the same file on every platform.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace ddb::bench {

// The database and tables the workload writes. `kMixedTable` takes the main
// workload, `kCatchUpTable` the writes a replica misses while offline,
// `kLagTable` the paced writes of the lag measurement (id = write number).
inline constexpr const char* kDatabase = "bench";
inline constexpr const char* kMixedTable = "mixed";
inline constexpr const char* kCatchUpTable = "catchup";
inline constexpr const char* kLagTable = "lag";

// CREATE DATABASE and the three tables, one statement per element.
std::vector<std::string> SchemaStatements();

// Mixed single-row writes on one table: about half INSERTs of new ids, 30 %
// UPDATEs and 20 % DELETEs of live ids. Not thread-safe.
class MixedWrites {
 public:
  MixedWrites(uint64_t seed, std::string table);

  // The next `count` statements, without terminators.
  std::vector<std::string> Next(int count);

 private:
  uint64_t Below(uint64_t n) { return engine_() % n; }
  std::string Text(size_t length);
  std::string Insert();
  std::string Update();
  std::string Delete();

  std::mt19937_64 engine_;
  std::string table_;
  std::vector<uint64_t> live_ids_;  // ids that exist now, in no particular order
  uint64_t next_id_ = 1;
};

// The lag measurement's writes: INSERT of id 1..count into kLagTable.
std::vector<std::string> LagWrites(int count);

// `statements` as console input: each followed by ";\n".
std::string AsScript(const std::vector<std::string>& statements);

}  // namespace ddb::bench
