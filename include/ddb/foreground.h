// How a daemon occupies its main thread: the interactive console when asked
// for (or when stdin is a terminal), otherwise waiting for SIGINT/SIGTERM.
#pragma once

#include <memory>

#include "ddb/common_options.h"
#include "ddb/console.h"

namespace spdlog {
class logger;
}

namespace ddb {

// Blocks SIGINT and SIGTERM. Call first thing in main, before any thread
// starts: threads inherit the mask, so only RunForeground sees the signals.
void BlockStopSignals();

// Returns when the console ends (\q, end of input) or a stop signal arrives.
// Returns the number of failed console statements (0 headless).
int RunForeground(const ConsoleOptions& options, ConsoleBackend& backend, spdlog::logger& logger);

}  // namespace ddb
