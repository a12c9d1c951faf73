#include "ddb/snapshot/sql_literal.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace ddb {
namespace {

bool IsNumberSyntax(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.' || c == 'e' ||
           c == 'E';
  });
}

void AppendQuoted(std::string* out, std::string_view text) {
  out->push_back('\'');
  for (char c : text) {
    switch (c) {
      case '\0': out->append("\\0"); break;
      case '\'': out->append("\\'"); break;
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\x1a': out->append("\\Z"); break;
      default: out->push_back(c);
    }
  }
  out->push_back('\'');
}

void AppendHex(std::string* out, std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  out->append("X'");
  for (unsigned char byte : bytes) {
    out->push_back(kDigits[byte >> 4]);
    out->push_back(kDigits[byte & 0xF]);
  }
  out->push_back('\'');
}

}  // namespace

LiteralKind LiteralKindForType(std::string_view data_type) {
  std::string type(data_type);
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  static const std::array<std::string_view, 10> kNumbers = {"tinyint", "smallint", "mediumint", "int",
                                                            "integer", "bigint",   "decimal",   "numeric",
                                                            "float",   "double"};
  static const std::array<std::string_view, 15> kBytes = {
      "binary",   "varbinary",  "tinyblob",        "blob",         "mediumblob",
      "longblob", "bit",        "geometry",        "point",        "linestring",
      "polygon",  "multipoint", "multilinestring", "multipolygon", "geometrycollection"};
  if (std::find(kNumbers.begin(), kNumbers.end(), type) != kNumbers.end()) return LiteralKind::kNumber;
  if (type == "real" || type == "double precision") return LiteralKind::kNumber;
  if (std::find(kBytes.begin(), kBytes.end(), type) != kBytes.end()) return LiteralKind::kBytes;
  return LiteralKind::kText;
}

void AppendSqlLiteral(std::string* out, const std::optional<std::string>& value, LiteralKind kind) {
  if (!value) {
    out->append("NULL");
    return;
  }
  switch (kind) {
    case LiteralKind::kNumber:
      if (IsNumberSyntax(*value)) {
        out->append(*value);
      } else {
        AppendQuoted(out, *value);
      }
      return;
    case LiteralKind::kBytes: AppendHex(out, *value); return;
    case LiteralKind::kText: AppendQuoted(out, *value); return;
  }
}

}  // namespace ddb
