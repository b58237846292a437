// Models a run's outcome at a glance (the headline that ends `shardsim run` and opens its
// report page): bad debt by layer, liquidations and cascade depth, and per broker its P&L, margin
// efficiency, hedges settled and failed, settlement latency, front-run and latency loss. Built
// from the summary only, so the terminal, the page and summary.json agree.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace shardsim::app {

// {fingerprint, complete, bad_debt_usd{layer: USD}, liquidations, cascade_depth, brokers[{name,
// pnl_usd, margin_efficiency, hedges_settled, hedges_failed, settlement_p50_s, settlement_p99_s,
// frontrun_loss_usd, latency_loss_usd, insolvent}]}; absent parts of the summary are left out.
nlohmann::ordered_json run_headline(const nlohmann::ordered_json& summary);

// The headline as lines for the terminal: amounts in USD with thousands separators, times in s.
std::string headline_text(const nlohmann::ordered_json& headline);

// An amount for people: thousands separators, no decimals from 100 up, two below (0 is "0").
std::string format_usd(double usd);

}  // namespace shardsim::app
