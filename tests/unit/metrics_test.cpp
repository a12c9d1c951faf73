#include "ddb/daemon/metrics.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

TEST(MetricsTextTest, GroupsSamplesOfAFamilyUnderOneHeader) {
  MetricsText metrics;
  metrics.Gauge("a_seq", "A position", 3, {{"slave", "s1"}});
  metrics.Counter("b_total", "Things", 7);
  metrics.Gauge("a_seq", "A position", 4, {{"slave", "s2"}});
  EXPECT_EQ(metrics.Render(),
            "# HELP a_seq A position\n# TYPE a_seq gauge\na_seq{slave=\"s1\"} 3\na_seq{slave=\"s2\"} 4\n"
            "# HELP b_total Things\n# TYPE b_total counter\nb_total 7\n");
}

TEST(MetricsTextTest, EscapesLabelValuesAndFormatsNumbers) {
  MetricsText metrics;
  metrics.Gauge("x", "h", 0.25, {{"name", "a\"b\\c\nd"}});
  metrics.Gauge("y", "h", 18446744073709551615.0);
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("x{name=\"a\\\"b\\\\c\\nd\"} 0.25\n"), std::string::npos) << text;
  EXPECT_NE(text.find("y 1.8446744073709552e+19\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace ddb
