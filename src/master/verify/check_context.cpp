#include "check_context.h"

namespace ddb {

std::vector<SessionSetting> CheckSettings(bool foreign_key_checks) {
  return {{"sql_mode", "'STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION'"},
          {"time_zone", "'+00:00'"},
          {"character_set_client", "'utf8mb4'"},
          {"collation_connection", "'utf8mb4_general_ci'"},
          {"foreign_key_checks", foreign_key_checks ? "1" : "0"},
          {"unique_checks", "1"}};
}

std::string CheckSettingsSql(bool foreign_key_checks) {
  std::string sql = "SET SESSION character_set_results = 'utf8mb4'";
  for (const SessionSetting& setting : CheckSettings(foreign_key_checks)) {
    sql += ", " + setting.name + " = " + setting.value;
  }
  return sql;
}

}  // namespace ddb
