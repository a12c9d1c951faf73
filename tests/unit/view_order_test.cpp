#include "ddb/snapshot/view_order.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

// As SHOW CREATE VIEW writes it: the view's own name, then what it reads.
ViewDefinition View(const std::string& database, const std::string& name, const std::string& reads) {
  return {database, name,
          "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `" + name +
              "` AS select `x`.`id` AS `id` from " + reads + " `x`"};
}

TEST(ViewOrderTest, AViewComesAfterTheViewsItReadsWhateverTheirNames) {
  const std::vector<ViewDefinition> views = {
      View("v", "a_view", "`v`.`m_view`"),
      View("v", "m_view", "`v`.`z_view`"),
      View("v", "z_view", "`v`.`t`"),
  };
  EXPECT_EQ(ViewCreationOrder(views), (std::vector<size_t>{2, 1, 0}));
}

TEST(ViewOrderTest, IndependentViewsKeepTheirOrderAndAcrossDatabasesTheNameIsQualified) {
  const std::vector<ViewDefinition> views = {
      View("another", "b", "`views`.`a`"),  // reads views.a, not another.a
      View("another", "a", "`t`.`t`"),
      View("views", "a", "`t`.`t`"),
      View("views", "c", "`t`.`t`"),
  };
  EXPECT_EQ(ViewCreationOrder(views), (std::vector<size_t>{2, 0, 1, 3}));
}

TEST(ViewOrderTest, APrefixOfAnotherNameIsNoReadAndACycleStillPlacesEveryViewOnce) {
  const std::vector<ViewDefinition> prefix = {
      View("d", "a", "`d`.`bb`"),  // a table `bb`, not the view `b`
      View("d", "b", "`d`.`t`"),
  };
  EXPECT_EQ(ViewCreationOrder(prefix), (std::vector<size_t>{0, 1}));
  // Only a name in a string literal can make one; every view is still placed once.
  const std::vector<ViewDefinition> cycle = {
      View("d", "a", "`d`.`b`"),
      View("d", "b", "`d`.`a`"),
  };
  EXPECT_EQ(ViewCreationOrder(cycle), (std::vector<size_t>{1, 0}));
}

TEST(ViewOrderTest, QuotedNamesWithBackquotesAreMatchedAsTheServerQuotesThem) {
  const std::vector<ViewDefinition> views = {
      View("we`ird", "a", "`we``ird`.`v``1`"),
      View("we`ird", "v`1", "`t`.`t`"),
  };
  EXPECT_EQ(ViewCreationOrder(views), (std::vector<size_t>{1, 0}));
}

}  // namespace
}  // namespace ddb
