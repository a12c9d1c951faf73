// `ddb-slave --config X --seed` / `--seed-from NAME`: copies a consistent
// snapshot of the master (or of another slave) and its position into this
// slave's MySQL, then exits; the daemon started afterwards streams from
// exactly that position.
//
// Steps, each reported on one line: find the source; check this slave's
// MySQL (no daemon applying to it, empty unless --force, which drops its
// databases); mark ddb_meta "seeding" (a daemon refuses to start on a
// half-loaded copy, see slave_schema.h); fetch and load the stream as it
// arrives; store the cluster id and the position; clear the mark. On a
// terminal a progress line (bytes, rows, rate, time left) is redrawn.
#pragma once

#include <iosfwd>

#include "ddb/base/status.h"
#include "slave_config.h"

namespace ddb {

// Runs the seed; `out` gets the step lines. Returns what failed, with the
// step in its message.
Status RunSeed(const SlaveConfig& config, std::ostream& out, bool on_terminal);

}  // namespace ddb
