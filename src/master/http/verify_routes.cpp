#include "verify_routes.h"

namespace ddb {
namespace {

HttpResponse RepairEndpoint(VerifyService& service, const HttpRequest& request) {
  const nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("table") || !body["table"].is_string()) {
    return HttpResponse::Error(400,
                               "the body must be a JSON object: {\"table\": \"db.table\", \"chunk\": N}");
  }
  size_t chunk = 0;  // every chunk that differs
  if (body.contains("chunk")) {
    if (!body["chunk"].is_number_unsigned() || body["chunk"].get<uint64_t>() == 0) {
      return HttpResponse::Error(400, "\"chunk\" must be a chunk number from /api/verify (1 or more)");
    }
    chunk = body["chunk"].get<size_t>();
  }
  RepairReport report;
  if (Status s = service.Repair(body["table"].get<std::string>(), chunk, &report); !s.ok()) {
    const int status = s.code() == Status::Code::kNotFound          ? 404
                       : s.code() == Status::Code::kInvalidArgument ? 400
                       : s.code() == Status::Code::kRefused         ? 409
                                                                    : 503;
    return HttpResponse::Error(status, "repair failed: " + s.ToString());
  }
  return HttpResponse::Json(200, RepairJson(report));
}

}  // namespace

nlohmann::json RepairJson(const RepairReport& report) {
  return nlohmann::json{{"table", report.table},
                        {"chunks_rewritten", report.chunks_rewritten},
                        {"rows_rewritten", report.rows_rewritten},
                        {"all_equal", report.after.all_equal},
                        {"after", nlohmann::json::parse(VerifyJson(report.after))}};
}

void AddVerifyRoutes(HttpServer& server, const VerifyResults& results, VerifyService& service) {
  server.Route("GET", "/api/verify", RouteAccess::kToken, RouteWork::kQuick, [&results](const HttpRequest&) {
    return HttpResponse::Json(200, VerifyResultsJson(results));
  });
  // The pass runs on the service's thread: the answer does not wait for it.
  server.Route("POST", "/api/verify", RouteAccess::kToken, RouteWork::kQuick, [&service](const HttpRequest&) {
    const bool running = service.RequestPass();
    return HttpResponse::Json(
        202, nlohmann::json{{"requested", true},
                            {"note", running ? "a pass is under way; another starts when it ends"
                                             : "a pass starts now; follow it at GET /api/verify"}});
  });
  // A repair reads and logs the chunks on a session of its own: a worker's.
  server.Route("POST", "/api/repair", RouteAccess::kToken, RouteWork::kBlocking,
               [&service](const HttpRequest& request) { return RepairEndpoint(service, request); });
}

}  // namespace ddb
