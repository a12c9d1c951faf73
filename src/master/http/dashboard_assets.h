// The dashboard's page, script and style sheet (web/), compiled into the
// master so it needs no files at run time and loads nothing from elsewhere.
#pragma once

#include <string_view>

#include "ddb/daemon/http_server.h"

namespace ddb {

namespace assets {
// Defined in the source cmake/embed_assets.cmake generates from web/.
extern const std::string_view kDashboardHtml;
extern const std::string_view kDashboardJs;
extern const std::string_view kDashboardCss;
}  // namespace assets

// "/" and "/dashboard.html", "/dashboard.js", "/dashboard.css". Public: the
// page holds no data; it asks for the token before it calls the API.
void AddDashboardRoutes(HttpServer& server);

}  // namespace ddb
