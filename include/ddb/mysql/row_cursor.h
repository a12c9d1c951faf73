// RowCursor: reads one SELECT's rows one at a time (mysql_use_result), so a
// table of any size passes through bounded memory. The connection is busy
// until the cursor is exhausted or destroyed: run nothing else on it
// meanwhile. The connection must outlive the cursor.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"

struct st_mysql_res;

namespace ddb {

class RowCursor {
 public:
  // Sends `sql` and starts reading its result set.
  static Status Open(MySqlConnection& connection, std::string_view sql, std::unique_ptr<RowCursor>* out);
  ~RowCursor();
  RowCursor(const RowCursor&) = delete;
  RowCursor& operator=(const RowCursor&) = delete;

  // The next row into `row` (NULL as nullopt); false at the end or on an
  // error, which `status()` then names.
  bool Next(std::vector<std::optional<std::string>>* row);
  const Status& status() const { return status_; }

 private:
  RowCursor(MySqlConnection& connection, st_mysql_res* result);

  MySqlConnection& connection_;
  st_mysql_res* result_;
  Status status_;
};

}  // namespace ddb
