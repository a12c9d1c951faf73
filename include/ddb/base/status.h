// Status: the result of an operation that can fail, in the style of LevelDB's.
//
// Cheap on success; on failure it carries a kind and a message that names what
// failed. Every fallible call at a component boundary returns one, and the
// adapters around mysql-connector and CLI11 turn exceptions into a Status.
#pragma once

#include <string>
#include <utility>

namespace ddb {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kInvalidArgument,  // bad input from a user, a config file or a peer
    kCorruption,       // bytes that do not decode
    kIoError,          // socket or file failure
    kUnavailable,      // peer or server not reachable / connection closed
    kMySql,            // an error reported by MySQL (see mysql_error_code)
    kRefused,          // a request understood and declined (auth, read-only)
    kNotFound,
    kTimedOut,
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }
  static Status Refused(std::string msg) { return Status(Code::kRefused, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status TimedOut(std::string msg) { return Status(Code::kTimedOut, std::move(msg)); }
  // An error returned by the MySQL server (or the client library).
  static Status MySql(int error_code, std::string sql_state, std::string msg) {
    Status s(Code::kMySql, std::move(msg));
    s.mysql_error_code_ = error_code;
    s.sql_state_ = std::move(sql_state);
    return s;
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  int mysql_error_code() const { return mysql_error_code_; }
  const std::string& sql_state() const { return sql_state_; }

  // "<kind>: <message>" for logs; MySQL errors read like the mariadb client:
  // "ERROR 1146 (42S02): Table 't.x' doesn't exist".
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
  int mysql_error_code_ = 0;
  std::string sql_state_;
};

}  // namespace ddb
