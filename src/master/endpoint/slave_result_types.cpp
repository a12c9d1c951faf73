#include "slave_result_types.h"

#include "ddb/sql/sql_lexer.h"

namespace ddb {
namespace {

// Enough for any application's set of statements; a client that sends more
// distinct texts (values written into them) starts over.
constexpr size_t kMaxDescribed = 1024;

}  // namespace

bool PlaceholdersOnlyFilter(const std::string& sql, LexMode mode) {
  const std::vector<Token> tokens = Tokenize(sql, false, mode);
  int selects = 0;
  int depth = 0;
  bool after_from = false;
  for (const Token& token : tokens) {
    if (token.kind == TokenKind::kOperator) {
      if (token.text == "(") ++depth;
      if (token.text == ")") --depth;
      if (token.text == "?" && !after_from) return false;
      continue;
    }
    if (IsKeyword(token, "SELECT")) ++selects;
    if (IsKeyword(token, "UNION") || IsKeyword(token, "INTERSECT") || IsKeyword(token, "EXCEPT"))
      return false;
    if (depth == 0 && IsKeyword(token, "FROM")) after_from = true;
  }
  return selects == 1;
}

const SlaveResultTypes::Described& SlaveResultTypes::Describe(SqlSession& session, const std::string& sql) {
  // Column lengths are counted in the results' character set.
  const std::string key = session.current_database() + '\0' + session.results_charset() + '\0' + sql;
  const uint64_t schema_changes = session.schema_changes();
  auto found = described_.find(key);
  if (found != described_.end() && found->second.schema_changes == schema_changes) return found->second;
  if (found == described_.end() && described_.size() >= kMaxDescribed) described_.clear();
  Described& described = described_[key];
  described.schema_changes = schema_changes;
  described.shape = StatementShape();
  described.ok = session.Describe(sql, &described.shape).ok();
  return described;
}

bool SlaveResultTypes::Fill(SqlSession& session, const std::string& executed_sql,
                            const std::string& prepared_sql, QueryResult* result) {
  const bool template_will_do =
      !prepared_sql.empty() && PlaceholdersOnlyFilter(prepared_sql, session.lex_mode());
  const Described& described = Describe(session, template_will_do ? prepared_sql : executed_sql);
  if (!described.ok || described.shape.columns != result->columns ||
      described.shape.column_types.size() != result->columns.size()) {
    return false;
  }
  result->column_types = described.shape.column_types;
  return true;
}

}  // namespace ddb
