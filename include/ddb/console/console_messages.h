// The console socket's messages: between an attached console (`ddb-slave
// --attach`) and the slave daemon it is attached to, over a local (unix)
// socket in the same frames as the replication link. docs/protocol.md, "The
// console socket", gives the grammar.
//
// The daemon runs the console's statements and commands in a console session
// of its own (reads from its MySQL, writes forwarded to the master, \status
// from its live state); the attached process only edits lines and prints.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/console/console.h"
#include "ddb/protocol/messages.h"

namespace ddb {

// daemon -> console, first: the node and its backslash commands (for \help).
struct ConsoleWelcome {
  std::string node_name;
  std::vector<std::pair<std::string, std::string>> commands;  // (name, description)
};

// console -> daemon: one complete statement, without its terminator.
struct ConsoleStatement {
  std::string sql;
};

// daemon -> console: what the statement did (an ExecutionResult).
struct ConsoleOutcome {
  QueryReply result;  // status and rows; request_id unused (one statement at a time)
  uint64_t affected_rows = 0;
  uint64_t insert_id = 0;
  std::string server_info;
  std::string answered_by;
  std::string info;
  std::vector<std::string> warnings;
  std::string database;  // the session's default database afterwards (the prompt)
};

// console -> daemon: a backslash command the console does not handle itself.
struct ConsoleCommand {
  std::string name;
  std::string argument;
};

// daemon -> console: what the command printed, and how it went.
struct ConsoleCommandOutput {
  uint8_t result = 0;  // CommandResult: 0 unknown, 1 done, 2 failed
  std::string output;
};

std::vector<uint8_t> Encode(const ConsoleWelcome& m);
std::vector<uint8_t> Encode(const ConsoleStatement& m);
std::vector<uint8_t> Encode(const ConsoleOutcome& m);
std::vector<uint8_t> Encode(const ConsoleCommand& m);
std::vector<uint8_t> Encode(const ConsoleCommandOutput& m);
Status Decode(std::span<const uint8_t> payload, ConsoleWelcome* out);
Status Decode(std::span<const uint8_t> payload, ConsoleStatement* out);
Status Decode(std::span<const uint8_t> payload, ConsoleOutcome* out);
Status Decode(std::span<const uint8_t> payload, ConsoleCommand* out);
Status Decode(std::span<const uint8_t> payload, ConsoleCommandOutput* out);

// The two ends of ConsoleOutcome: what the daemon's backend returned, and
// the same ExecutionResult again at the attached console.
ConsoleOutcome MakeConsoleOutcome(ExecutionResult outcome, std::string database);
ExecutionResult OutcomeResult(ConsoleOutcome outcome);

// CommandResult on the wire; an unknown value decodes as kFailed.
uint8_t CommandResultByte(CommandResult result);
CommandResult CommandResultFromByte(uint8_t value);

}  // namespace ddb
