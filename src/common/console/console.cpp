#include "ddb/console/console.h"

#include <algorithm>
#include <fstream>

namespace ddb {
namespace {

std::string Trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Client commands the mariadb client accepts without a terminator.
bool IsQuit(const std::string& trimmed) {
  std::string word = Lower(trimmed);
  if (!word.empty() && word.back() == ';') word.pop_back();
  return word == "quit" || word == "exit";
}

// Depth limit for nested `source` files, so a file that sources itself
// cannot recurse forever.
constexpr int kMaxSourceDepth = 16;

}  // namespace

void PrintDdbWarnings(const std::vector<std::string>& warnings, std::ostream& out) {
  for (const std::string& warning : warnings) out << "Warning (ddb): " << warning << "\n";
}

Console::Console(LineReader& reader, ConsoleBackend& backend, std::ostream& out, ResultLayout default_layout)
    : reader_(reader), backend_(backend), out_(out), default_layout_(default_layout) {}

std::string Console::Prompt() const {
  if (splitter_.HasPending()) return "    -> ";
  const std::string db = backend_.CurrentDatabase();
  return "ddb-" + backend_.PromptName() + " [" + (db.empty() ? "(none)" : db) + "]> ";
}

int Console::Run() {
  std::string line;
  for (;;) {
    const ReadStatus status = reader_.ReadLine(Prompt(), &line);
    if (status == ReadStatus::kEnd) break;
    if (status == ReadStatus::kInterrupted) {
      // The half-typed statement goes with the line, as in the mysql client.
      splitter_.Clear();
      continue;
    }
    if (!HandleLine(line)) return failures_;
  }
  // End of input: like `mariadb < file`, run a last statement that lacks ';'.
  const std::string rest = Trim(splitter_.TakePending());
  if (!rest.empty()) RunStatement(rest, false);
  return failures_;
}

bool Console::HandleLine(const std::string& line) {
  const std::string trimmed = Trim(line);
  // \c is for a statement half typed: like the mariadb client, it throws
  // away what is pending rather than becoming part of it.
  if (splitter_.HasPending() && (trimmed == "\\c" || trimmed == "\\c;")) {
    splitter_.Clear();
    return true;
  }
  if (!splitter_.HasPending()) {
    if (IsQuit(trimmed)) return false;
    if (!trimmed.empty() && trimmed[0] == '\\' && trimmed.size() > 1 && trimmed[1] != 'g' &&
        trimmed[1] != 'G') {
      return HandleCommand(trimmed);
    }
    const std::string lower = Lower(trimmed);
    if (lower.rfind("source ", 0) == 0) {
      std::string path = Trim(trimmed.substr(7));
      if (!path.empty() && path.back() == ';') path.pop_back();
      Source(Trim(path));
      return true;
    }
  }
  splitter_.Feed(line);
  splitter_.Feed("\n");
  SplitStatement statement;
  while (splitter_.Next(&statement)) RunStatement(statement.sql, statement.vertical);
  return true;
}

void Console::Interrupt() {
  std::lock_guard<std::mutex> lock(running_mutex_);
  if (!running_) {
    reader_.Interrupt();
    return;
  }
  // Under the lock: the console cannot begin another statement while the
  // backend cancels this one, so a late cancel never hits the next.
  const std::string note = backend_.CancelRunning();
  if (!note.empty()) {
    out_ << "\n" << note << "\n";
    out_.flush();
  }
}

bool Console::RunStatement(const std::string& sql, bool vertical) {
  const auto start = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(running_mutex_);
    running_ = true;
  }
  ExecutionResult outcome = backend_.Execute(sql);
  {
    std::lock_guard<std::mutex> lock(running_mutex_);
    running_ = false;
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  // After whatever the statement printed, failed or not: a warning may say
  // why it failed or what changed around it (an attached console that had to
  // attach again, say).
  const auto print_warnings = [&] {
    PrintDdbWarnings(outcome.warnings, out_);
    out_.flush();
  };
  if (!outcome.status.ok()) {
    ++failures_;
    if (outcome.status.code() == Status::Code::kMySql) {
      out_ << outcome.status.ToString() << "\n";
    } else {
      out_ << "ERROR: " << outcome.status.message() << "\n";
    }
    print_warnings();
    return false;
  }
  if (!outcome.info.empty()) {
    out_ << outcome.info << "\n";
  } else {
    const ResultLayout layout = vertical ? ResultLayout::kVertical : default_layout_;
    PrintResult(outcome.result, layout, elapsed, outcome.answered_by, out_);
  }
  print_warnings();
  return true;
}

bool Console::HandleCommand(const std::string& line) {
  std::string name = line.substr(1);
  std::string argument;
  if (const auto space = name.find_first_of(" \t"); space != std::string::npos) {
    argument = Trim(name.substr(space));
    name = name.substr(0, space);
  }
  if (!name.empty() && name.back() == ';') name.pop_back();
  if (name == "q" || name == "quit" || name == "exit") return false;
  if (name == "h" || name == "help" || name == "?") {
    PrintHelp();
    return true;
  }
  if (name == ".") {
    Source(argument);
    return true;
  }
  if (name == "c") {  // like the mariadb client: clear the statement being typed
    splitter_.Clear();
    return true;
  }
  switch (backend_.RunCommand(name, argument, out_)) {
    case CommandResult::kDone: break;
    case CommandResult::kFailed: ++failures_; break;
    case CommandResult::kUnknown:
      ++failures_;
      out_ << "ERROR: unknown command '\\" << name << "'. Type \\help for the list of commands.\n";
      break;
  }
  out_.flush();
  return true;
}

void Console::Source(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    ++failures_;
    out_ << "ERROR: failed to open file '" << path << "'\n";
    return;
  }
  if (source_depth_ >= kMaxSourceDepth) {
    ++failures_;
    out_ << "ERROR: source files nested deeper than " << kMaxSourceDepth << " levels; not reading '" << path
         << "'\n";
    return;
  }
  ++source_depth_;
  std::string line;
  while (std::getline(file, line)) {
    if (!HandleLine(line)) break;
  }
  --source_depth_;
}

void Console::PrintHelp() {
  out_ << "Statements end with ';' (or \\G for vertical output) and may span lines.\n\n"
       << "  \\help, \\h, \\?   this help\n"
       << "  \\q, quit, exit   leave the console\n"
       << "  \\c               clear the statement being typed\n"
       << "  source FILE, \\. FILE   run the statements in FILE\n";
  for (const auto& [command, description] : backend_.Commands()) {
    std::string left = "  \\" + command;
    if (left.size() < 18) left += std::string(18 - left.size(), ' ');
    out_ << left << " " << description << "\n";
  }
  out_ << "\n";
}

}  // namespace ddb
