#include "dashboard_assets.h"

namespace ddb {
namespace {

// Scripts and styles only from this origin (no inline script can run even if
// markup were ever injected), API calls only to this origin, no framing.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

HttpServer::Handler Serve(std::string_view body, const char* content_type) {
  return [body, content_type](const HttpRequest&) {
    HttpResponse response = HttpResponse::Text(200, std::string(body), content_type);
    response.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
    return response;
  };
}

}  // namespace

void AddDashboardRoutes(HttpServer& server) {
  const auto html = Serve(assets::kDashboardHtml, "text/html; charset=utf-8");
  server.Route("GET", "/", RouteAccess::kPublic, RouteWork::kQuick, html);
  server.Route("GET", "/dashboard.html", RouteAccess::kPublic, RouteWork::kQuick, html);
  server.Route("GET", "/dashboard.js", RouteAccess::kPublic, RouteWork::kQuick,
               Serve(assets::kDashboardJs, "text/javascript; charset=utf-8"));
  server.Route("GET", "/dashboard.css", RouteAccess::kPublic, RouteWork::kQuick,
               Serve(assets::kDashboardCss, "text/css; charset=utf-8"));
}

}  // namespace ddb
