// PipedConsole: a SQL console the harness types into through a pipe — the
// `mariadb` client for plain MariaDB and native replication, the ddb master's
// own console for ddb — so all setups get their statements the same way.
//
// Completion is observed, not assumed: after the statements the harness types
// a marker SELECT and waits until the console prints the marker's value, so
// every statement before it has been executed (both consoles run statements
// in order, one at a time). Only the tail of the output file is read at each
// poll, so a long output costs nothing per poll.
//
// Lifetime: the process lives as long as the PipedConsole (a ChildProcess:
// SIGTERM then SIGKILL by pid in the destructor). Only the writer thread
// writes to the pipe while a feed runs; use from one thread otherwise.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"

namespace ddb::bench {

using Clock = std::chrono::steady_clock;

class PipedConsole {
 public:
  // Starts argv with stdin on a pipe and stdout+stderr appended to `output`.
  PipedConsole(std::vector<std::string> argv, std::filesystem::path output);
  ~PipedConsole();
  PipedConsole(const PipedConsole&) = delete;
  PipedConsole& operator=(const PipedConsole&) = delete;

  // Types `script` as fast as the console reads it, then the marker; returns
  // when the marker was printed. Throws std::runtime_error (with the output's
  // tail) if that does not happen within `deadline` or the console exits.
  // `started` receives the moment the first byte was written.
  Clock::time_point RunScript(const std::string& script, std::chrono::milliseconds deadline,
                              Clock::time_point* started = nullptr);

  // Types statement i at started + i / per_second (each followed by ";\n"),
  // then the marker; returns when the marker was printed. `on_started` runs
  // on the caller's thread right after the writer starts, and is where the
  // caller observes what the statements do while they are typed.
  template <typename Observe>
  Clock::time_point RunPaced(const std::vector<std::string>& statements, double per_second,
                             std::chrono::milliseconds deadline, Observe&& observe) {
    StartPacedWriter(statements, per_second);
    observe();
    return WaitForMarker(deadline);
  }

  pid_t pid() const { return process_->pid(); }
  bool Running() { return process_->Running(); }
  // The last `bytes` of the output, for error messages and marker polling.
  std::string OutputTail(size_t bytes = 2048) const;
  // Ends input (the console then exits) and waits up to `grace` for it.
  bool CloseAndWait(std::chrono::milliseconds grace);

 private:
  std::string NextMarker();
  void StartWriter(std::string text);
  void StartPacedWriter(const std::vector<std::string>& statements, double per_second);
  Clock::time_point WaitForMarker(std::chrono::milliseconds deadline);
  void JoinWriter();

  std::filesystem::path output_;
  std::unique_ptr<testing::ChildProcess> process_;
  std::thread writer_;
  Clock::time_point writer_started_;  // set before the writer starts; read after
  std::string marker_;                // the value the current feed waits for
  int markers_ = 0;
};

}  // namespace ddb::bench
