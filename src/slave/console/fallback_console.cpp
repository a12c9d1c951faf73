#include "fallback_console.h"

namespace ddb {

FallbackConsole::FallbackConsole(std::string socket_path, std::unique_ptr<ConsoleBackend> local)
    : socket_path_(std::move(socket_path)), local_(std::move(local)) {}

const ConsoleBackend& FallbackConsole::Active() const {
  if (attached_) return *attached_;
  return *local_;
}

ConsoleBackend& FallbackConsole::Next(std::vector<std::string>* notes) {
  if (attached_) return *attached_;
  std::unique_ptr<AttachedConsole> attached;
  Status s = AttachedConsole::Connect(socket_path_, &attached);
  if (s.code() == Status::Code::kUnavailable) return *local_;  // still no daemon: nothing new to say
  if (!s.ok()) {
    // A daemon that turns us away (too many consoles attached) may take us
    // later; meanwhile this console goes on reading locally.
    if (s.message() != last_refusal_) notes->push_back(s.message() + "; this console still reads locally");
    last_refusal_ = s.message();
    return *local_;
  }
  notes->push_back("attached to the ddb-slave daemon at " + socket_path_ +
                   ": writes are forwarded to the master from now on, and \\retry and \\skip work");
  const std::string database = local_->CurrentDatabase();
  if (!database.empty() && !attached->UseDatabase(database, notes).ok()) {
    return *local_;  // lost again at once: the next statement tries again
  }
  attached_ = std::move(attached);
  return *attached_;
}

ExecutionResult FallbackConsole::Execute(const std::string& sql) {
  std::vector<std::string> notes;
  ExecutionResult result = Next(&notes).Execute(sql);
  result.warnings.insert(result.warnings.begin(), notes.begin(), notes.end());
  return result;
}

CommandResult FallbackConsole::RunCommand(const std::string& name, const std::string& argument,
                                          std::ostream& out) {
  std::vector<std::string> notes;
  ConsoleBackend& backend = Next(&notes);
  PrintDdbWarnings(notes, out);
  return backend.RunCommand(name, argument, out);
}

}  // namespace ddb
