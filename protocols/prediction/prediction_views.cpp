// What the prediction protocol reports: state as exact decimal strings, the per-share values
// it publishes for revaluation, and one instrument per outcome share (`NAME.MARKET-OUTCOME`).
#include <algorithm>

#include "protocols/prediction/lmsr.hpp"
#include "protocols/prediction/prediction_protocol.hpp"

namespace shardsim::protocols::prediction {
namespace {

std::string wad_str(i128 wad) { return core::Amount::units(wad).str(18); }
std::string prob_str(double p) { return wad_str(double_to_wad(std::clamp(p, 0.0, 1.0))); }

// Per-share value: the LMSR price while open; after finalisation what a share redeems for.
std::vector<double> share_values(const Market& m, const Params& p) {
  if (!m.finalized) return lmsr::prices(m.maker_q_units, m.b_units);
  const double net = 1.0 - wad_to_double(p.creator_fee_wad) - wad_to_double(p.reporting_fee_wad);
  std::vector<double> v(m.n(), 0.0);
  for (std::size_t i = 0; i < m.n(); ++i) {
    if (m.final_outcome == kInvalidOutcome) v[i] = net / static_cast<double>(m.n());
    else if (i == m.final_outcome) v[i] = net;
  }
  return v;
}

}  // namespace

nlohmann::ordered_json PredictionProtocol::state(const ShardContext& ctx) const {
  const int dec = ctx.decimals(params_.collateral);
  const auto amt = [dec](i128 units) { return core::Amount::units(units).str(dec); };
  nlohmann::ordered_json out;
  out["collateral"] = ctx.asset_symbol(params_.collateral);
  out["b"] = params_.b.str(dec);
  out["creator_fee"] = wad_str(params_.creator_fee_wad);
  out["reporting_fee"] = wad_str(params_.reporting_fee_wad);
  out["fork_threshold"] = params_.fork_threshold.str(dec);
  out["report_bond"] = params_.report_bond.str(dec);
  out["dispute_window"] = params_.dispute_window.str();
  out["designated_report_window"] = params_.designated_report_window.str();
  out["fork_freeze"] = params_.fork_freeze.str();
  nlohmann::ordered_json markets = nlohmann::ordered_json::object();
  for (const auto& [id, m] : markets_) {
    nlohmann::ordered_json j;
    j["status"] = m.status(ctx.now());
    j["outcomes"] = m.outcomes;
    j["creator"] = ctx.account_name(m.creator);
    j["designated_reporter"] = ctx.account_name(m.designated_reporter);
    j["end"] = m.end.str();
    const std::vector<double> prices = lmsr::prices(m.maker_q_units, m.b_units);
    nlohmann::ordered_json price_j, shares_j, stakes_j;
    for (std::size_t i = 0; i < m.n(); ++i) {
      price_j[m.outcomes[i]] = prob_str(prices[i]);
      shares_j[m.outcomes[i]] = amt(m.outstanding_units[i]);
      stakes_j[m.outcomes[i]] = amt(m.stake_units[i]);
    }
    j["prices"] = price_j;
    j["shares_outstanding"] = shares_j;
    j["stakes"] = stakes_j;
    j["tentative_outcome"] = m.reported ? nlohmann::ordered_json(m.outcomes[m.tentative]) : nullptr;
    j["final_outcome"] = m.finalized ? nlohmann::ordered_json(m.outcomes[m.final_outcome]) : nullptr;
    j["round"] = m.round;
    j["collateral"] = amt(m.collateral_units);
    j["subsidy"] = amt(m.subsidy_units);
    j["complete_sets"] = amt(m.complete_sets_units);
    j["holders"] = m.holdings.size();
    if (m.reported && !m.finalized && !m.forked) {
      nlohmann::ordered_json bonds, filled;
      for (std::size_t i = 0; i < m.n(); ++i) {
        if (i == m.tentative) continue;
        bonds[m.outcomes[i]] = amt(m.dispute_bond_units(i));
        filled[m.outcomes[i]] = amt(m.partial_units[i]);
      }
      j["dispute_bonds"] = bonds;
      j["dispute_filled"] = filled;
      j["window_ends"] = (m.round_start + params_.dispute_window).str();
    }
    if (m.forked) j["fork_ends"] = m.fork_ends.str();
    if (m.finalized) j["burned"] = amt(m.burned_units);
    markets[id] = std::move(j);
  }
  out["markets"] = std::move(markets);
  return out;
}

ProtocolSnapshot PredictionProtocol::snapshot(const ShardContext& ctx) const {
  ProtocolSnapshot s;
  s.taken_at_us = ctx.now().count_us();
  for (const auto& [id, m] : markets_) {
    const std::vector<double> v = share_values(m, params_);
    for (std::size_t i = 0; i < m.n(); ++i) s.values.emplace_back(id + "-" + m.outcomes[i], v[i]);
    // 1 while the maker trades (a broker accepts orders in the shares only then), else 0.
    const bool open = !m.reported && !m.finalized && ctx.now() < m.end;
    s.values.emplace_back(id + ".open", open ? 1.0 : 0.0);
  }
  return s;
}

std::vector<InstrumentDescriptor> PredictionProtocol::instruments(const ShardContext&) const {
  std::vector<InstrumentDescriptor> out;
  for (const auto& [id, m] : markets_) {
    for (InstrumentDescriptor& d : outcome_claims(name_, id, m.outcomes)) out.push_back(std::move(d));
  }
  return out;
}

}  // namespace shardsim::protocols::prediction
