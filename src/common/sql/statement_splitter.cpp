#include "ddb/sql/statement_splitter.h"

#include <algorithm>

#include "ddb/sql/sql_lexer.h"

namespace ddb {
namespace {

constexpr std::string_view kWhitespace = " \t\n\r\f\v";

std::string Trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return "";
  const std::size_t last = text.find_last_not_of(kWhitespace);
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

// What one pass over the pending input found. Positions index buffer_.
struct StatementSplitter::Scan {
  bool found = false;              // a statement or a DELIMITER command is complete
  bool delimiter_command = false;  // ... and it is a DELIMITER command
  std::string new_delimiter;
  std::size_t statement_end = 0;  // where the terminator starts
  std::size_t next = 0;           // just past the terminator or command
  bool vertical = false;
  bool has_tokens = false;  // SQL before the terminator (or in all pending text)
  bool open = false;        // the text ends inside a quote or comment
  // Where the next pass may resume if nothing was found, and whether SQL
  // precedes that point.
  std::size_t resume = 0;
  bool has_tokens_before_resume = false;
};

void StatementSplitter::Feed(std::string_view text) {
  // Drop what was already returned here rather than in Next(), so that a big
  // paste split into many statements is not copied once per statement.
  buffer_.erase(0, head_);
  scan_from_ -= head_;
  head_ = 0;
  buffer_.append(text);
}

StatementSplitter::Scan StatementSplitter::ScanPending() const {
  const std::string_view text(buffer_);
  const std::size_t base = scan_from_;
  Scan scan;
  bool has_tokens = pending_has_tokens_;
  bool in_executable_comment = false;
  const auto resume_at = [&](std::size_t position) {
    scan.resume = position;
    scan.has_tokens_before_resume = has_tokens;
  };
  resume_at(base);
  SqlLexer lexer(text.substr(base), /*keep_comments=*/true);
  for (Token token = lexer.Next(); token.kind != TokenKind::kEnd; token = lexer.Next()) {
    const std::size_t begin = base + token.offset;
    const std::size_t end = base + token.end();
    scan.open = scan.open || token.unterminated;
    if (token.kind == TokenKind::kExecutableCommentBegin) {
      // Restarting inside the comment would lose the lexer's state: restart at it.
      resume_at(begin);
      in_executable_comment = true;
      continue;
    }
    if (token.kind == TokenKind::kExecutableCommentEnd) {
      in_executable_comment = false;
      resume_at(end);
      continue;
    }
    if (in_executable_comment) {
      has_tokens = has_tokens || token.kind != TokenKind::kComment;
      continue;
    }
    if (token.kind == TokenKind::kComment) {
      resume_at(begin);
      continue;
    }
    if (!has_tokens && IsKeyword(token, "DELIMITER") && (end == text.size() || IsSqlSpace(text[end]))) {
      const std::size_t line_end = std::min(text.find('\n', end), text.size());
      const std::string argument = Trim(text.substr(end, line_end - end));
      scan.found = true;
      scan.delimiter_command = true;
      scan.new_delimiter = argument.substr(0, argument.find_first_of(kWhitespace));
      scan.next = std::min(line_end + 1, text.size());
      return scan;
    }
    if (token.kind != TokenKind::kString && token.kind != TokenKind::kQuotedIdentifier) {
      // The delimiter may sit inside a token ("END$$") or span several ("//").
      for (std::size_t p = begin; p < end; ++p) {
        const bool go = text[p] == '\\' && p + 1 < text.size() && (text[p + 1] == 'g' || text[p + 1] == 'G');
        if (go || text.compare(p, delimiter_.size(), delimiter_) == 0) {
          scan.found = true;
          scan.statement_end = p;
          scan.next = p + (go ? 2 : delimiter_.size());
          scan.vertical = go && text[p + 1] == 'G';
          scan.has_tokens = has_tokens || p > begin;
          return scan;
        }
      }
    }
    resume_at(begin);
    has_tokens = true;
  }
  scan.has_tokens = has_tokens;
  return scan;
}

void StatementSplitter::Consume(std::size_t end) {
  head_ = end;
  scan_from_ = end;
  pending_has_tokens_ = false;
}

bool StatementSplitter::Next(SplitStatement* out) {
  while (true) {
    const Scan scan = ScanPending();
    if (!scan.found) {
      scan_from_ = scan.resume;
      pending_has_tokens_ = scan.has_tokens_before_resume;
      return false;
    }
    if (scan.delimiter_command) {
      // The client refuses an empty delimiter or one with a backslash; so do we.
      if (!scan.new_delimiter.empty() && scan.new_delimiter.find('\\') == std::string::npos) {
        delimiter_ = scan.new_delimiter;
      }
      Consume(scan.next);
      continue;
    }
    std::string sql = Trim(std::string_view(buffer_).substr(head_, scan.statement_end - head_));
    Consume(scan.next);
    if (!scan.has_tokens) continue;
    out->sql = std::move(sql);
    out->vertical = scan.vertical;
    return true;
  }
}

bool StatementSplitter::HasPending() const {
  const Scan scan = ScanPending();
  return scan.has_tokens || scan.open;
}

std::string StatementSplitter::TakePending() {
  const Scan scan = ScanPending();
  std::string rest = scan.found || scan.has_tokens ? Trim(std::string_view(buffer_).substr(head_)) : "";
  Clear();
  return rest;
}

void StatementSplitter::Clear() {
  buffer_.clear();
  head_ = 0;
  scan_from_ = 0;
  pending_has_tokens_ = false;
}

}  // namespace ddb
