#include "ddb/console/result_printer.h"

#include <algorithm>
#include <cstdio>

namespace ddb {
namespace {

const std::string kNull = "NULL";

const std::string& CellText(const std::optional<std::string>& cell) { return cell ? *cell : kNull; }

std::string Border(const std::vector<size_t>& widths) {
  std::string line = "+";
  for (size_t width : widths) line += std::string(width + 2, '-') + "+";
  return line;
}

void PrintCell(const std::string& text, size_t width, bool right_align, std::ostream& out) {
  const std::string padding(width - std::min(width, DisplayWidth(text)), ' ');
  out << ' ' << (right_align ? padding + text : text + padding) << " |";
}

void PrintTable(const QueryResult& result, std::ostream& out) {
  std::vector<size_t> widths;
  for (const std::string& column : result.columns) widths.push_back(DisplayWidth(column));
  for (const auto& row : result.rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(CellText(row[i])));
    }
  }
  const std::string border = Border(widths);
  out << border << '\n' << '|';
  for (size_t i = 0; i < result.columns.size(); ++i) PrintCell(result.columns[i], widths[i], false, out);
  out << '\n' << border << '\n';
  for (const auto& row : result.rows) {
    out << '|';
    for (size_t i = 0; i < widths.size(); ++i) {
      const bool numeric = i < result.numeric.size() && result.numeric[i];
      PrintCell(i < row.size() ? CellText(row[i]) : kNull, widths[i], numeric, out);
    }
    out << '\n';
  }
  out << border << '\n';
}

void PrintVertical(const QueryResult& result, std::ostream& out) {
  size_t label_width = 0;
  for (const std::string& column : result.columns) label_width = std::max(label_width, DisplayWidth(column));
  for (size_t r = 0; r < result.rows.size(); ++r) {
    out << "*************************** " << (r + 1) << ". row ***************************\n";
    for (size_t i = 0; i < result.columns.size(); ++i) {
      const std::string& column = result.columns[i];
      out << std::string(label_width - DisplayWidth(column), ' ') << column << ": "
          << (i < result.rows[r].size() ? CellText(result.rows[r][i]) : kNull) << '\n';
    }
  }
}

void PrintBatch(const QueryResult& result, std::ostream& out) {
  for (size_t i = 0; i < result.columns.size(); ++i) out << (i ? "\t" : "") << result.columns[i];
  out << '\n';
  for (const auto& row : result.rows) {
    for (size_t i = 0; i < row.size(); ++i) out << (i ? "\t" : "") << CellText(row[i]);
    out << '\n';
  }
}

std::string Plural(uint64_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

}  // namespace

size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;  // count lead bytes, not continuation bytes
  }
  return width;
}

std::string FormatElapsed(std::chrono::nanoseconds elapsed) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.3f sec", std::chrono::duration<double>(elapsed).count());
  return buffer;
}

namespace {

void PrintOneResult(const QueryResult& result, ResultLayout layout, std::chrono::nanoseconds elapsed,
                    const std::string& answered_by, std::ostream& out) {
  const std::string timing =
      "(" + (answered_by.empty() ? "" : answered_by + ", ") + FormatElapsed(elapsed) + ")";
  if (layout == ResultLayout::kBatch) {
    if (result.has_result_set) PrintBatch(result, out);
    return;
  }
  if (!result.has_result_set) {
    out << "Query OK, " << Plural(result.affected_rows, "row") << " affected " << timing << "\n\n";
    return;
  }
  if (result.rows.empty()) {
    out << "Empty set " << timing << "\n\n";
    return;
  }
  if (layout == ResultLayout::kVertical) {
    PrintVertical(result, out);
  } else {
    PrintTable(result, out);
  }
  out << Plural(result.rows.size(), "row") << " in set " << timing << "\n\n";
}

}  // namespace

void PrintResult(const QueryResult& result, ResultLayout layout, std::chrono::nanoseconds elapsed,
                 const std::string& answered_by, std::ostream& out) {
  PrintOneResult(result, layout, elapsed, answered_by, out);
  // A CALL's further result sets and its own OK, as the mariadb client
  // prints them.
  for (const QueryResult& next : result.next_results) PrintOneResult(next, layout, elapsed, answered_by, out);
}

}  // namespace ddb
