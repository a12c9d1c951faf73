#include "log_access.h"

#include "ddb/sql/explicit_definer.h"

namespace ddb {

LogAccess::LogAccess(MySqlEndpoint ddb_account, SqlOpener open)
    : ddb_account_(std::move(ddb_account)), open_(std::move(open)) {}

Status LogAccess::Open(const MySqlEndpoint& account, const MySqlOpenOptions& options,
                       std::unique_ptr<SqlConnection>* connection) {
  if (Status s = open_(account, options, connection); !s.ok()) {
    constexpr int kErrorAccessDenied = 1045;
    if (s.mysql_error_code() != kErrorAccessDenied) return s;
    return Status::MySql(s.mysql_error_code(), s.sql_state(),
                         s.message() +
                             " (an endpoint user runs as the MySQL account of its name and password: "
                             "create it through ddb, so the slaves have it too)");
  }
  return Status::Ok();
}

Status LogAccess::Admit(const std::string& current_user) {
  if (current_user.empty()) return Status::Corruption("CURRENT_USER() answered no account");
  std::lock_guard<std::mutex> lock(mutex_);
  if (granted_.count(current_user) != 0) return Status::Ok();
  std::unique_ptr<SqlConnection> ddb;
  if (Status s = open_(ddb_account_, MySqlOpenOptions(), &ddb); !s.ok()) return s;
  for (const char* procedure : kLogProcedures) {
    const std::string grant = std::string("GRANT EXECUTE ON PROCEDURE ddb_meta.") + procedure + " TO " +
                              QuotedAccount(current_user);
    if (Status s = ddb->Execute(grant); !s.ok()) {
      return Status::Refused("ddb's MySQL account " + ddb_account_.Describe() + " cannot let " +
                             current_user + " write the replication log (" + grant + ": " + s.message() +
                             "): give it GRANT ALL ON ddb_meta.* ... WITH GRANT OPTION");
    }
  }
  granted_.insert(current_user);
  return Status::Ok();
}

}  // namespace ddb
