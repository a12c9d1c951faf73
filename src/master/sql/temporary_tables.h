// TemporaryTables: the temporary tables one master session holds, and what
// each statement of that session may do with them.
//
// A temporary table belongs to the session that made it. ddb's slaves
// replay every master session through one applier session, where a
// session's temporary tables cannot live (all sessions' would share one
// namespace, and outlive the sessions that made them). So they stay on the
// master, as with MariaDB's row-based replication: creating, filling,
// reading, altering and dropping one runs on the master alone and is never
// logged. What cannot work is a logged statement that reads one -- INSERT
// INTO t SELECT ... FROM tmp, CREATE TABLE t AS SELECT ... FROM tmp: its
// replay would find no such table (or a real one of the same name, which
// the temporary one hides on the master). Those are refused, naming the
// table. So is a statement reaching a stored program whose body reads one
// (temporary_reach.h).
//
// Names are matched as MariaDB matches them on a case-sensitive file system
// (lower_case_table_names = 0, Linux's default): a statement is run unlogged
// only when every table it writes is exactly one of this session's
// temporary tables; one that names a temporary table's name in any other
// spelling or place is refused rather than guessed at.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ddb/sql/parsed_statement.h"

namespace ddb {

class TemporaryTables {
 public:
  enum class Use {
    kNone,     // names none of the session's temporary tables: as usual
    kLocal,    // creates, changes or reads only them: runs on the master alone, unlogged
    kRefused,  // see Decision::refusal
    // Reaches stored programs (CALL, a compound block, a stored function)
    // while the session holds temporary tables: as usual once their bodies
    // are found to read none (temporary_reach.h).
    kCheckPrograms,
    // INSERT or REPLACE into tables that replicate from a query that reads
    // temporary ones: the master runs the query and logs the rows as values
    // (insert_select.h); kRefused with `refusal` when it has no such form.
    kMaterialize,
  };
  struct Decision {
    Use use = Use::kNone;
    // kLocal: MariaDB commits the open transaction first (ALTER TABLE,
    // TRUNCATE, DROP TABLE without TEMPORARY...), as for any DDL.
    bool commits_implicitly = false;
    std::string refusal;  // kRefused (and kMaterialize, should that fail): why, and what to do instead
  };

  // What `statement`, run with `database` as the session's default, does
  // with the tables this session holds. Costs nothing while it holds none
  // and the statement creates none.
  Decision Classify(const ParsedStatement& statement, const std::string& database) const;

  // After a kLocal statement succeeded: a CREATE TEMPORARY TABLE adds its
  // table, a DROP removes those it names.
  void Learn(const ParsedStatement& statement, const std::string& database);

  // After a CREATE or DROP of temporary tables failed: what it did is
  // uncertain (a failed CREATE OR REPLACE has dropped the old table, a
  // failed DROP of a list the tables it found), so each table it names is
  // held or not as `is_temporary(schema, table)`, asked of the server, says.
  // A name left held by mistake would send writes to the real table of that
  // name unlogged.
  void Recheck(const ParsedStatement& statement, const std::string& database,
               const std::function<bool(const std::string& schema, const std::string& table)>& is_temporary);

  // The server session ended (connection lost): MariaDB dropped them all.
  void Forget() { held_.clear(); }

  bool empty() const { return held_.empty(); }

  // The first held table's name `tokens` spell anywhere, in any letter
  // case (a table, a qualifier, even a column of that name); empty: none.
  std::string NamedIn(const std::vector<Token>& tokens) const;

 private:
  // (schema, table), as MariaDB stored them: the schema resolved.
  using Key = std::pair<std::string, std::string>;
  // The tables a CREATE TEMPORARY TABLE or DROP [TEMPORARY] TABLE names.
  static std::vector<Key> Listed(const ParsedStatement& statement, const std::string& database);
  std::set<Key> held_;
};

}  // namespace ddb
