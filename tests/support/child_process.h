// ChildProcess: one program started by a test, owned for exactly as long as
// the ChildProcess object lives.
//
// Contract:
//   - The program's stdout and stderr are appended to a log file chosen by the
//     caller, so a failing test can print what the program said.
//   - stdin is either /dev/null (the program never reads the test's terminal)
//     or a pipe the test writes to (WriteStdin / CloseStdin).
//   - The child gets PR_SET_PDEATHSIG(SIGKILL): if the test process dies
//     without running destructors (crash, SIGKILL from ctest's timeout), the
//     kernel kills the child too, so no daemon outlives its test. The signal is
//     tied to the *thread* that started the child, so start children from the
//     thread that will outlive them (normally the gtest main thread).
//   - The destructor sends SIGTERM, waits up to 10 s, then sends SIGKILL, and
//     reaps. Signals always go to the pid this object started, never to a
//     program name, so parallel tests cannot hit each other's processes.
//     Because only this object reaps the child, the pid cannot be reused by an
//     unrelated process while this object still signals it.
//
// Not thread-safe: use each ChildProcess from one thread at a time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ddb::testing {

class ChildProcess {
 public:
  enum class StdinMode {
    kDevNull,  // the child reads EOF immediately
    kPipe,     // the test feeds the child through WriteStdin()
  };

  // Starts argv[0] with arguments argv[1..]. argv[0] may be a path or a bare
  // name looked up in $PATH. Throws std::runtime_error if the log file cannot
  // be opened or the program cannot be executed (the exec errno is reported
  // back to the parent, so a typo in a path fails here, not as a timeout).
  ChildProcess(std::vector<std::string> argv, const std::filesystem::path& log_path,
               StdinMode stdin_mode = StdinMode::kDevNull);
  ~ChildProcess();

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::filesystem::path& log_path() const { return log_path_; }

  // Sends sig to the child unless it has already been reaped. Returns false
  // if the child is gone.
  bool Signal(int sig);
  // SIGKILL: the crash case; the child gets no chance to clean up.
  bool Kill9();
  // Waits until the child blocks `sig` (ddb's daemons do so first thing in
  // main: from then on a stop signal is handled, not fatal, so a test may
  // stop a daemon it has just started). False at the deadline or once the
  // child is gone.
  bool WaitUntilBlocking(int sig, std::chrono::milliseconds deadline);

  // Writes all of text to the child's stdin. Returns false if stdin is not a
  // pipe, was closed, or the child stopped reading (EPIPE).
  bool WriteStdin(std::string_view text);
  // Closes the write end so the child reads EOF.
  void CloseStdin();

  // Waits until the child exits or timeout passes. On exit returns true and,
  // if exit_code is non-null, stores the exit status, or 128 + signal number
  // if a signal ended it (the shell's convention). Safe to call again after
  // the child exited: it returns the same result.
  bool WaitForExit(std::chrono::milliseconds timeout, int* exit_code = nullptr);

  // True while the child has not exited.
  bool Running();

  // SIGTERM, wait up to grace, then SIGKILL; always reaps. Returns the exit
  // code as WaitForExit reports it. The destructor calls this with 10 s.
  int Terminate(std::chrono::milliseconds grace = std::chrono::seconds(10));

  // The whole log file as it is now (empty if it cannot be read).
  std::string ReadLog() const;

 private:
  // Non-blocking reap; returns true if the child has been reaped.
  bool Reap();

  std::filesystem::path log_path_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int pidfd_ = -1;  // -1 if the kernel has no pidfd_open
  bool reaped_ = false;
  int exit_code_ = -1;
};

}  // namespace ddb::testing
