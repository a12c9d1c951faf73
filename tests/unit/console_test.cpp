#include "ddb/console.h"

#include <gtest/gtest.h>

#include <sstream>

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
  EXPECT_NE(printed.find("ERROR: the daemon is gone\nWarning (ddb): attach failed\n"), std::string::npos) << printed;

  backend.next_result.info = "Database changed";
  backend.next_result.warnings = {"a new session"};
  EXPECT_EQ(RunConsole("USE x;\n", backend, &printed), 0);
  EXPECT_NE(printed.find("Database changed\nWarning (ddb): a new session\n"), std::string::npos) << printed;
}

}  // namespace
}  // namespace ddb
