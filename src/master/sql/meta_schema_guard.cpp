#include "meta_schema_guard.h"

#include "ddb/sql/sql_lexer.h"

namespace ddb {
namespace {

constexpr std::string_view kMetaSchema = "DDB_META";

// Compared without case: on a server that folds names (lower_case_table_names)
// DDB_META is ddb_meta too, and refusing one spelling too many is harmless.
bool NamesMetaSchema(const std::vector<Token>& tokens) {
  for (const Token& token : tokens) {
    if ((token.kind == TokenKind::kWord || token.kind == TokenKind::kQuotedIdentifier) &&
        AsciiUpper(TokenValue(token)) == kMetaSchema) {
      return true;
    }
  }
  return false;
}

// What changes nothing in the schema it runs in, whichever that is.
bool RunsNoWrite(StatementKind kind) {
  switch (kind) {
    case StatementKind::kSet:
    case StatementKind::kBegin:
    case StatementKind::kCommit:
    case StatementKind::kRollback:
    case StatementKind::kSavepoint: return true;
    default: return false;
  }
}

}  // namespace

std::string MetaSchemaRefusal(const ParsedStatement& statement, const std::string& database) {
  const StatementKind kind = statement.info.kind;
  if (kind == StatementKind::kEmpty || kind == StatementKind::kRead || kind == StatementKind::kUse) return "";
  const std::string refusal = "ddb_meta holds ddb's replication log and positions; it cannot be changed here";
  if (NamesMetaSchema(statement.tokens)) return refusal;
  if (AsciiUpper(database) == kMetaSchema && !RunsNoWrite(kind)) {
    return refusal + " (it is this session's default database: USE another before writing)";
  }
  return "";
}

}  // namespace ddb
