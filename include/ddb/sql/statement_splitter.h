// StatementSplitter: cuts console input into statements the way the mariadb
// client does.
//
// A statement ends at the delimiter (';' unless changed), '\g' or '\G' (vertical
// output) when these stand outside strings, quoted identifiers and comments.
// Quotes and comments may span lines. The contents of executable comments
// ("/*!50100 ... */") are SQL, but a ';' inside one does not end the statement:
// the comment is passed through whole, so "/*!50003 CREATE TRIGGER ... BEGIN
// ...; END */" reaches the server intact. Comments are kept in the text.
//
// Like the client, a line "DELIMITER //" typed where a statement would start
// changes the delimiter (so routine bodies can hold ';'); it is not returned as
// a statement. Feed whole lines: the DELIMITER command ends at a newline or at
// the end of what was fed.
//
// Not thread-safe; the console owns one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ddb {

struct SplitStatement {
  std::string sql;        // without the terminator, trimmed
  bool vertical = false;  // ended with \G
};

class StatementSplitter {
 public:
  // Appends raw input (the caller appends '\n' between lines).
  void Feed(std::string_view text);
  // Pops the next complete statement. Statements holding nothing but
  // whitespace and comments (";;", "-- x\n;") are skipped.
  bool Next(SplitStatement* out);
  // Whether non-blank, non-comment text (or an open quote or comment) waits
  // for a terminator: the console then shows the "->" continuation prompt.
  bool HasPending() const;
  // Returns (trimmed) and clears the unterminated remainder, e.g. for the
  // console to run it at end of input. Empty when only comments remain.
  std::string TakePending();
  // Drops all buffered input; the delimiter stays.
  void Clear();

  const std::string& delimiter() const { return delimiter_; }

 private:
  struct Scan;
  Scan ScanPending() const;
  void Consume(std::size_t end);

  std::string buffer_;
  std::size_t head_ = 0;  // buffer_[0, head_) was already returned
  // Where the next scan resumes: a position outside any quote or comment such
  // that buffer_[head_, scan_from_) holds no terminator. Keeps line-by-line
  // input of a long statement linear rather than quadratic.
  std::size_t scan_from_ = 0;
  bool pending_has_tokens_ = false;  // buffer_[head_, scan_from_) holds SQL, not just comments
  std::string delimiter_ = ";";
};

}  // namespace ddb
