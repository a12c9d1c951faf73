// The order a snapshot creates views in: a view after every view it reads,
// whatever their names, since CREATE VIEW fails on a view that does not
// exist yet (information_schema lists them by name, so `a_view` over
// `z_view` would come first).
//
// SHOW CREATE VIEW writes every table and view a definition reads as
// `database`.`name` (sql_quote_show_create on), so a view reads another
// when its definition holds that one's quoted, qualified name. The name in
// a string literal counts too: that only moves a view later, and a cycle
// it makes (real views have none) is broken where it closes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ddb {

struct ViewDefinition {
  std::string database;
  std::string name;
  std::string create_sql;  // SHOW CREATE VIEW's
};

// Indexes into `views`: each view after those it reads, otherwise in the
// given order.
std::vector<size_t> ViewCreationOrder(const std::vector<ViewDefinition>& views);

}  // namespace ddb
