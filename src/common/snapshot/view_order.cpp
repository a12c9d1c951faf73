#include "ddb/snapshot/view_order.h"

#include "ddb/mysql/mysql_connection.h"  // QuoteIdentifier

namespace ddb {
namespace {

enum class Mark { kNew, kVisiting, kDone };

struct Sorter {
  const std::vector<std::vector<size_t>>& reads;
  std::vector<Mark> marks;
  std::vector<size_t> order;

  // Depth-first: what view i reads, then i. Meeting a view whose own reads
  // are still being placed closes a cycle: that edge is ignored.
  void Place(size_t i) {
    if (marks[i] != Mark::kNew) return;
    marks[i] = Mark::kVisiting;
    for (size_t read : reads[i]) Place(read);
    marks[i] = Mark::kDone;
    order.push_back(i);
  }
};

}  // namespace

std::vector<size_t> ViewCreationOrder(const std::vector<ViewDefinition>& views) {
  std::vector<std::string> names;
  for (const ViewDefinition& view : views) {
    names.push_back(QuoteIdentifier(view.database) + "." + QuoteIdentifier(view.name));
  }
  std::vector<std::vector<size_t>> reads(views.size());
  for (size_t i = 0; i < views.size(); ++i) {
    for (size_t j = 0; j < views.size(); ++j) {
      if (j != i && views[i].create_sql.find(names[j]) != std::string::npos) reads[i].push_back(j);
    }
  }
  Sorter sorter{reads, std::vector<Mark>(views.size(), Mark::kNew), {}};
  for (size_t i = 0; i < views.size(); ++i) sorter.Place(i);
  return sorter.order;
}

}  // namespace ddb
