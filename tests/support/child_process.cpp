#include "child_process.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

std::string ErrnoText(const std::string& what, int err) { return what + ": " + std::strerror(err); }

// Resolves a bare program name through $PATH in the parent, because the child
// may only call async-signal-safe functions between fork and exec and execvp
// is not guaranteed to be one (it may allocate).
std::string ResolveProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path_env = std::getenv("PATH");
  std::string path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw std::runtime_error("ChildProcess: program not found in PATH: " + name);
}

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Moves fd onto target in the child. dup2 onto itself would keep O_CLOEXEC,
// which would close the stream at exec, so that case clears the flag instead.
// Only async-signal-safe calls: this runs between fork and exec.
bool MoveFdTo(int fd, int target) {
  if (fd == target) return ::fcntl(fd, F_SETFD, 0) == 0;
  return ::dup2(fd, target) == target;
}

// Everything the child does between fork and exec. Never returns; on failure
// it writes errno to error_fd so the parent can throw a useful message.
[[noreturn]] void ExecChild(pid_t parent, const char* program, char* const* argv, int stdin_fd, int log_fd,
                            int error_fd) {
  // Die with the test: a crashed test must not leave daemons holding ports.
  // If the parent already died before prctl took effect, getppid() changed.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) _exit(127);

  // Ignored signals (the test ignores SIGPIPE) and the signal mask survive
  // exec; the program should start with the defaults it expects.
  for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
  sigset_t empty;
  sigemptyset(&empty);
  ::sigprocmask(SIG_SETMASK, &empty, nullptr);

  if (!MoveFdTo(stdin_fd, STDIN_FILENO) || !MoveFdTo(log_fd, STDOUT_FILENO) ||
      !MoveFdTo(log_fd, STDERR_FILENO)) {
    int err = errno;
    (void)!::write(error_fd, &err, sizeof err);
    _exit(127);
  }
  // Descriptors the test process opened without O_CLOEXEC (client sockets,
  // listening sockets from libraries) must not leak into the daemon. Failure
  // (an old kernel) is tolerable: it only leaks descriptors.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);

  ::execv(program, argv);
  int err = errno;
  (void)!::write(error_fd, &err, sizeof err);
  _exit(127);
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, const std::filesystem::path& log_path,
                           StdinMode stdin_mode)
    : log_path_(log_path) {
  if (argv.empty()) throw std::runtime_error("ChildProcess: empty argv");
  const std::string program = ResolveProgram(argv[0]);

  // All allocation and file opening happens before fork: between fork and
  // exec in a multi-threaded process only async-signal-safe calls are safe.
  std::vector<char*> c_argv;
  c_argv.reserve(argv.size() + 1);
  for (auto& arg : argv) c_argv.push_back(arg.data());
  c_argv.push_back(nullptr);

  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error(ErrnoText("ChildProcess: open " + log_path.string(), errno));

  int child_stdin = -1;
  if (stdin_mode == StdinMode::kPipe) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      int err = errno;
      ::close(log_fd);
      throw std::runtime_error(ErrnoText("ChildProcess: pipe for stdin", err));
    }
    child_stdin = fds[0];
    stdin_fd_ = fds[1];
    // A child that exits while the test writes to it must produce EPIPE, not
    // kill the whole test binary with SIGPIPE.
    ::signal(SIGPIPE, SIG_IGN);
  } else {
    child_stdin = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  }

  // The child writes its exec errno here; a successful exec closes the
  // O_CLOEXEC write end, so the parent reads EOF.
  int error_pipe[2];
  if (child_stdin < 0 || ::pipe2(error_pipe, O_CLOEXEC) != 0) {
    int err = errno;
    ::close(log_fd);
    CloseFd(child_stdin);
    CloseFd(stdin_fd_);
    throw std::runtime_error(ErrnoText("ChildProcess: setting up descriptors", err));
  }

  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) ExecChild(parent, program.c_str(), c_argv.data(), child_stdin, log_fd, error_pipe[1]);
  const int fork_errno = errno;

  ::close(log_fd);
  ::close(child_stdin);
  ::close(error_pipe[1]);
  if (pid_ < 0) {
    ::close(error_pipe[0]);
    CloseFd(stdin_fd_);
    throw std::runtime_error(ErrnoText("ChildProcess: fork", fork_errno));
  }

  int exec_errno = 0;
  ssize_t n;
  do {
    n = ::read(error_pipe[0], &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  ::close(error_pipe[0]);
  if (n == static_cast<ssize_t>(sizeof exec_errno)) {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    CloseFd(stdin_fd_);
    throw std::runtime_error(ErrnoText("ChildProcess: exec " + program, exec_errno));
  }

  // A pidfd lets WaitForExit sleep in poll() until the exit instead of
  // polling waitpid. The pid cannot be reused yet: it is our unreaped child.
  pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
}

ChildProcess::~ChildProcess() {
  Terminate(std::chrono::seconds(10));
  CloseFd(stdin_fd_);
  CloseFd(pidfd_);
}

bool ChildProcess::Signal(int sig) {
  if (Reap()) return false;
  return ::kill(pid_, sig) == 0;
}

bool ChildProcess::Kill9() { return Signal(SIGKILL); }

bool ChildProcess::WriteStdin(std::string_view text) {
  while (!text.empty()) {
    if (stdin_fd_ < 0) return false;
    ssize_t n = ::write(stdin_fd_, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;  // EPIPE: the child is gone or closed its stdin
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void ChildProcess::CloseStdin() { CloseFd(stdin_fd_); }

bool ChildProcess::Reap() {
  if (reaped_) return true;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return false;
  reaped_ = true;
  // r < 0 (ECHILD) means someone else reaped it (SIGCHLD set to SIG_IGN);
  // the child is gone, but its status is lost.
  exit_code_ = r == pid_ ? DecodeWaitStatus(status) : -1;
  return true;
}

bool ChildProcess::WaitForExit(milliseconds timeout, int* exit_code) {
  const auto deadline = steady_clock::now() + timeout;
  while (!Reap()) {
    const auto now = steady_clock::now();
    if (now >= deadline) return false;
    auto left = std::chrono::duration_cast<milliseconds>(deadline - now) + milliseconds(1);
    if (pidfd_ >= 0) {
      pollfd pfd{pidfd_, POLLIN, 0};
      ::poll(&pfd, 1, static_cast<int>(std::min<milliseconds::rep>(left.count(), 60'000)));
    } else {
      // No pidfd (old kernel): a short sleep keeps the wait responsive.
      std::this_thread::sleep_for(std::min(left, milliseconds(10)));
    }
  }
  if (exit_code != nullptr) *exit_code = exit_code_;
  return true;
}

bool ChildProcess::Running() { return !Reap(); }

int ChildProcess::Terminate(milliseconds grace) {
  if (Reap()) return exit_code_;
  // EOF first: a program driven through stdin may simply finish.
  CloseFd(stdin_fd_);
  ::kill(pid_, SIGTERM);
  if (WaitForExit(grace)) return exit_code_;
  ::kill(pid_, SIGKILL);
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  reaped_ = true;
  exit_code_ = r == pid_ ? DecodeWaitStatus(status) : -1;
  return exit_code_;
}

std::string ChildProcess::ReadLog() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool ChildProcess::WaitUntilBlocking(int sig, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  const std::string path = "/proc/" + std::to_string(pid_) + "/status";
  while (std::chrono::steady_clock::now() < end) {
    std::ifstream status(path);
    if (!status) return false;  // gone
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("SigBlk:", 0) != 0) continue;
      const unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
      if (mask & (1ULL << (sig - 1))) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace ddb::testing
