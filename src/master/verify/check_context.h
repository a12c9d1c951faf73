// The session context \verify's and \repair's logged statements run in, on
// the master and (as logged settings) on every slave's applier, whatever the
// statements replayed before them left there: TIMESTAMP values read and
// written in UTC, literals in utf8mb4 with backslash escapes, and foreign
// keys off while a repair rewrites rows (a DELETE must not cascade).
#pragma once

#include <string>
#include <vector>

#include "ddb/base/log_record.h"

namespace ddb {

std::vector<SessionSetting> CheckSettings(bool foreign_key_checks);

// The same as one SET statement, for the master's own session.
std::string CheckSettingsSql(bool foreign_key_checks);

}  // namespace ddb
