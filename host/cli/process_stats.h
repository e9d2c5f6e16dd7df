// This process's own resource use, for the figures commands report.
#pragma once

#include <cstdint>
#include <vector>

namespace tether::cli {

double cpu_seconds();         // user + system, all threads
double thread_cpu_seconds();  // the calling thread alone
double peak_rss_mb();   // resident set high-water mark
double rss_mb();        // resident set now

// The p-th percentile (0..100) by nearest rank; 0 for an empty list.
double percentile(std::vector<int64_t> values, double p);

}  // namespace tether::cli
