#include "full_text_reads.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace ddb {
namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// "MATCH" followed by "(" in any case, wherever it stands: in a string or a
// comment too, and without reading quotes as the statement's sql_mode does.
// Erring that way costs the record a commit of its own; the other way, a
// slave that differs.
bool CallsMatch(std::string_view sql) {
  constexpr std::string_view kWord = "match";
  auto from = sql.begin();
  while (true) {
    auto at = std::search(from, sql.end(), kWord.begin(), kWord.end(),
                          [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    if (at == sql.end()) return false;
    auto next = at + static_cast<std::ptrdiff_t>(kWord.size());
    while (next != sql.end() && IsSpace(*next)) ++next;
    if (next != sql.end() && *next == '(') return true;
    from = at + 1;
  }
}

}  // namespace

bool SearchesFullTextIndex(const LogRecord& record) {
  return std::any_of(record.statements.begin(), record.statements.end(),
                     [](const LoggedStatement& statement) { return CallsMatch(statement.sql); });
}

}  // namespace ddb
