#include "ddb/sql/explicit_definer.h"

#include <algorithm>
#include <array>

namespace ddb {
namespace {

bool IsWordAt(const std::vector<Token>& tokens, std::size_t i, std::string_view upper) {
  return i < tokens.size() && IsKeyword(tokens[i], upper);
}

bool IsEqualsAt(const std::vector<Token>& tokens, std::size_t i) {
  return i < tokens.size() && tokens[i].kind == TokenKind::kOperator && tokens[i].text == "=";
}

// Objects that take their creator as definer.
constexpr std::array<std::string_view, 5> kCreatedWithDefiner = {"VIEW", "PROCEDURE", "FUNCTION", "TRIGGER",
                                                                 "EVENT"};

std::string Backticked(std::string_view name) {
  std::string quoted = "`";
  for (char c : name) quoted += c == '`' ? std::string("``") : std::string(1, c);
  return quoted + "`";
}

}  // namespace

std::string QuotedAccount(std::string_view current_user) {
  const std::size_t at = current_user.rfind('@');
  if (at == std::string_view::npos) return Backticked(current_user);
  return Backticked(current_user.substr(0, at)) + "@" + Backticked(current_user.substr(at + 1));
}

std::string WithExplicitDefiner(std::string_view sql, const std::vector<Token>& tokens,
                                std::string_view account) {
  const std::string unchanged(sql);
  if (account.empty() || tokens.empty()) return unchanged;
  const bool create = IsKeyword(tokens[0], "CREATE");
  if (!create && !IsKeyword(tokens[0], "ALTER")) return unchanged;
  for (const Token& token : tokens) {
    if (IsKeyword(token, "DEFINER") || IsKeyword(token, "SONAME")) return unchanged;
  }
  std::size_t i = 1;
  if (create && IsWordAt(tokens, i, "OR") && IsWordAt(tokens, i + 1, "REPLACE")) i += 2;
  // The clause goes here, after a view's ALGORITHM = ...
  std::size_t insert_at = i;
  if (IsWordAt(tokens, i, "ALGORITHM") && IsEqualsAt(tokens, i + 1)) {
    i += 3;
    insert_at = i;
  }
  if (IsWordAt(tokens, i, "SQL") && IsWordAt(tokens, i + 1, "SECURITY")) i += 3;
  if (IsWordAt(tokens, i, "AGGREGATE")) ++i;
  if (i >= tokens.size()) return unchanged;
  const bool takes_definer =
      create ? std::any_of(kCreatedWithDefiner.begin(), kCreatedWithDefiner.end(),
                           [&](std::string_view object) { return IsKeyword(tokens[i], object); })
             : IsKeyword(tokens[i], "VIEW");
  if (!takes_definer || insert_at >= tokens.size()) return unchanged;
  const std::size_t offset = tokens[insert_at].offset;
  return unchanged.substr(0, offset) + "DEFINER = " + std::string(account) + " " + unchanged.substr(offset);
}

}  // namespace ddb
