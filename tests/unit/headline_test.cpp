// Tests the run headline (app/output/headline.hpp): what it reads from a summary and how the
// terminal shows amounts.
#include <gtest/gtest.h>

#include "app/output/headline.hpp"

namespace shardsim::app {
namespace {

using nlohmann::ordered_json;

TEST(Headline, AmountsReadAsPeopleWriteThem) {
  EXPECT_EQ(format_usd(0), "0");
  EXPECT_EQ(format_usd(387708.4259), "387,708");
  EXPECT_EQ(format_usd(-21199200), "-21,199,200");
  EXPECT_EQ(format_usd(40), "40.00");
  EXPECT_EQ(format_usd(-0.004), "0.00");
  EXPECT_EQ(format_usd(999.5), "1,000");
}

TEST(Headline, ReadsLayersLiquidationsAndBrokersFromTheSummary) {
  const ordered_json summary = ordered_json::parse(R"({
    "fingerprint": "17dc5eec63680b9a", "complete": true,
    "cascade": {"liquidations": {"protocols": {"aave": 12}, "brokers": {"prime": 3}},
                "bad_debt": {"protocol": 387708.4, "broker": 0.0, "per_protocol": {"aave": 387708.4}},
                "depth": 4},
    "brokers": [{"name": "prime", "pnl": -1234.5, "margin": {"efficiency": 3.2},
                 "hedges": {"committed": 40, "compensated": 2},
                 "settlement_latency_ms": {"p50": 4100, "p99": 12000},
                 "frontrun_loss": 12.5, "latency_loss": 99.0, "insolvent": false}]})");
  const ordered_json h = run_headline(summary);
  EXPECT_EQ(h.at("fingerprint"), "17dc5eec63680b9a");
  EXPECT_EQ(h.at("bad_debt_usd").size(), 2u);  // the per-protocol breakdown is not a layer
  EXPECT_EQ(h.at("liquidations"), 15u);
  EXPECT_EQ(h.at("cascade_depth"), 4);
  const ordered_json& b = h.at("brokers").at(0);
  EXPECT_EQ(b.at("hedges_settled"), 40);
  EXPECT_EQ(b.at("hedges_failed"), 2);
  EXPECT_DOUBLE_EQ(b.at("settlement_p50_s").get<double>(), 4.1);
  const std::string text = headline_text(h);
  EXPECT_NE(text.find("bad debt (USD): protocol 387,708 | broker 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("liquidations: 15 | cascade depth: 4"), std::string::npos) << text;
  EXPECT_NE(text.find("broker prime: P&L -1,234 USD | margin efficiency 3.20x | hedges 40 settled, 2 failed | "
                      "settlement p50 4.1 s, p99 12 s | front-run loss 12.50 USD | latency loss 99.00 USD\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace shardsim::app
