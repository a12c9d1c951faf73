// Where the console's lines come from: libedit (line editing and history)
// when stdin is a terminal, plain std::getline from a pipe or file otherwise.
#pragma once

#include <istream>
#include <memory>
#include <string>

namespace ddb {

enum class ReadStatus {
  kLine,         // *line holds the line, without its newline
  kInterrupted,  // Ctrl-C: what was typed is dropped
  kEnd,          // end of input (Ctrl-D on an empty line, end of file)
};

class LineReader {
 public:
  virtual ~LineReader() = default;
  // Shows `prompt` (terminals only) and reads one line.
  virtual ReadStatus ReadLine(const std::string& prompt, std::string* line) = 0;
  // Any thread (the one that saw SIGINT): a ReadLine waiting for input
  // returns kInterrupted. An interrupt that arrives while no ReadLine runs
  // is forgotten when the next one starts.
  virtual void Interrupt() {}
};

// libedit with history kept in `history_file` (empty: in memory only).
// libedit holds process-wide state: create at most one per process.
std::unique_ptr<LineReader> MakeTerminalLineReader(const std::string& history_file);

// Reads lines from `in`, showing no prompt (pipes and scripts).
std::unique_ptr<LineReader> MakeStreamLineReader(std::istream& in);

}  // namespace ddb
