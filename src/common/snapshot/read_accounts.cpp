// ReadAccounts: the accounts and roles a snapshot carries (snapshot_source.h).
#include "ddb/snapshot/snapshot_source.h"

namespace ddb {
namespace {

// "`user`@`host`", quoted as SHOW CREATE USER and SHOW GRANTS take it.
std::string AccountName(const std::string& user, const std::string& host) {
  return QuoteIdentifier(user) + "@" + QuoteIdentifier(host);
}

// A grant on ddb's own schema: each node's ddb_meta is its own, and ddb
// grants on it what it needs (the log's procedures to endpoint accounts).
bool GrantsOnDdbMeta(const std::string& grant) {
  // SHOW GRANTS escapes a schema-level grant's '_' as a LIKE pattern.
  return grant.find(" ON `ddb_meta`.") != std::string::npos ||
         grant.find(" ON `ddb\\_meta`.") != std::string::npos ||
         grant.find(" ON PROCEDURE `ddb_meta`.") != std::string::npos ||
         grant.find(" ON FUNCTION `ddb_meta`.") != std::string::npos;
}

}  // namespace

Status ReadAccounts(MySqlConnection& connection, std::vector<std::string>* statements) {
  QueryResult accounts;
  // mariadb.sys, mysql (the unix-socket system account) and PUBLIC are
  // MariaDB's own; root and the daemon's own account exist on the target
  // already, with the target's passwords.
  if (Status s = connection.ExecuteWithParams("SELECT User, Host, is_role FROM mysql.user WHERE User NOT IN "
                                              "('', 'root', 'mysql', 'mariadb.sys', 'PUBLIC', ?) "
                                              "ORDER BY is_role DESC, User, Host",
                                              {connection.endpoint().user}, &accounts);
      !s.ok()) {
    return Status::Unavailable("reading the source's accounts (mysql.user) failed: " + s.ToString() +
                               "; its ddb account needs SELECT on mysql.*");
  }
  std::vector<std::string> grants;
  for (const auto& row : accounts.rows) {
    const std::string user = row[0].value_or("");
    const bool role = row[2].value_or("N") == "Y";
    const std::string name = role ? QuoteIdentifier(user) : AccountName(user, row[1].value_or(""));
    if (role) {
      statements->push_back("CREATE ROLE IF NOT EXISTS " + name);
    } else {
      QueryResult create;
      if (Status s = connection.Execute("SHOW CREATE USER " + name, &create); !s.ok()) return s;
      std::string sql = create.rows.at(0).at(0).value_or("");
      const std::string prefix = "CREATE USER ";
      if (sql.rfind(prefix, 0) != 0)
        return Status::Corruption("SHOW CREATE USER " + name + " answered: " + sql);
      statements->push_back(prefix + "IF NOT EXISTS " + sql.substr(prefix.size()));
    }
    QueryResult shown;
    if (Status s = connection.Execute("SHOW GRANTS FOR " + name, &shown); !s.ok()) return s;
    for (const auto& row : shown.rows) {
      std::string grant = row.at(0).value_or("");
      if (!GrantsOnDdbMeta(grant)) grants.push_back(std::move(grant));
    }
  }
  // Every account and role exists before a GRANT names one of them.
  statements->insert(statements->end(), grants.begin(), grants.end());
  return Status::Ok();
}

}  // namespace ddb
