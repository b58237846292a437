// Test support for levers measured over seeds: the paired 95% interval of b - a (common random
// numbers), asserted to pair every seed and printed; and a broker's front-run loss as the summary
// measures it on the chain, checked against its own `by_victim` entry.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "app/batch/confidence.hpp"

namespace shardsim::testing {

inline app::Interval paired_over_seeds(const std::vector<std::optional<double>>& a,
                                       const std::vector<std::optional<double>>& b, std::size_t seeds,
                                       const std::string& what) {
  const std::optional<app::Interval> d = app::paired_diff_ci95(a, b);
  EXPECT_TRUE(d.has_value()) << what;
  if (!d) return {};
  EXPECT_EQ(d->n, seeds) << what;
  std::printf("%s: %.6g [%.6g, %.6g] over %zu seeds\n", what.c_str(), d->mean, d->ci_low, d->ci_high, d->n);
  return *d;
}

// The first broker's measured front-run loss (USD), equal to the sum of its `by_victim` entries.
inline double broker_frontrun_loss(const nlohmann::ordered_json& results, const std::string& broker = "prime") {
  const double loss = results.at("brokers").at(0).at("frontrun_loss").get<double>();
  double listed = 0;
  for (const nlohmann::ordered_json& v : results.at("frontrun").at("by_victim")) {
    if (v.at("victim") == broker) listed += v.at("usd").get<double>();
  }
  EXPECT_DOUBLE_EQ(loss, listed);
  return loss;
}

}  // namespace shardsim::testing
