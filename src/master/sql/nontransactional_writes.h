// NontransactionalWrites: refuses a write to a table whose engine cannot
// roll back (MyISAM, Aria, MEMORY...).
//
// ddb logs what committed. A non-transactional table keeps what a statement
// wrote when its transaction rolls back, or when the statement fails part
// way (a multi-row INSERT that meets a duplicate key), so the master would
// keep rows the slaves never get. Creating such tables is refused
// (statement_policy.cpp); this catches the ones that were there before ddb
// (adopted tables) or came with a seed, also where a write reaches them
// through a view or a trigger (write_reach.h). The write is refused with
// the table and the ALTER that converts it.
//
// Asks the master's catalog once per table until the next DDL
// (schema_epoch), so steady writes cost nothing extra: once per session,
// or once per account when the sessions share a KnownFineTables. Not
// thread-safe: one per SqlSession.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ddb/mysql/mysql_connection.h"
#include "ddb/sql/parsed_statement.h"
#include "known_fine_tables.h"
#include "program_ids.h"
#include "written_tables.h"

namespace ddb {

// Refused when `statement` creates a program (TRIGGER, PROCEDURE,
// FUNCTION, PACKAGE) or runs a compound block whose body writes a table
// whose engine is not InnoDB: it would write it inside the calling
// statement's transaction. Other statements: Ok, without a query.
Status CheckProgramWrites(SqlConnection& connection, const ParsedStatement& statement,
                          const std::string& current_database, bool refuse_unsafe = true);

class NontransactionalWrites {
 public:
  // `shared` (may be null; must outlive this object) holds what the
  // master's other sessions found.
  explicit NontransactionalWrites(KnownFineTables* shared = nullptr) : shared_(shared) {}

  // Refused when `statement` writes a base table whose engine is not
  // InnoDB. `schema_epoch` changes whenever a DDL may have changed an
  // engine (ReplicationLog::ddl_count). `account` is the MySQL account the
  // catalog is asked as (CURRENT_USER()).
  Status Check(SqlConnection& connection, const ParsedStatement& statement,
               const std::string& current_database, uint64_t schema_epoch, const std::string& account,
               bool refuse_unsafe = true);

 private:
  bool KnownFine(const std::string& account, const KnownFineTables::Key& key);

  KnownFineTables* const shared_;
  uint64_t epoch_ = UINT64_MAX;
  // (routine?, schema, name) of tables and routines found fine this epoch.
  std::set<KnownFineTables::Key> known_fine_;
};

}  // namespace ddb
