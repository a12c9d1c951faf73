// The consistency checking endpoints (docs/api.md): GET /api/verify (the
// last result of every table and continuous mode's progress), POST
// /api/verify (a pass now) and POST /api/repair (rewrite a table's
// differing chunks on the slaves through the log, then check it again).
#pragma once

#include <nlohmann/json.hpp>

#include "ddb/daemon/http_server.h"
#include "verify_results.h"
#include "verify_service.h"

namespace ddb {

// POST /api/repair's answer for a repair that ran.
nlohmann::json RepairJson(const RepairReport& report);

// Both must outlive the HttpServer's Stop().
void AddVerifyRoutes(HttpServer& server, const VerifyResults& results, VerifyService& service);

}  // namespace ddb
