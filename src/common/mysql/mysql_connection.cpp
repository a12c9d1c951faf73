#include "ddb/mysql/mysql_connection.h"

#include <mysql.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace ddb {
namespace {

// libmariadb's global state is set up once per process; mysql_init would do
// it too, but not safely from two threads at once.
void InitializeClientLibrary() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

// The client library's LOAD DATA LOCAL handler (mysql_set_local_infile_handler):
// the file's name is the server's to choose, so it is never opened; the
// bytes come from MySqlConnection::OfferedFile.
int OpenOfferedFile(void** state, const char* /*name*/, void* offered) {
  *state = offered;
  auto* file = static_cast<MySqlConnection::OfferedFile*>(offered);
  file->sent = 0;
  return file->bytes ? 0 : 1;
}

int ReadOfferedFile(void* state, char* buffer, unsigned int size) {
  auto* file = static_cast<MySqlConnection::OfferedFile*>(state);
  const size_t n = std::min<size_t>(size, file->bytes->size() - file->sent);
  std::memcpy(buffer, file->bytes->data() + file->sent, n);
  file->sent += n;
  return static_cast<int>(n);
}

void CloseOfferedFile(void* /*state*/) {}

constexpr int kClientUnknownError = 2000;  // CR_UNKNOWN_ERROR

int OfferedFileError(void* /*state*/, char* message, unsigned int size) {
  std::snprintf(message, size, "%s",
                "ddb sends a server no file but the one a LOAD DATA LOCAL it runs carries");
  return kClientUnknownError;
}

ColumnType TypeOf(const MYSQL_FIELD& field) {
  ColumnType type;
  type.mysql_type = static_cast<uint8_t>(field.type);
  type.is_unsigned = (field.flags & UNSIGNED_FLAG) != 0;
  type.is_binary = field.charsetnr == 63;  // the binary character set
  type.decimals = static_cast<uint8_t>(field.decimals);
  type.length = static_cast<uint32_t>(field.length);
  return type;
}

void ReadResultSet(MYSQL_RES* rows, QueryResult* result) {
  result->has_result_set = true;
  const unsigned int count = mysql_num_fields(rows);
  const MYSQL_FIELD* fields = mysql_fetch_fields(rows);
  for (unsigned int i = 0; i < count; ++i) {
    result->columns.emplace_back(fields[i].name, fields[i].name_length);
    result->numeric.push_back(IS_NUM(fields[i].type));  // as the mariadb client aligns
    result->column_types.push_back(TypeOf(fields[i]));
  }
  result->rows.reserve(mysql_num_rows(rows));
  while (MYSQL_ROW row = mysql_fetch_row(rows)) {
    const unsigned long* lengths = mysql_fetch_lengths(rows);
    std::vector<std::optional<std::string>> values;
    values.reserve(count);
    for (unsigned int i = 0; i < count; ++i) {
      if (row[i] == nullptr) {
        values.emplace_back(std::nullopt);
      } else {
        values.emplace_back(std::string(row[i], lengths[i]));
      }
    }
    result->rows.push_back(std::move(values));
  }
}

struct FreeResult {
  void operator()(MYSQL_RES* rows) const { mysql_free_result(rows); }
};
using ResultRows = std::unique_ptr<MYSQL_RES, FreeResult>;

struct CloseStatement {
  void operator()(MYSQL_STMT* statement) const { mysql_stmt_close(statement); }
};
using PreparedHandle = std::unique_ptr<MYSQL_STMT, CloseStatement>;

}  // namespace

std::string MySqlEndpoint::Describe() const {
  return user + "@" + (socket.empty() ? Address() + (ssl_ca.empty() ? "" : " (TLS)") : "localhost:" + socket);
}

std::string MySqlEndpoint::Address() const {
  return socket.empty() ? host + ":" + std::to_string(port) : socket;
}

MySqlConnection::MySqlConnection(MySqlEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

MySqlConnection::~MySqlConnection() {
  if (mysql_ != nullptr) mysql_close(mysql_);
}

Status MySqlConnection::Open(const MySqlEndpoint& endpoint, std::unique_ptr<MySqlConnection>* out) {
  return Open(endpoint, MySqlOpenOptions(), out);
}

Status MySqlConnection::Open(const MySqlEndpoint& endpoint, const MySqlOpenOptions& options,
                             std::unique_ptr<MySqlConnection>* out) {
  InitializeClientLibrary();
  std::unique_ptr<MySqlConnection> opened(new MySqlConnection(endpoint));
  opened->mysql_ = mysql_init(nullptr);
  if (opened->mysql_ == nullptr) return Status::Unavailable("out of memory starting a MySQL client session");
  MYSQL* mysql = opened->mysql_;
  const unsigned int connect_timeout_seconds = 5;
  const my_bool no = 0;
  mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout_seconds);
  mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // LOAD DATA LOCAL is served from memory only (OfferedFile): a server
  // never gets to read this host's files.
  const unsigned int local_files = 1;
  mysql_options(mysql, MYSQL_OPT_LOCAL_INFILE, &local_files);
  mysql_set_local_infile_handler(mysql, OpenOfferedFile, ReadOfferedFile, CloseOfferedFile, OfferedFileError,
                                 &opened->offered_file_);
  // A lost session must surface as an error: a silent reconnect would drop
  // the open transaction and the session's variables behind ddb's back.
  mysql_options(mysql, MYSQL_OPT_RECONNECT, &no);
  if (!endpoint.ssl_ca.empty()) {
    const my_bool yes = 1;
    mysql_optionsv(mysql, MYSQL_OPT_SSL_CA, endpoint.ssl_ca.c_str());
    mysql_optionsv(mysql, MYSQL_OPT_SSL_ENFORCE, &yes);
    mysql_optionsv(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
    if (!endpoint.ssl_cert.empty()) {
      mysql_optionsv(mysql, MYSQL_OPT_SSL_CERT, endpoint.ssl_cert.c_str());
      mysql_optionsv(mysql, MYSQL_OPT_SSL_KEY, endpoint.ssl_key.c_str());
    }
  }
  // CALL answers with more than one result; ddb reads them all.
  unsigned long flags = CLIENT_MULTI_RESULTS;
  if (options.multi_statements) flags |= CLIENT_MULTI_STATEMENTS;
  if (options.found_rows) flags |= CLIENT_FOUND_ROWS;
  const char* database = endpoint.database.empty() ? nullptr : endpoint.database.c_str();
  const bool local = !endpoint.socket.empty();
  if (mysql_real_connect(mysql, local ? "localhost" : endpoint.host.c_str(), endpoint.user.c_str(),
                         endpoint.password.c_str(), database, local ? 0 : endpoint.port,
                         local ? endpoint.socket.c_str() : nullptr, flags) == nullptr) {
    return opened->LastError();
  }
  opened->session_id_.connection_id = mysql_thread_id(mysql);
  // The server's version string names the fork ("10.11.6-MariaDB-...").
  opened->server_is_mariadb_ =
      std::string_view(mysql_get_server_info(mysql)).find("MariaDB") != std::string_view::npos;
  opened->server_version_ = static_cast<uint32_t>(mysql_get_server_version(mysql));
  if (options.identify_session) {
    if (Status s = opened->ReadSessionId(&opened->session_id_); !s.ok()) return s;
  }
  *out = std::move(opened);
  return Status::Ok();
}

Status MySqlConnection::LastError() const {
  return Status::MySql(static_cast<int>(mysql_errno(mysql_)), mysql_sqlstate(mysql_), mysql_error(mysql_));
}

Status MySqlConnection::ServerStatistics(std::string* text) {
  const char* statistics = mysql_stat(mysql_);
  if (statistics == nullptr) return LastError();
  *text = statistics;
  return Status::Ok();
}

Status MySqlConnection::ReadSessionId(MySqlSessionId* id) {
  // CONNECTION_ID() in full: the handshake's thread id is cut to 32 bits,
  // and a KILL must never reach another session.
  QueryResult result;
  if (Status s = Execute("SELECT CONNECTION_ID()", &result); !s.ok()) return s;
  if (result.rows.empty() || !result.rows[0][0])
    return Status::Corruption("the server reported no CONNECTION_ID()");
  // The uptime from COM_STATISTICS ("Uptime: 17  Threads: 1  ..."): a
  // packet the server answers from its counters, where a query of
  // information_schema's UPTIME builds a temporary table (~10 x the cost,
  // paid by every endpoint login).
  const char* statistics = mysql_stat(mysql_);
  if (statistics == nullptr) return LastError();
  long long uptime = 0;
  if (std::sscanf(statistics, "Uptime: %lld", &uptime) != 1) {
    return Status::Corruption("the server's statistics do not start with its uptime: " +
                              std::string(statistics).substr(0, 80));
  }
  id->connection_id = std::stoull(*result.rows[0][0]);
  id->server_started_at =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count() -
      uptime;
  return Status::Ok();
}

Status MySqlConnection::ReadResults(QueryResult* result) {
  QueryResult discarded;
  QueryResult* first = result != nullptr ? result : &discarded;
  *first = QueryResult();
  for (QueryResult* into = first;;) {
    if (mysql_field_count(mysql_) != 0) {
      ResultRows rows(mysql_store_result(mysql_));
      if (rows == nullptr) return LastError();
      if (result != nullptr) ReadResultSet(rows.get(), into);
    } else {
      into->affected_rows = mysql_affected_rows(mysql_);
      into->insert_id = mysql_insert_id(mysql_);
      // mysql_info(): what the server said about a multi-row write.
      if (const char* info = mysql_info(mysql_)) into->server_info = info;
    }
    into->warning_count = mysql_warning_count(mysql_);
    const int next = mysql_next_result(mysql_);  // 0: another result, -1: none, >0: error
    if (next < 0) return Status::Ok();
    if (next > 0) return LastError();
    into = result != nullptr ? &first->next_results.emplace_back() : &discarded;
  }
}

Status MySqlConnection::Execute(std::string_view sql_text, QueryResult* result) {
  if (mysql_real_query(mysql_, sql_text.data(), sql_text.size()) != 0) return LastError();
  return ReadResults(result);
}

Status MySqlConnection::ExecuteWithLocalFile(std::string_view sql, std::string_view file,
                                             QueryResult* result) {
  offered_file_.bytes = file;
  Status s = Execute(sql, result);
  offered_file_.bytes.reset();
  return s;
}

Status MySqlConnection::ExecuteBatch(std::string_view text) { return Execute(text, nullptr); }

Status MySqlConnection::SendBatch(std::string_view text) {
  if (mysql_send_query(mysql_, text.data(), static_cast<unsigned long>(text.size())) != 0) return LastError();
  return Status::Ok();
}

Status MySqlConnection::FinishBatch() {
  if (mysql_read_query_result(mysql_) != 0) return LastError();
  return ReadResults(nullptr);
}

Status MySqlConnection::DescribeStatement(std::string_view sql, StatementShape* shape) {
  PreparedHandle statement(mysql_stmt_init(mysql_));
  if (!statement) return LastError();
  if (mysql_stmt_prepare(statement.get(), sql.data(), sql.size()) != 0) {
    return Status::MySql(static_cast<int>(mysql_stmt_errno(statement.get())),
                         mysql_stmt_sqlstate(statement.get()), mysql_stmt_error(statement.get()));
  }
  *shape = StatementShape();
  shape->param_count = static_cast<uint32_t>(mysql_stmt_param_count(statement.get()));
  ResultRows metadata(mysql_stmt_result_metadata(statement.get()));
  if (!metadata) return Status::Ok();  // no result set: a write, SET...
  const unsigned int count = mysql_num_fields(metadata.get());
  const MYSQL_FIELD* fields = mysql_fetch_fields(metadata.get());
  for (unsigned int i = 0; i < count; ++i) {
    shape->columns.emplace_back(fields[i].name, fields[i].name_length);
    shape->column_types.push_back(TypeOf(fields[i]));
  }
  return Status::Ok();
}

std::string MySqlConnection::Literal(const SqlParam& value) const {
  if (std::holds_alternative<std::nullptr_t>(value)) return "NULL";
  if (auto* i64 = std::get_if<int64_t>(&value)) return std::to_string(*i64);
  if (auto* u64 = std::get_if<uint64_t>(&value)) return std::to_string(*u64);
  const std::string& bytes =
      std::holds_alternative<Blob>(value) ? std::get<Blob>(value).bytes : std::get<std::string>(value);
  // mysql_real_escape_string follows the session: backslash escapes, or
  // doubled quotes under NO_BACKSLASH_ESCAPES. Bytes are marked _binary so
  // the server takes them as they are, never as text to validate.
  std::string literal(std::holds_alternative<Blob>(value) ? "_binary'" : "'");
  const size_t start = literal.size();
  literal.resize(start + 2 * bytes.size() + 1);
  const unsigned long written =
      mysql_real_escape_string(mysql_, literal.data() + start, bytes.data(), bytes.size());
  literal.resize(start + written);
  literal += '\'';
  return literal;
}

Status MySqlConnection::ExecuteWithParams(std::string_view sql_text, const std::vector<SqlParam>& params,
                                          QueryResult* result) {
  std::string bound;
  bound.reserve(sql_text.size() + 64);
  size_t next = 0;
  char quote = 0;  // ddb's own texts may hold quoted literals: no placeholders there
  for (char c : sql_text) {
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"' || c == '`') {
      quote = c;
    } else if (c == '?') {
      if (next == params.size())
        return Status::InvalidArgument("more placeholders than parameters in: " + std::string(sql_text));
      bound += Literal(params[next++]);
      continue;
    }
    bound += c;
  }
  if (next != params.size())
    return Status::InvalidArgument("more parameters than placeholders in: " + std::string(sql_text));
  return Execute(bound, result);
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
  QueryResult result;
  if (Status s = Execute(sql, &result); !s.ok()) return s;
  if (result.rows.empty()) return Status::Corruption("reading user variables returned no row");
  const auto& row = result.rows[0];
  literals->clear();
  for (size_t i = 0; i < names.size(); ++i) {
    const std::optional<std::string>& value = row.at(2 * i);
    if (!value) {
      literals->push_back("NULL");
      continue;
    }
    switch (result.column_types.at(2 * i).mysql_type) {
      case MYSQL_TYPE_TINY:
      case MYSQL_TYPE_SHORT:
      case MYSQL_TYPE_INT24:
      case MYSQL_TYPE_LONG:
      case MYSQL_TYPE_LONGLONG:
      case MYSQL_TYPE_DECIMAL:
      case MYSQL_TYPE_NEWDECIMAL:
        literals->push_back(*value);  // an exact literal keeps integer-ness and DECIMAL scale
        break;
      case MYSQL_TYPE_FLOAT:
      case MYSQL_TYPE_DOUBLE:
        // An exponent makes the literal a DOUBLE (5.25 alone would be DECIMAL).
        literals->push_back(value->find_first_of("eE") == std::string::npos ? *value + "e0" : *value);
        break;
      default: literals->push_back(row.at(2 * i + 1).value_or("NULL")); break;
    }
  }
  return Status::Ok();
}

Status OpenMySql(const MySqlEndpoint& endpoint, const MySqlOpenOptions& options,
                 std::unique_ptr<SqlConnection>* out) {
  std::unique_ptr<MySqlConnection> opened;
  if (Status s = MySqlConnection::Open(endpoint, options, &opened); !s.ok()) return s;
  *out = std::move(opened);
  return Status::Ok();
}

Status ExecuteAll(SqlConnection& connection, std::initializer_list<const char*> statements) {
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
    default: return false;
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
