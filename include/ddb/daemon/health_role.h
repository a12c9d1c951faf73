// /health?role=master|slave: a load balancer asks a node whether it plays a
// role, so one check routes writes to whichever node is master and reads to
// healthy slaves (docs/api.md, docs/haproxy.md). Both daemons answer it.
#pragma once

#include <optional>
#include <string>

#include "ddb/daemon/http_server.h"

namespace ddb {

enum class HealthRole { kAny, kMaster, kSlave };  // kAny: plain /health

const char* HealthRoleName(HealthRole role);

// The role `request` asks about; nullopt when ?role= is neither master nor
// slave (answer with BadHealthRole).
std::optional<HealthRole> RequestedHealthRole(const HttpRequest& request);
HttpResponse BadHealthRole(const HttpRequest& request);

// 503 for a node asked about a role it does not play: {"status":
// "unavailable", "role": its role, "name", "reason"}.
HttpResponse NotInRole(HealthRole asked, HealthRole actual, const std::string& name);

}  // namespace ddb
