#include "ddb/daemon/health_role.h"

#include <nlohmann/json.hpp>

namespace ddb {

const char* HealthRoleName(HealthRole role) {
  switch (role) {
    case HealthRole::kAny: return "any";
    case HealthRole::kMaster: return "master";
    case HealthRole::kSlave: return "slave";
  }
  return "unknown";
}

std::optional<HealthRole> RequestedHealthRole(const HttpRequest& request) {
  const auto it = request.query.find("role");
  if (it == request.query.end()) return HealthRole::kAny;
  if (it->second == "master") return HealthRole::kMaster;
  if (it->second == "slave") return HealthRole::kSlave;
  return std::nullopt;
}

HttpResponse BadHealthRole(const HttpRequest& request) {
  return HttpResponse::Error(400, "role '" + request.query.at("role") + "' is neither master nor slave");
}

HttpResponse NotInRole(HealthRole asked, HealthRole actual, const std::string& name) {
  const auto described = [](HealthRole role) {
    return role == HealthRole::kMaster ? "the master" : "a slave";
  };
  return HttpResponse::Json(503, nlohmann::json{{"status", "unavailable"},
                                                {"role", HealthRoleName(actual)},
                                                {"name", name},
                                                {"reason", std::string("this node is ") + described(actual) +
                                                               ", not " + described(asked)}});
}

}  // namespace ddb
