// The sweep's results: Markdown tables (medians over runs, and every run's
// figures with its own ratios) and two CSV files for tools — the medians, one
// row per (test, threads), which bench/plot-sweep draws, and every sample.
//
// A ratio (ddb ÷ native, ddb ÷ plain) is computed within each run, where both
// sides met the same minutes of the machine, and the median of those ratios
// is reported — not the ratio of the medians.
#pragma once

#include <filesystem>
#include <ostream>
#include <vector>

#include "sysbench_sweep.h"

namespace ddb::bench {

void WriteSweepMarkdown(const SweepOptions& options, const std::vector<SweepSample>& samples,
                        std::ostream& out);

// Writes the medians to `path` and every sample to the same name with
// "-runs" before the extension (sweep.csv → sweep-runs.csv).
void WriteSweepCsv(const SweepOptions& options, const std::vector<SweepSample>& samples,
                   const std::filesystem::path& path);

}  // namespace ddb::bench
