#include "ddb/line_reader.h"

#include <editline/readline.h>

#include <cstdlib>

namespace ddb {
namespace {

class TerminalLineReader : public LineReader {
 public:
  explicit TerminalLineReader(std::string history_file) : history_file_(std::move(history_file)) {
    using_history();
    if (!history_file_.empty()) read_history(history_file_.c_str());
  }

  ~TerminalLineReader() override {
    if (!history_file_.empty()) write_history(history_file_.c_str());
  }

  bool ReadLine(const std::string& prompt, std::string* line) override {
    char* raw = readline(prompt.c_str());
    if (raw == nullptr) return false;
    *line = raw;
    std::free(raw);
    if (line->find_first_not_of(" \t") != std::string::npos) add_history(line->c_str());
    return true;
  }

 private:
  std::string history_file_;
};

class StreamLineReader : public LineReader {
 public:
  explicit StreamLineReader(std::istream& in) : in_(in) {}

  bool ReadLine(const std::string&, std::string* line) override {
    if (!std::getline(in_, *line)) return false;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return true;
  }

 private:
  std::istream& in_;
};

}  // namespace

std::unique_ptr<LineReader> MakeTerminalLineReader(const std::string& history_file) {
  return std::make_unique<TerminalLineReader>(history_file);
}

std::unique_ptr<LineReader> MakeStreamLineReader(std::istream& in) { return std::make_unique<StreamLineReader>(in); }

}  // namespace ddb
