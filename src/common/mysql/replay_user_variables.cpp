#include "ddb/mysql/replay_user_variables.h"

#include "ddb/mysql/mysql_connection.h"
#include "ddb/sql/replay_safety.h"

namespace ddb {
namespace {

bool IsUserVariable(const SessionSetting& setting) { return !setting.name.empty() && setting.name[0] == '@'; }

std::string KeyOf(const std::string& written) { return UserVariableKey(std::string_view(written).substr(1)); }

}  // namespace

Status HeldUserVariables(SqlConnection& connection, std::vector<std::string>* names) {
  // The plugin behind this table is built into MariaDB and on by default.
  QueryResult held;
  if (Status s = connection.Execute("SELECT VARIABLE_NAME FROM information_schema.USER_VARIABLES", &held);
      !s.ok()) {
    return s;
  }
  for (const auto& row : held.rows) names->push_back(row.at(0).value_or(""));
  return Status::Ok();
}

std::vector<std::string> ReplayUserVariables::Clearing(const LoggedStatement& statement) const {
  if (held_.empty()) return {};  // the usual case, once per statement applied
  std::set<std::string> carried;
  for (const SessionSetting& setting : statement.settings) {
    if (IsUserVariable(setting)) carried.insert(KeyOf(setting.name));
  }
  std::vector<std::string> clearing;
  for (const std::string& key : held_) {
    if (carried.count(key) == 0) clearing.push_back(ever_.at(key) + " = NULL");
  }
  return clearing;
}

void ReplayUserVariables::Set(const LoggedStatement& statement) {
  held_.clear();
  for (const SessionSetting& setting : statement.settings) {
    if (IsUserVariable(setting)) Note(setting.name);
  }
}

void ReplayUserVariables::Unknown() {
  for (const auto& [key, written] : ever_) held_.insert(key);
}

Status ReplayUserVariables::Learn(SqlConnection& connection) {
  std::vector<std::string> held;
  if (Status s = HeldUserVariables(connection, &held); !s.ok()) return s;
  for (const std::string& name : held) Note("@" + QuoteIdentifier(name));
  return Status::Ok();
}

void ReplayUserVariables::Note(const std::string& written) {
  const std::string key = KeyOf(written);
  ever_.emplace(key, written);
  held_.insert(key);
}

}  // namespace ddb
