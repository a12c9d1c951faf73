// Where the console's lines come from: libedit (line editing and history)
// when stdin is a terminal, plain std::getline from a pipe or file otherwise.
#pragma once

#include <istream>
#include <memory>
#include <string>

namespace ddb {

class LineReader {
 public:
  virtual ~LineReader() = default;
  // Shows `prompt` (terminals only) and reads one line without its newline.
  // Returns false at end of input.
  virtual bool ReadLine(const std::string& prompt, std::string* line) = 0;
};

// libedit with history kept in `history_file` (empty: in memory only).
// libedit holds process-wide state: create at most one per process.
std::unique_ptr<LineReader> MakeTerminalLineReader(const std::string& history_file);

// Reads lines from `in`, showing no prompt (pipes and scripts).
std::unique_ptr<LineReader> MakeStreamLineReader(std::istream& in);

}  // namespace ddb
