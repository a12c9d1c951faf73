// What every message decoder (messages.cpp, console_messages.cpp) shares:
// the wording of its errors and the few field shapes beyond wire.h's.
#pragma once

#include <string>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/base/wire.h"

namespace ddb {

// Corruption: `message`'s `field` is cut short.
Status Truncated(const char* message, const char* field);

// Every decoder ends here: a message with bytes after its last field is
// corrupt rather than silently accepted.
Status FinishMessage(const ByteReader& reader, const char* message);

// A flag is 0 or 1; anything else is corrupt, so every message has exactly
// one encoding.
Status GetFlag(ByteReader& r, const char* message, const char* field, bool* out);

// A list of strings: u32 count, then each string. Each string takes at least
// its 4-byte length, which bounds the count before anything is kept.
void PutStrings(ByteWriter& w, const std::vector<std::string>& strings);
Status GetStrings(ByteReader& r, const char* message, const char* field, std::vector<std::string>* out);

}  // namespace ddb
