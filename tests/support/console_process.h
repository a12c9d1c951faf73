// ConsoleProcess: an interactive console (`ddb-slave --attach`) run by a
// test, typed into through a pipe; what it prints goes to a log file the test
// reads. The process is owned by pid (ChildProcess) and ends with the object.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "child_process.h"

namespace ddb::testing {

class ConsoleProcess {
 public:
  ConsoleProcess(std::vector<std::string> argv, std::filesystem::path log);

  // Types `text` (a newline is added) and returns at once.
  void Type(const std::string& text);
  // Types `text`, then a marker SELECT, and waits until the console printed
  // the marker; returns what it printed for `text`. An empty string (and a
  // test failure) if the marker does not come within `deadline`.
  std::string Run(const std::string& text, std::chrono::milliseconds deadline = std::chrono::seconds(60));
  // Everything printed so far.
  std::string Output() const;
  // Ends the input and waits for the console to exit; its exit code, or -1
  // if it did not exit within `deadline`.
  int Close(std::chrono::milliseconds deadline = std::chrono::seconds(30));

  ChildProcess& process() { return process_; }

 private:
  std::filesystem::path log_;
  ChildProcess process_;
  int markers_ = 0;
};

}  // namespace ddb::testing
