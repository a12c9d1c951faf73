#include "report.h"

#include <algorithm>
#include <functional>
#include <iomanip>
#include <sstream>

namespace ddb::bench {
std::string Fixed(double value, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << value;
  return out.str();
}

namespace {

using Field = std::function<double(const RunResult&)>;

double MedianOf(const std::vector<RunResult>& runs, const Field& field) {
  std::vector<double> values;
  for (const auto& run : runs) values.push_back(field(run));
  return Median(values);
}

double MedianRatio(const std::vector<RunResult>& runs, const Field& numerator, const Field& denominator) {
  std::vector<double> ratios;
  for (const auto& run : runs) {
    if (denominator(run) > 0) ratios.push_back(numerator(run) / denominator(run));
  }
  return Median(ratios);
}

long PeakKb(const std::vector<RunResult>& runs, bool master) {
  long peak = 0;
  for (const auto& run : runs) {
    for (const auto& daemon : run.ddb.memory) {
      if ((daemon.daemon == "master") == master) peak = std::max(peak, daemon.peak_kb);
    }
  }
  return peak;
}

const char* Verdict(bool met) { return met ? "met" : "**missed**"; }

}  // namespace

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

void WriteReport(const BenchOptions& options, const std::vector<RunResult>& runs, std::ostream& out) {
  out << "Workload: " << options.writes << " mixed autocommit writes (seed " << options.seed << "); catch-up "
      << options.catchup_writes << " writes; lag " << options.lag_writes << " writes at " << options.lag_rate
      << "/s; " << options.slaves << " ddb slaves; " << runs.size() << " run(s), medians.\n\n";
  out << "| measure | plain | native | ddb | ratio | target | |\n";
  out << "|---|---:|---:|---:|---:|---|---|\n";

  const double write_ratio = MedianRatio(
      runs, [](auto& r) { return r.ddb.write_s; }, [](auto& r) { return r.plain.write_s; });
  const double native_write_ratio = MedianRatio(
      runs, [](auto& r) { return r.native.write_s; }, [](auto& r) { return r.plain.write_s; });
  out << "| write path (s) | " << Fixed(MedianOf(runs, [](auto& r) { return r.plain.write_s; }), 2) << " | "
      << Fixed(MedianOf(runs, [](auto& r) { return r.native.write_s; }), 2) << " | "
      << Fixed(MedianOf(runs, [](auto& r) { return r.ddb.write_s; }), 2) << " | ddb/plain "
      << Fixed(write_ratio, 2) << " (native/plain " << Fixed(native_write_ratio, 2) << ") | ≤ 1.25 | "
      << Verdict(write_ratio <= 1.25) << " |\n";

  const double e2e_ratio = MedianRatio(
      runs, [](auto& r) { return r.ddb.end_to_end_s; }, [](auto& r) { return r.native.end_to_end_s; });
  out << "| end to end (s) | | " << Fixed(MedianOf(runs, [](auto& r) { return r.native.end_to_end_s; }), 2)
      << " | " << Fixed(MedianOf(runs, [](auto& r) { return r.ddb.end_to_end_s; }), 2) << " | ddb/native "
      << Fixed(e2e_ratio, 2) << " | ≤ 1.0 | " << Verdict(e2e_ratio <= 1.0) << " |\n";

  if (options.catchup_writes > 0) {
    const double ratio = MedianRatio(
        runs, [](auto& r) { return r.ddb.catchup_records_per_s; },
        [](auto& r) { return r.native.catchup_records_per_s; });
    const double ddb_rate = MedianOf(runs, [](auto& r) { return r.ddb.catchup_records_per_s; });
    out << "| catch-up (records/s) | | "
        << Fixed(MedianOf(runs, [](auto& r) { return r.native.catchup_records_per_s; }), 0) << " | "
        << Fixed(ddb_rate, 0) << " | ddb/native " << Fixed(ratio, 2) << " | ≥ 20000 and ≥ 3 × native | "
        << Verdict(ddb_rate >= 20000 && ratio >= 3) << " |\n";
  }
  if (options.lag_writes > 0) {
    const double ddb_p99 = MedianOf(runs, [](auto& r) { return r.ddb.lag.p99_ms; });
    out << "| lag p50 (ms) | | " << Fixed(MedianOf(runs, [](auto& r) { return r.native.lag.p50_ms; }), 1)
        << " | " << Fixed(MedianOf(runs, [](auto& r) { return r.ddb.lag.p50_ms; }), 1) << " | | | |\n";
    const double ddb_max = MedianOf(runs, [](auto& r) { return r.ddb.lag.max_ms; });
    out << "| lag p99 (ms) | | " << Fixed(MedianOf(runs, [](auto& r) { return r.native.lag.p99_ms; }), 1)
        << " | " << Fixed(ddb_p99, 1) << " | | ≤ 10 | " << Verdict(ddb_p99 <= 10) << " |\n";
    out << "| lag max (ms) | | " << Fixed(MedianOf(runs, [](auto& r) { return r.native.lag.max_ms; }), 1)
        << " | " << Fixed(ddb_max, 1) << " | | ≤ 100 | " << Verdict(ddb_max <= 100) << " |\n";
  }
  out << "| peak memory, master (MiB) | | | " << Fixed(PeakKb(runs, true) / 1024.0, 1) << " | | | |\n";
  out << "| peak memory, slave (MiB) | | | " << Fixed(PeakKb(runs, false) / 1024.0, 1) << " | | | |\n";
  const bool equal = std::all_of(runs.begin(), runs.end(), [](const RunResult& r) { return r.all_equal; });
  out << "| all nodes equal (CHECKSUM TABLE) | | | | | yes | " << (equal ? "yes" : "**NO**") << " |\n";
  for (const auto& run : runs) {
    if (!run.native.difference.empty()) out << "\n" << run.native.difference;
    if (!run.ddb.difference.empty()) out << "\n" << run.ddb.difference;
  }

  out << "\nPer run (s; records/s; ms):\n\n| run | plain write | native write | ddb write | native e2e | ddb "
         "e2e "
         "| native catch-up | ddb catch-up | native p99 | ddb p99 "
         "|\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunResult& r = runs[i];
    out << "| " << i + 1 << " | " << Fixed(r.plain.write_s, 2) << " | " << Fixed(r.native.write_s, 2) << " | "
        << Fixed(r.ddb.write_s, 2) << " | " << Fixed(r.native.end_to_end_s, 2) << " | "
        << Fixed(r.ddb.end_to_end_s, 2) << " | " << Fixed(r.native.catchup_records_per_s, 0) << " | "
        << Fixed(r.ddb.catchup_records_per_s, 0) << " | " << Fixed(r.native.lag.p99_ms, 1) << " | "
        << Fixed(r.ddb.lag.p99_ms, 1) << " |\n";
  }
}

void WriteSweepReport(const std::vector<size_t>& batch_sizes, const std::vector<double>& rates, int writes,
                      std::ostream& out) {
  out << "\nddb catch-up by apply_batch_records (" << writes << " records each, one cluster):\n\n"
      << "| apply_batch_records | records/s |\n|---:|---:|\n";
  for (size_t i = 0; i < batch_sizes.size() && i < rates.size(); ++i) {
    out << "| " << batch_sizes[i] << " | " << Fixed(rates[i], 0) << " |\n";
  }
}

}  // namespace ddb::bench
