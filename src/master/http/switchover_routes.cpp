#include "switchover_routes.h"

namespace ddb {
namespace {

HttpResponse StartSwitchover(Switchover& switchover, const HttpRequest& request) {
  const nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("to") || !body["to"].is_string()) {
    return HttpResponse::Error(400, "the body must be a JSON object: {\"to\": \"<slave name>\"}");
  }
  const std::string to = body["to"].get<std::string>();
  if (Status s = switchover.Start(to); !s.ok()) {
    const int status = s.code() == Status::Code::kNotFound          ? 404
                       : s.code() == Status::Code::kInvalidArgument ? 400
                       : s.code() == Status::Code::kRefused         ? 409
                                                                    : 503;
    return HttpResponse::Error(status, "switchover to " + to + " refused: " + s.message());
  }
  return HttpResponse::Json(
      202, nlohmann::json{{"switchover", "started"},
                          {"to", to},
                          {"note", "follow it at GET /api/switchover; once done, " + to +
                                       " answers as the master and this node is its slave"}});
}

}  // namespace

nlohmann::json SwitchoverJson(const SwitchoverState& state) {
  if (state.to.empty()) return nlohmann::json{{"state", "none"}};
  return nlohmann::json{{"to", state.to},
                        {"state", state.state},
                        {"message", state.message},
                        {"started_at_micros", state.started_at_micros}};
}

void AddSwitchoverRoutes(HttpServer& server, Switchover& switchover) {
  // Start() checks the target (the registry, no waiting) and leaves the rest
  // to a thread of the switchover's own.
  server.Route("POST", "/api/switchover", RouteAccess::kToken, RouteWork::kQuick,
               [&switchover](const HttpRequest& request) { return StartSwitchover(switchover, request); });
  server.Route("GET", "/api/switchover", RouteAccess::kToken, RouteWork::kQuick,
               [&switchover](const HttpRequest&) {
                 return HttpResponse::Json(200, SwitchoverJson(switchover.state()));
               });
}

}  // namespace ddb
