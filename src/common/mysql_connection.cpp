#include "ddb/mysql_connection.h"

#include <cppconn/connection.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/metadata.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>
#include <mysql_driver.h>

#include <mutex>
#include <sstream>

namespace ddb {
namespace {

Status FromException(const sql::SQLException& e) {
  return Status::MySql(e.getErrorCode(), e.getSQLStateCStr(), e.what());
}

bool IsNumericType(int type) {
  switch (type) {
    case sql::DataType::BIT:
    case sql::DataType::TINYINT:
    case sql::DataType::SMALLINT:
    case sql::DataType::MEDIUMINT:
    case sql::DataType::INTEGER:
    case sql::DataType::BIGINT:
    case sql::DataType::REAL:
    case sql::DataType::DOUBLE:
    case sql::DataType::DECIMAL:
    case sql::DataType::NUMERIC:
      return true;
    default:
      return false;
  }
}

// The connector reports JDBC-style types; turn them back into the wire
// protocol's MYSQL_TYPE_* codes.
ColumnType ProtocolType(sql::ResultSetMetaData& meta, unsigned int column) {
  ColumnType type;
  const int kind = meta.getColumnType(column);
  type.length = meta.getColumnDisplaySize(column);
  if (IsNumericType(kind)) {
    type.is_unsigned = !meta.isSigned(column);
    type.decimals = static_cast<uint8_t>(meta.getScale(column));
  }
  switch (kind) {
    case sql::DataType::BIT: type.mysql_type = 16; type.is_binary = true; break;
    case sql::DataType::TINYINT: type.mysql_type = 1; break;
    case sql::DataType::SMALLINT: type.mysql_type = 2; break;
    case sql::DataType::MEDIUMINT: type.mysql_type = 9; break;
    case sql::DataType::INTEGER: type.mysql_type = 3; break;
    case sql::DataType::BIGINT: type.mysql_type = 8; break;
    case sql::DataType::REAL: type.mysql_type = 4; break;
    case sql::DataType::DOUBLE: type.mysql_type = 5; break;
    case sql::DataType::DECIMAL:
    case sql::DataType::NUMERIC: type.mysql_type = 246; break;
    case sql::DataType::SQLNULL: type.mysql_type = 6; break;
    case sql::DataType::TIMESTAMP:
      type.mysql_type = meta.getColumnTypeName(column).asStdString() == "DATETIME" ? 12 : 7;
      break;
    case sql::DataType::DATE: type.mysql_type = 10; break;
    case sql::DataType::TIME: type.mysql_type = 11; break;
    case sql::DataType::YEAR: type.mysql_type = 13; break;
    case sql::DataType::GEOMETRY: type.mysql_type = 255; type.is_binary = true; break;
    case sql::DataType::ENUM:
    case sql::DataType::SET:
    case sql::DataType::CHAR: type.mysql_type = 254; break;
    case sql::DataType::BINARY: type.mysql_type = 254; type.is_binary = true; break;
    case sql::DataType::VARBINARY: type.mysql_type = 253; type.is_binary = true; break;
    case sql::DataType::LONGVARCHAR:
    case sql::DataType::JSON: type.mysql_type = 252; break;
    case sql::DataType::LONGVARBINARY: type.mysql_type = 252; type.is_binary = true; break;
    default: type.mysql_type = 253; break;  // VARCHAR and anything newer
  }
  return type;
}

void ReadResultSet(sql::ResultSet& rs, QueryResult* result) {
  result->has_result_set = true;
  sql::ResultSetMetaData* meta = rs.getMetaData();
  const unsigned int count = meta->getColumnCount();
  for (unsigned int i = 1; i <= count; ++i) {
    result->columns.emplace_back(meta->getColumnLabel(i).asStdString());
    result->numeric.push_back(IsNumericType(meta->getColumnType(i)));
    result->column_types.push_back(ProtocolType(*meta, i));
  }
  while (rs.next()) {
    std::vector<std::optional<std::string>> row;
    row.reserve(count);
    for (unsigned int i = 1; i <= count; ++i) {
      if (rs.isNull(i)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(rs.getString(i).asStdString());
      }
    }
    result->rows.push_back(std::move(row));
  }
}

// The driver instance is created once per process by the connector itself;
// guarding its first use keeps concurrent first connections safe.
sql::mysql::MySQL_Driver* Driver() {
  static std::once_flag once;
  static sql::mysql::MySQL_Driver* driver = nullptr;
  std::call_once(once, [] { driver = sql::mysql::get_mysql_driver_instance(); });
  return driver;
}

}  // namespace

std::string MySqlEndpoint::Describe() const {
  return user + "@" + host + ":" + std::to_string(port);
}

MySqlConnection::MySqlConnection(MySqlEndpoint endpoint, std::unique_ptr<sql::Connection> connection)
    : endpoint_(std::move(endpoint)), connection_(std::move(connection)) {}

MySqlConnection::~MySqlConnection() = default;

Status MySqlConnection::Open(const MySqlEndpoint& endpoint, std::unique_ptr<MySqlConnection>* out) {
  return Open(endpoint, false, out);
}

Status MySqlConnection::Open(const MySqlEndpoint& endpoint, bool multi_statements,
                             std::unique_ptr<MySqlConnection>* out) {
  try {
    sql::ConnectOptionsMap options;
    options["hostName"] = sql::SQLString("tcp://" + endpoint.host + ":" + std::to_string(endpoint.port));
    options["userName"] = sql::SQLString(endpoint.user);
    options["password"] = sql::SQLString(endpoint.password);
    options["OPT_CONNECT_TIMEOUT"] = 5;
    options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    if (!endpoint.database.empty()) options["schema"] = sql::SQLString(endpoint.database);
    if (multi_statements) options["CLIENT_MULTI_STATEMENTS"] = true;
    std::unique_ptr<sql::Connection> connection(Driver()->connect(options));
    std::unique_ptr<MySqlConnection> opened(new MySqlConnection(endpoint, std::move(connection)));
    if (Status s = opened->ReadSessionId(&opened->session_id_); !s.ok()) return s;
    // The server's version string names the fork ("10.11.6-MariaDB-...").
    opened->server_is_mariadb_ =
        opened->connection_->getMetaData()->getDatabaseProductVersion().asStdString().find("MariaDB") !=
        std::string::npos;
    *out = std::move(opened);
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromException(e);
  }
}

Status MySqlConnection::ReadSessionId(MySqlSessionId* id) {
  QueryResult result;
  if (Status s = Execute(
          "SELECT CONNECTION_ID(), UNIX_TIMESTAMP() - VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
          "WHERE VARIABLE_NAME = 'UPTIME'",
          &result);
      !s.ok()) {
    return s;
  }
  if (result.rows.empty()) return Status::Corruption("the server reported no UPTIME status variable");
  id->connection_id = std::stoull(result.rows[0][0].value_or("0"));
  id->server_started_at = std::stoll(result.rows[0][1].value_or("0"));
  return Status::Ok();
}

Status MySqlConnection::Execute(std::string_view sql_text, QueryResult* result) {
  try {
    std::unique_ptr<sql::Statement> statement(connection_->createStatement());
    const bool has_rows = statement->execute(sql::SQLString(std::string(sql_text)));
    if (result == nullptr) {
      if (has_rows) std::unique_ptr<sql::ResultSet> discard(statement->getResultSet());
      return Status::Ok();
    }
    *result = QueryResult();
    if (has_rows) {
      std::unique_ptr<sql::ResultSet> rs(statement->getResultSet());
      ReadResultSet(*rs, result);
    } else {
      result->affected_rows = statement->getUpdateCount();
      // mysql_info(): what the server said about a multi-row write.
      if (auto* native = dynamic_cast<sql::mysql::MySQL_Connection*>(connection_.get())) {
        result->server_info = native->getLastStatementInfo().asStdString();
      }
    }
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromException(e);
  }
}

Status MySqlConnection::ExecuteBatch(std::string_view text, size_t count, size_t* completed) {
  *completed = 0;
  try {
    std::unique_ptr<sql::Statement> statement(connection_->createStatement());
    // Each call reads (and discards) the next statement's answer, and
    // throws the error of the statement that failed.
    statement->execute(sql::SQLString(std::string(text)));
    for (*completed = 1; *completed < count; ++*completed) statement->getMoreResults();
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromException(e);
  }
}

Status MySqlConnection::UserVariableLiterals(const std::vector<std::string>& names,
                                            std::vector<std::string>* literals) {
  if (names.empty()) return Status::Ok();
  // Each variable twice: as itself, whose result column has the variable's
  // type, and QUOTE()d, the literal a string needs.
  std::string sql = "SELECT ";
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string variable = "@" + names[i];  // as the statement wrote it (quoted or not)
    sql += (i ? ", " : "") + variable + ", QUOTE(" + variable + ")";
  }
  try {
    std::unique_ptr<sql::Statement> statement(connection_->createStatement());
    std::unique_ptr<sql::ResultSet> rs(statement->executeQuery(sql::SQLString(sql)));
    sql::ResultSetMetaData* meta = rs->getMetaData();
    if (!rs->next()) return Status::Corruption("reading user variables returned no row");
    literals->clear();
    for (unsigned int i = 0; i < names.size(); ++i) {
      const unsigned int value_column = 2 * i + 1;
      if (rs->isNull(value_column)) {
        literals->push_back("NULL");
        continue;
      }
      const std::string value = rs->getString(value_column).asStdString();
      switch (meta->getColumnType(value_column)) {
        case sql::DataType::TINYINT:
        case sql::DataType::SMALLINT:
        case sql::DataType::MEDIUMINT:
        case sql::DataType::INTEGER:
        case sql::DataType::BIGINT:
        case sql::DataType::DECIMAL:
        case sql::DataType::NUMERIC:
          literals->push_back(value);  // an exact literal keeps integer-ness and DECIMAL scale
          break;
        case sql::DataType::REAL:
        case sql::DataType::DOUBLE:
          // An exponent makes the literal a DOUBLE (5.25 alone would be DECIMAL).
          literals->push_back(value.find_first_of("eE") == std::string::npos ? value + "e0" : value);
          break;
        default:
          literals->push_back(rs->getString(value_column + 1).asStdString());
          break;
      }
    }
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromException(e);
  }
}

Status MySqlConnection::ExecutePrepared(std::string_view sql_text, const std::vector<SqlParam>& params,
                                        QueryResult* result) {
  try {
    auto cached = prepared_.find(sql_text);
    if (cached == prepared_.end()) {
      std::unique_ptr<sql::PreparedStatement> prepared(
          connection_->prepareStatement(sql::SQLString(std::string(sql_text))));
      cached = prepared_.emplace(std::string(sql_text), std::move(prepared)).first;
    }
    sql::PreparedStatement* statement = cached->second.get();
    statement->clearParameters();
    // Blob streams must outlive execute().
    std::vector<std::unique_ptr<std::istringstream>> blob_streams;
    for (size_t i = 0; i < params.size(); ++i) {
      const unsigned int index = static_cast<unsigned int>(i + 1);
      const SqlParam& param = params[i];
      if (std::holds_alternative<std::nullptr_t>(param)) {
        statement->setNull(index, sql::DataType::VARCHAR);
      } else if (auto* i64 = std::get_if<int64_t>(&param)) {
        statement->setInt64(index, *i64);
      } else if (auto* u64 = std::get_if<uint64_t>(&param)) {
        statement->setUInt64(index, *u64);
      } else if (auto* text = std::get_if<std::string>(&param)) {
        statement->setString(index, sql::SQLString(*text));
      } else if (auto* blob = std::get_if<Blob>(&param)) {
        blob_streams.push_back(std::make_unique<std::istringstream>(blob->bytes));
        statement->setBlob(index, blob_streams.back().get());
      }
    }
    if (result != nullptr) *result = QueryResult();
    // Connector 1.1 prepared statements cannot report an update count after
    // execute(); ddb's own SQL says by its first word which call it needs.
    const bool returns_rows = sql_text.substr(0, 6) == "SELECT";
    if (returns_rows) {
      std::unique_ptr<sql::ResultSet> rs(statement->executeQuery());
      if (result != nullptr) ReadResultSet(*rs, result);
    } else {
      const int affected = statement->executeUpdate();
      if (result != nullptr) result->affected_rows = static_cast<uint64_t>(affected);
    }
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromException(e);
  }
}

Status ExecuteAll(MySqlConnection& connection, std::initializer_list<const char*> statements) {
  for (const char* sql : statements) {
    if (Status s = connection.Execute(sql); !s.ok()) return s;
  }
  return Status::Ok();
}

bool IsConnectionLost(const Status& status) {
  if (status.code() == Status::Code::kUnavailable) return true;
  if (status.code() != Status::Code::kMySql) return false;
  switch (status.mysql_error_code()) {
    case 2002:  // can't connect through socket
    case 2003:  // can't connect to server
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2055:  // lost connection at reading/sending
    case 1927:  // connection was killed (MariaDB ER_CONNECTION_KILLED)
    case 1053:  // server shutdown in progress
      return true;
    default:
      return false;
  }
}

std::string QuoteIdentifier(std::string_view name) {
  std::string quoted = "`";
  for (char c : name) {
    if (c == '`') quoted += '`';
    quoted += c;
  }
  quoted += '`';
  return quoted;
}

std::string QuoteString(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) {
    switch (c) {
      case '\'': quoted += "\\'"; break;
      case '\\': quoted += "\\\\"; break;
      case '\0': quoted += "\\0"; break;
      case '\n': quoted += "\\n"; break;
      case '\r': quoted += "\\r"; break;
      case '\x1a': quoted += "\\Z"; break;
      default: quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

}  // namespace ddb
