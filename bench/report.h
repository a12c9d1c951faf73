// The benchmark's table: medians over runs, and ratios computed run by run
// (ddb and its reference measured back to back in the same run) before
// taking their median, so a run disturbed by other load moves both sides.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "scenario.h"

namespace ddb::bench {

// Writes the results as a Markdown table (readable as plain text too), with
// each target and whether it was met.
void WriteReport(const BenchOptions& options, const std::vector<RunResult>& runs, std::ostream& out);

void WriteSweepReport(const std::vector<size_t>& batch_sizes, const std::vector<double>& rates, int writes,
                      std::ostream& out);

// `value` with `digits` decimals, for the tables.
std::string Fixed(double value, int digits);

// The median of `values` (the mean of the middle two for an even count).
double Median(std::vector<double> values);

}  // namespace ddb::bench
