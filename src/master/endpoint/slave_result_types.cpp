#include "slave_result_types.h"

namespace ddb {

bool FillSlaveResultTypes(SqlSession& session, const std::string& executed_sql,
                          const std::string& prepared_sql, QueryResult* result) {
  const SqlSession::ReadDescription& described = session.DescribeRead(executed_sql, prepared_sql);
  if (!described.ok || described.shape.columns != result->columns ||
      described.shape.column_types.size() != result->columns.size()) {
    return false;
  }
  result->column_types = described.shape.column_types;
  return true;
}

}  // namespace ddb
