// docs/configuration.md's key tables are generated from the key tables that
// also make --help: this test fails when they disagree, and writes the
// regenerated file next to the test binary (copy it over the doc).
#include <gtest/gtest.h>

#include <fstream>

#include "file_text.h"
#include "master_config.h"
#include "slave_config.h"

namespace ddb {
namespace {

constexpr const char* kDocPath = DDB_SOURCE_DIR "/docs/configuration.md";

std::string Begin(const std::string& daemon) {
  return "<!-- " + daemon + " keys: generated, do not edit -->\n";
}
std::string End(const std::string& daemon) { return "<!-- end of " + daemon + " keys -->\n"; }

// `doc` with the block between the markers of `daemon` replaced by `table`.
std::string WithTable(std::string doc, const std::string& daemon, const std::string& table) {
  const size_t begin = doc.find(Begin(daemon));
  const size_t end = doc.find(End(daemon));
  if (begin == std::string::npos || end == std::string::npos || end < begin) return doc;
  return doc.replace(begin + Begin(daemon).size(), end - begin - Begin(daemon).size(), table);
}

TEST(ConfigDocTest, ConfigurationDocMatchesTheKeyTablesOfHelp) {
  MasterConfig master;
  MasterConfigSchema master_schema(&master);
  SlaveConfig slave;
  SlaveConfigSchema slave_schema(&slave);
  const std::string doc = testing::ReadFile(kDocPath);
  ASSERT_NE(doc.find(Begin("ddb-master")), std::string::npos) << kDocPath << " lacks the master's markers";
  ASSERT_NE(doc.find(Begin("ddb-slave")), std::string::npos) << kDocPath << " lacks the slave's markers";
  const std::string expected = WithTable(WithTable(doc, "ddb-master", master_schema.keys().MarkdownTable()),
                                         "ddb-slave", slave_schema.keys().MarkdownTable());
  if (doc == expected) return;
  std::ofstream("configuration.md.expected") << expected;
  size_t line = 1;
  for (size_t i = 0; i < std::min(doc.size(), expected.size()) && doc[i] == expected[i]; ++i) {
    line += doc[i] == '\n' ? 1 : 0;
  }
  ADD_FAILURE() << "docs/configuration.md disagrees with --help from line " << line
                << " on; the regenerated file is configuration.md.expected in the test's working directory";
}

TEST(ConfigDocTest, HelpListsEveryKeyWithItsDescription) {
  MasterConfig master;
  MasterConfigSchema master_schema(&master);
  SlaveConfig slave;
  SlaveConfigSchema slave_schema(&slave);
  const std::string master_help = master_schema.app().help();
  for (const ConfigKey& key : master_schema.keys().all()) {
    EXPECT_NE(master_help.find("--" + key.name()), std::string::npos) << key.name();
  }
  const std::string slave_help = slave_schema.app().help();
  for (const ConfigKey& key : slave_schema.keys().all()) {
    EXPECT_NE(slave_help.find("--" + key.name()), std::string::npos) << key.name();
  }
  // Live keys are grouped apart in --help, as in the doc's "change" column.
  EXPECT_NE(master_help.find("Config keys a reload applies"), std::string::npos) << master_help;
}

}  // namespace
}  // namespace ddb
