// StartSnapshot: the session, the transaction and the catalog (see
// snapshot_source.h for why it runs while nothing changes the schema).
#include "ddb/snapshot/snapshot_source.h"
#include "ddb/snapshot/view_order.h"

namespace ddb {
namespace {

constexpr const char* kUserSchemas =
    " NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema', 'ddb_meta')";

std::string Qualified(const std::string& database, const std::string& name) {
  return QuoteIdentifier(database) + "." + QuoteIdentifier(name);
}

Status ReadTables(MySqlConnection& connection, SnapshotCatalog* catalog) {
  QueryResult tables;
  if (Status s = connection.Execute(std::string("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, "
                                                "COALESCE(TABLE_ROWS, 0), COALESCE(DATA_LENGTH, 0) "
                                                "FROM information_schema.TABLES WHERE TABLE_SCHEMA") +
                                        kUserSchemas + " ORDER BY TABLE_SCHEMA, TABLE_NAME",
                                    &tables);
      !s.ok()) {
    return s;
  }
  std::vector<ViewDefinition> views;
  for (const auto& row : tables.rows) {
    const std::string database = row[0].value_or("");
    const std::string name = row[1].value_or("");
    const std::string qualified = Qualified(database, name);
    QueryResult create;
    if (row[2].value_or("") == "VIEW") {
      if (Status s = connection.Execute("SHOW CREATE VIEW " + qualified, &create); !s.ok()) return s;
      views.push_back({database, name, create.rows.at(0).at(1).value_or("")});
      continue;
    }
    // The shared metadata lock this takes lasts until the transaction ends.
    if (Status s = connection.Execute("SELECT 1 FROM " + qualified + " LIMIT 0"); !s.ok()) return s;
    if (Status s = connection.Execute("SHOW CREATE TABLE " + qualified, &create); !s.ok()) return s;
    SnapshotTable table{database, name, create.rows.at(0).at(1).value_or(""), {}, {}};
    QueryResult columns;
    if (Status s = connection.ExecuteWithParams(
            "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND "
            "TABLE_NAME = ? AND IS_GENERATED = 'NEVER' ORDER BY ORDINAL_POSITION",
            {database, name}, &columns);
        !s.ok()) {
      return s;
    }
    for (const auto& column : columns.rows) {
      table.columns.push_back(column[0].value_or(""));
      table.kinds.push_back(LiteralKindForType(column[1].value_or("")));
    }
    catalog->estimated_rows += std::stoull(row[3].value_or("0"));
    catalog->estimated_bytes += std::stoull(row[4].value_or("0"));
    catalog->tables.push_back(std::move(table));
  }
  for (size_t i : ViewCreationOrder(views)) {
    catalog->objects.push_back({views[i].database, "NO_ENGINE_SUBSTITUTION", views[i].create_sql});
  }
  return Status::Ok();
}

// Routines, then triggers: SHOW CREATE answers (name, sql_mode, statement, ...).
Status ReadPrograms(MySqlConnection& connection, SnapshotCatalog* catalog) {
  const char* const lists[] = {
      "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE "
      "ROUTINE_SCHEMA",
      "SELECT TRIGGER_SCHEMA, TRIGGER_NAME, 'TRIGGER' FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA",
  };
  for (const char* list_sql : lists) {
    QueryResult list;
    if (Status s = connection.Execute(std::string(list_sql) + kUserSchemas + " ORDER BY 1, 2", &list);
        !s.ok()) {
      return s;
    }
    for (const auto& row : list.rows) {
      const std::string database = row[0].value_or("");
      QueryResult create;
      if (Status s = connection.Execute(
              "SHOW CREATE " + row[2].value_or("") + " " + Qualified(database, row[1].value_or("")), &create);
          !s.ok()) {
        return s;
      }
      catalog->objects.push_back(
          {database, create.rows.at(0).at(1).value_or(""), create.rows.at(0).at(2).value_or("")});
    }
  }
  return Status::Ok();
}

}  // namespace

bool IsSystemSchema(const std::string& name) {
  for (const char* system : {"mysql", "sys", "information_schema", "performance_schema", "ddb_meta"}) {
    if (name == system) return true;
  }
  return false;
}

Status StartSnapshot(MySqlConnection& connection, SnapshotCatalog* catalog) {
  // The definitions are read as the loader will run them: backquoted names,
  // no mode that changes how SQL is read.
  if (Status s =
          ExecuteAll(connection, {"SET NAMES utf8mb4", "SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'",
                                  "SET SESSION sql_quote_show_create = 1",
                                  // A slow reader must not make the server give up on the rows.
                                  "SET SESSION net_write_timeout = 86400",
                                  "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                                  "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"});
      !s.ok()) {
    return s;
  }
  QueryResult databases;
  if (Status s = connection.Execute(std::string("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
                                                "SCHEMA_NAME") +
                                        kUserSchemas + " ORDER BY SCHEMA_NAME",
                                    &databases);
      !s.ok()) {
    return s;
  }
  for (const auto& row : databases.rows) {
    const std::string name = row[0].value_or("");
    QueryResult create;
    if (Status s = connection.Execute("SHOW CREATE DATABASE " + QuoteIdentifier(name), &create); !s.ok()) {
      return s;
    }
    catalog->databases.emplace_back(name, create.rows.at(0).at(1).value_or(""));
  }
  if (Status s = ReadTables(connection, catalog); !s.ok()) return s;
  if (Status s = ReadPrograms(connection, catalog); !s.ok()) return s;
  return ReadAccounts(connection, &catalog->accounts);
}

}  // namespace ddb
