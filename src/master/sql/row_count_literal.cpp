#include "row_count_literal.h"

#include <vector>

namespace ddb {
namespace {

// Whether the call at tokens[first..last] stands alone in a select list,
// where its text names the result column.
bool IsSelectItem(const std::vector<Token>& tokens, size_t first, size_t last) {
  const bool after_item_start =
      first > 0 && (IsKeyword(tokens[first - 1], "SELECT") || IsOperator(tokens[first - 1], ","));
  if (!after_item_start) return false;
  const size_t next = last + 1;
  return next >= tokens.size() || IsOperator(tokens[next], ",") || IsOperator(tokens[next], ";") ||
         IsKeyword(tokens[next], "FROM") || IsKeyword(tokens[next], "INTO") ||
         IsKeyword(tokens[next], "UNION") || IsKeyword(tokens[next], "LIMIT") ||
         IsKeyword(tokens[next], "FOR");
}

// `sql` with each unqualified `function`() call written as `count`.
std::string WithCallAsNumber(std::string_view sql, const LexMode& mode, std::string_view function,
                             int64_t count) {
  const std::vector<Token> tokens = Tokenize(sql, false, mode);
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i + 2 < tokens.size(); ++i) {
    const bool qualified = i > 0 && IsOperator(tokens[i - 1], ".");
    if (!IsKeyword(tokens[i], function) || !IsOperator(tokens[i + 1], "(") ||
        !IsOperator(tokens[i + 2], ")") || qualified) {
      continue;
    }
    const size_t begin = tokens[i].offset;
    const size_t end = tokens[i + 2].end();
    out.append(sql.substr(copied, begin - copied));
    out += std::to_string(count);
    if (IsSelectItem(tokens, i, i + 2)) {
      out += " AS `";
      for (char c : sql.substr(begin, end - begin)) out += c == '`' ? std::string("``") : std::string(1, c);
      out += "`";
    }
    copied = end;
    i += 2;
  }
  if (copied == 0) return std::string(sql);
  out.append(sql.substr(copied));
  return out;
}

}  // namespace

std::string WithRowCount(std::string_view sql, const LexMode& mode, int64_t count) {
  return WithCallAsNumber(sql, mode, "ROW_COUNT", count);
}

std::string WithFoundRows(std::string_view sql, const LexMode& mode, int64_t count) {
  return WithCallAsNumber(sql, mode, "FOUND_ROWS", count);
}

}  // namespace ddb
