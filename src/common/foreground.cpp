#include "ddb/foreground.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>
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

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void BlockStopSignals() {
  sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

bool StopRequestedWithin(std::chrono::milliseconds timeout) {
  sigset_t signals = StopSignals();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  timespec wait{static_cast<time_t>(seconds.count()),
                static_cast<long>(std::chrono::nanoseconds(timeout - seconds).count())};
  return sigtimedwait(&signals, nullptr, &wait) > 0;
}

int RunForeground(const ConsoleOptions& options, ConsoleBackend& backend, spdlog::logger& logger) {
  if (!WantsConsole(options)) {
    sigset_t signals = StopSignals();
    int received = 0;
    sigwait(&signals, &received);
    logger.info("received {}, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
    return 0;
  }
  // With a console, SIGTERM still stops the daemon: a watcher thread ends the
  // process after flushing logs. Every write is durable in MySQL before the
  // console reports it, so nothing is lost by not unwinding the console.
  sigset_t signals = StopSignals();
  std::thread([signals, &logger]() mutable {
    int received = 0;
    sigwait(&signals, &received);
    logger.info("received {}, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
    logger.flush();
    std::cout.flush();
    std::_Exit(0);
  }).detach();
  const bool terminal = isatty(STDIN_FILENO) == 1;
  std::unique_ptr<LineReader> reader =
      terminal ? MakeTerminalLineReader(options.history_file) : MakeStreamLineReader(std::cin);
  Console console(*reader, backend, std::cout, options.batch ? ResultLayout::kBatch : ResultLayout::kTable);
  const int failures = console.Run();
  // Like the mariadb client: a script's failures show in the exit status; an
  // interactive session that saw errors still ends normally.
  return terminal ? 0 : failures;
}

}  // namespace ddb
