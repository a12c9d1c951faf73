#include "ddb/console/console.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

namespace ddb {
namespace {

// Records what reaches the backend; answers every statement with OK, or
// with `next_result` when a test set one.
class RecordingBackend : public ConsoleBackend {
 public:
  ExecutionResult Execute(const std::string& sql) override {
    statements.push_back(sql);
    ExecutionResult result = std::move(next_result);
    next_result = ExecutionResult();
    return result;
  }
  CommandResult RunCommand(const std::string& name, const std::string&, std::ostream& out) override {
    commands.push_back(name);
    out << "ran " << name << "\n";
    return name == "status" ? CommandResult::kDone : CommandResult::kUnknown;
  }
  std::vector<std::pair<std::string, std::string>> Commands() const override { return {{"status", "state"}}; }
  std::string PromptName() const override { return "test"; }
  std::string CurrentDatabase() const override { return ""; }

  std::vector<std::string> statements;
  std::vector<std::string> commands;
  ExecutionResult next_result;
};

int RunConsole(const std::string& input, RecordingBackend& backend, std::string* printed = nullptr) {
  std::istringstream in(input);
  std::unique_ptr<LineReader> reader = MakeStreamLineReader(in);
  std::ostringstream out;
  Console console(*reader, backend, out, ResultLayout::kTable);
  const int failures = console.Run();
  if (printed != nullptr) *printed = out.str();
  return failures;
}

TEST(ConsoleTest, StatementsEndWithSemicolonsAndMaySpanLines) {
  RecordingBackend backend;
  EXPECT_EQ(RunConsole("SELECT 1;\nINSERT INTO t\n  VALUES (1);\n", backend), 0);
  ASSERT_EQ(backend.statements.size(), 2u);
  EXPECT_EQ(backend.statements[0], "SELECT 1");
  EXPECT_NE(backend.statements[1].find("VALUES (1)"), std::string::npos);
}

TEST(ConsoleTest, BackslashCClearsAHalfTypedStatement) {
  RecordingBackend backend;
  EXPECT_EQ(RunConsole("DELETE FROM t\nWHERE oops\n\\c\nSELECT 2;\n", backend), 0);
  ASSERT_EQ(backend.statements.size(), 1u);
  EXPECT_EQ(backend.statements[0], "SELECT 2");
}

TEST(ConsoleTest, BackendCommandsRunAndUnknownOnesFail) {
  RecordingBackend backend;
  std::string printed;
  EXPECT_EQ(RunConsole("\\status\n\\nope\n", backend, &printed), 1);
  EXPECT_EQ(backend.commands, (std::vector<std::string>{"status", "nope"}));
  EXPECT_NE(printed.find("ran status"), std::string::npos) << printed;
  EXPECT_NE(printed.find("ERROR: unknown command '\\nope'"), std::string::npos) << printed;
}

TEST(ConsoleTest, ALastStatementWithoutSemicolonRunsAtEndOfInput) {
  RecordingBackend backend;
  EXPECT_EQ(RunConsole("SELECT 3", backend), 0);
  EXPECT_EQ(backend.statements, (std::vector<std::string>{"SELECT 3"}));
}

TEST(ConsoleTest, DdbWarningsPrintAfterFailuresAndInfoLinesToo) {
  RecordingBackend backend;
  backend.next_result.status = Status::Unavailable("the daemon is gone");
  backend.next_result.warnings = {"attach failed"};
  std::string printed;
  EXPECT_EQ(RunConsole("SELECT 1;\n", backend, &printed), 1);
  EXPECT_NE(printed.find("ERROR: the daemon is gone\nWarning (ddb): attach failed\n"), std::string::npos)
      << printed;

  backend.next_result.info = "Database changed";
  backend.next_result.warnings = {"a new session"};
  EXPECT_EQ(RunConsole("USE x;\n", backend, &printed), 0);
  EXPECT_NE(printed.find("Database changed\nWarning (ddb): a new session\n"), std::string::npos) << printed;
}

// Lines as a terminal delivers them, Ctrl-C included: each entry is a line,
// or nullopt for an interrupted read.
class ScriptedReader : public LineReader {
 public:
  explicit ScriptedReader(std::deque<std::optional<std::string>> script) : script_(std::move(script)) {}
  ReadStatus ReadLine(const std::string&, std::string* line) override {
    if (script_.empty()) return ReadStatus::kEnd;
    std::optional<std::string> next = std::move(script_.front());
    script_.pop_front();
    if (!next) return ReadStatus::kInterrupted;
    *line = *next;
    return ReadStatus::kLine;
  }
  void Interrupt() override { ++interrupts; }
  std::atomic<int> interrupts{0};

 private:
  std::deque<std::optional<std::string>> script_;
};

TEST(ConsoleTest, CtrlCDropsTheLineAndTheStatementPendingOverSeveralLines) {
  RecordingBackend backend;
  ScriptedReader reader({"DELETE FROM t", std::nullopt, "SELECT 2;"});
  std::ostringstream out;
  Console console(reader, backend, out, ResultLayout::kTable);
  EXPECT_EQ(console.Run(), 0);
  ASSERT_EQ(backend.statements.size(), 1u);
  EXPECT_EQ(backend.statements[0], "SELECT 2");
}

// A SLEEP blocks until CancelRunning is called, as a long query does until
// KILL QUERY reaches it; other statements answer at once.
class CancellableBackend : public RecordingBackend {
 public:
  ExecutionResult Execute(const std::string& sql) override {
    if (sql.find("SLEEP") == std::string::npos) return RecordingBackend::Execute(sql);
    std::unique_lock<std::mutex> lock(mutex);
    running = true;
    changed.notify_all();
    // Bounded, so a console that never cancels fails the test, not hangs it.
    changed.wait_for(lock, std::chrono::seconds(10), [this] { return cancelled; });
    running = false;
    ExecutionResult result;
    result.status = Status::MySql(1317, "70100", "Query execution was interrupted");
    statements.push_back(sql);
    return result;
  }
  std::string CancelRunning() override {
    std::lock_guard<std::mutex> lock(mutex);
    cancelled = true;
    changed.notify_all();
    return "cancelling";
  }
  std::mutex mutex;
  std::condition_variable changed;
  bool running = false;
  bool cancelled = false;
};

TEST(ConsoleTest, CtrlCWhileAStatementRunsCancelsItAndTheConsoleGoesOn) {
  CancellableBackend backend;
  ScriptedReader reader({"SELECT SLEEP(100);", "SELECT 2;"});
  std::ostringstream out;
  Console console(reader, backend, out, ResultLayout::kTable);
  console.Interrupt();  // nothing runs yet: it goes to the line being read
  EXPECT_EQ(reader.interrupts, 1);
  std::thread user([&] {
    {
      std::unique_lock<std::mutex> lock(backend.mutex);
      EXPECT_TRUE(backend.changed.wait_for(lock, std::chrono::seconds(10), [&] { return backend.running; }));
    }
    console.Interrupt();
  });
  EXPECT_EQ(console.Run(), 1);  // the cancelled statement failed; the next one ran
  user.join();
  EXPECT_EQ(reader.interrupts, 1);
  ASSERT_EQ(backend.statements.size(), 2u);
  EXPECT_NE(out.str().find("cancelling\nERROR 1317 (70100): Query execution was interrupted"),
            std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace ddb
