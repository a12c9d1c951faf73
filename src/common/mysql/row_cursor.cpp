#include "ddb/mysql/row_cursor.h"

#include <mysql.h>

namespace ddb {

Status RowCursor::Open(MySqlConnection& connection, std::string_view sql, std::unique_ptr<RowCursor>* out) {
  if (mysql_real_query(connection.mysql_, sql.data(), sql.size()) != 0) return connection.LastError();
  MYSQL_RES* result = mysql_use_result(connection.mysql_);
  if (result == nullptr) {
    if (mysql_field_count(connection.mysql_) == 0)
      return Status::InvalidArgument("not a SELECT: " + std::string(sql));
    return connection.LastError();
  }
  out->reset(new RowCursor(connection, result));
  return Status::Ok();
}

RowCursor::RowCursor(MySqlConnection& connection, st_mysql_res* result)
    : connection_(connection), result_(result) {}

RowCursor::~RowCursor() {
  // Freeing an unfinished use_result reads and drops the rows left, so the
  // connection is usable again afterwards.
  mysql_free_result(result_);
}

bool RowCursor::Next(std::vector<std::optional<std::string>>* row) {
  MYSQL_ROW values = mysql_fetch_row(result_);
  if (values == nullptr) {
    if (mysql_errno(connection_.mysql_) != 0) status_ = connection_.LastError();
    return false;
  }
  const unsigned fields = mysql_num_fields(result_);
  const unsigned long* lengths = mysql_fetch_lengths(result_);
  row->resize(fields);
  for (unsigned i = 0; i < fields; ++i) {
    if (values[i] == nullptr) {
      (*row)[i].reset();
    } else {
      (*row)[i].emplace(values[i], lengths[i]);
    }
  }
  return true;
}

}  // namespace ddb
