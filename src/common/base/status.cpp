#include "ddb/base/status.h"

namespace ddb {

std::string Status::ToString() const {
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kInvalidArgument: return "invalid argument: " + message_;
    case Code::kCorruption: return "corruption: " + message_;
    case Code::kIoError: return "I/O error: " + message_;
    case Code::kUnavailable: return "unavailable: " + message_;
    case Code::kRefused: return "refused: " + message_;
    case Code::kNotFound: return "not found: " + message_;
    case Code::kTimedOut: return "timed out: " + message_;
    case Code::kMySql:
      return "ERROR " + std::to_string(mysql_error_code_) + " (" + sql_state_ + "): " + message_;
  }
  return message_;
}

}  // namespace ddb
