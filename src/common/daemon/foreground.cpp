#include "ddb/daemon/foreground.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

namespace ddb {
namespace {

bool WantsConsole(const ConsoleOptions& options) {
  switch (options.mode) {
    case ConsoleMode::kOn: return true;
    case ConsoleMode::kOff: return false;
    case ConsoleMode::kAuto: return isatty(STDIN_FILENO) == 1;
  }
  return false;
}

// SIGHUP is blocked with the stop signals so it reaches the watcher (a
// reload) instead of killing the process.
sigset_t HandledSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  return signals;
}

const char* SignalName(int signal) { return signal == SIGINT ? "SIGINT" : "SIGTERM"; }

// Waits for SIGINT or SIGTERM, running `on_reload` for each SIGHUP meanwhile.
int WaitForStopSignal(const std::function<void()>& on_reload, spdlog::logger& logger) {
  sigset_t signals = HandledSignals();
  for (;;) {
    int received = 0;
    if (sigwait(&signals, &received) != 0) continue;
    if (received != SIGHUP) return received;
    logger.info("received SIGHUP: reloading the config");
    if (on_reload) on_reload();
  }
}

}  // namespace

void BlockStopSignals() {
  // A shell starts a background job with SIGINT ignored (scripts/demo runs
  // the master console so); the console wants its Ctrl-C.
  signal(SIGINT, SIG_DFL);
  sigset_t signals = HandledSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

bool StopRequestedWithin(std::chrono::milliseconds timeout) {
  sigset_t signals = HandledSignals();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds(0)) return false;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
    timespec wait{static_cast<time_t>(seconds.count()),
                  static_cast<long>(std::chrono::nanoseconds(left - seconds).count())};
    const int received = sigtimedwait(&signals, nullptr, &wait);
    if (received == SIGINT || received == SIGTERM) return true;
    if (received < 0 && errno == EAGAIN) return false;
    // SIGHUP before the daemon runs: nothing to reload yet.
  }
}

int RunForeground(const ConsoleOptions& options, ConsoleBackend& backend, spdlog::logger& logger,
                  std::function<void()> on_reload) {
  if (!WantsConsole(options)) {
    const int received = WaitForStopSignal(on_reload, logger);
    logger.info("received {}, shutting down", SignalName(received));
    return 0;
  }
  const bool terminal = isatty(STDIN_FILENO) == 1;
  std::unique_ptr<LineReader> reader =
      terminal ? MakeTerminalLineReader(options.history_file) : MakeStreamLineReader(std::cin);
  Console console(*reader, backend, std::cout, options.batch ? ResultLayout::kBatch : ResultLayout::kTable);
  // With a console, SIGTERM still stops the daemon: a watcher thread ends the
  // process after flushing logs. Every write is durable in MySQL before the
  // console reports it, so nothing is lost by not unwinding the console.
  // SIGINT does too when the console reads a script; on a terminal it is the
  // user's Ctrl-C, which only interrupts what the console does (the line, or
  // the running statement), as in the mysql client.
  // The watcher is detached and may outlive this function, so it touches
  // `logger`, `on_reload` and `console` (which belong to main and to this
  // function) only under `state->mutex` and only while the console runs.
  struct WatcherState {
    std::mutex mutex;
    bool console_done = false;
  };
  auto state = std::make_shared<WatcherState>();
  std::thread([state, on_reload, &logger, &console, terminal] {
    sigset_t signals = HandledSignals();
    for (;;) {
      int received = 0;
      if (sigwait(&signals, &received) != 0) continue;
      std::lock_guard<std::mutex> lock(state->mutex);
      if (state->console_done) return;
      if (received == SIGHUP) {
        logger.info("received SIGHUP: reloading the config");
        if (on_reload) on_reload();
        continue;
      }
      if (received == SIGINT && terminal) {
        console.Interrupt();
        continue;
      }
      logger.info("received {}, shutting down", SignalName(received));
      logger.flush();
      std::cout.flush();
      std::_Exit(0);
    }
  }).detach();
  const int failures = console.Run();
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    state->console_done = true;
  }
  // Like the mariadb client: a script's failures show in the exit status; an
  // interactive session that saw errors still ends normally.
  return terminal ? 0 : failures;
}

}  // namespace ddb
