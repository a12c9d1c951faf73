#include "console_process.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "wait.h"

namespace ddb::testing {

ConsoleProcess::ConsoleProcess(std::vector<std::string> argv, std::filesystem::path log)
    : log_(std::move(log)), process_(std::move(argv), log_, ChildProcess::StdinMode::kPipe) {}

void ConsoleProcess::Type(const std::string& text) {
  EXPECT_TRUE(process_.WriteStdin(text + "\n")) << "the console closed its input:\n" << Output();
}

std::string ConsoleProcess::Run(const std::string& text, std::chrono::milliseconds deadline) {
  const size_t before = Output().size();
  const std::string marker = "console-marker-" + std::to_string(++markers_);
  Type(text + "\nSELECT '" + marker + "' AS marker;");
  const bool done =
      WaitFor([&] { return Output().find("| " + marker + " |", before) != std::string::npos; }, deadline);
  const std::string out = Output().substr(before);
  EXPECT_TRUE(done) << "the console did not finish in time:\n" << out;
  if (!done) return "";
  return out.substr(0, out.rfind("| marker "));
}

std::string ConsoleProcess::Output() const {
  std::ifstream in(log_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int ConsoleProcess::Close(std::chrono::milliseconds deadline) {
  process_.CloseStdin();
  int code = -1;
  if (!process_.WaitForExit(deadline, &code)) return -1;
  return code;
}

}  // namespace ddb::testing
