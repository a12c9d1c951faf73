// How a daemon occupies its main thread: the interactive console when asked
// for (or when stdin is a terminal), otherwise waiting for SIGINT/SIGTERM.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "ddb/console/console.h"
#include "ddb/daemon/common_options.h"

namespace spdlog {
class logger;
}

namespace ddb {

// Blocks SIGINT and SIGTERM. Call first thing in main, before any thread
// starts: threads inherit the mask, so only RunForeground sees the signals.
void BlockStopSignals();

// Sleeps up to `timeout`; returns true early if SIGINT or SIGTERM arrived
// (for waits before RunForeground, e.g. for a MySQL server to come up).
bool StopRequestedWithin(std::chrono::milliseconds timeout);

// Returns when the console ends (\q, end of input) or a stop signal arrives.
// Returns the number of failed statements when reading from a pipe or file
// (0 on a terminal and headless).
// SIGHUP calls `on_reload` (if set) from a signal-watching thread. With a
// console on a terminal, SIGINT is the user's Ctrl-C: it interrupts the line
// or the running statement (Console::Interrupt) and stops nothing.
int RunForeground(const ConsoleOptions& options, ConsoleBackend& backend, spdlog::logger& logger,
                  std::function<void()> on_reload = nullptr);

}  // namespace ddb
