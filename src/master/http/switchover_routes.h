// The planned switchover over HTTP (docs/api.md, docs/failover.md): POST
// /api/switchover {"to": "NAME"} checks that NAME can take over and starts
// the switchover (202); GET /api/switchover says how the last one went (the
// dashboard's button uses both). A switchover that succeeds ends with this
// daemon restarted as the new master's slave: its answer then comes from the
// new master's /api/status.
#pragma once

#include <nlohmann/json.hpp>

#include "ddb/daemon/http_server.h"
#include "switchover.h"

namespace ddb {

nlohmann::json SwitchoverJson(const SwitchoverState& state);

// `switchover` must outlive the HttpServer's Stop().
void AddSwitchoverRoutes(HttpServer& server, Switchover& switchover);

}  // namespace ddb
