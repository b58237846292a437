// The prediction protocol's typed risk query: shares its markets' collateral could not pay in
// their worst outcome (once final, in their final outcome) are its bad debt (valued at the
// collateral's oracle price, 1 USD without one); nobody borrows or is liquidated, so no account
// is ever at risk.
#include "protocols/prediction/prediction_protocol.hpp"

namespace shardsim::protocols::prediction {

ProtocolQueries PredictionProtocol::queries() const {
  ProtocolQueries q;
  q.risk = this;
  q.claims = this;
  return q;
}

i128 PredictionProtocol::bad_debt_usd_wad(const ShardContext& ctx) const {
  i128 short_units = 0;
  for (const auto& [id, m] : markets_) {
    // Once final, the market keeps only what its final outcome pays (finalize returns the rest).
    const i128 liability = m.finalized ? m.settlement_liability_units(m.final_outcome) : m.worst_case_liability_units();
    if (liability > m.collateral_units) short_units += liability - m.collateral_units;
  }
  if (short_units == 0) return 0;
  const auto price = ctx.oracle_price_wad(params_.collateral);
  const i128 unit = pow10(ctx.decimals(params_.collateral));
  try {
    return mul_div(short_units, price && *price > 0 ? *price : kWadUnit, unit, Round::up);
  } catch (const ArithmeticError&) {
    return 0;
  }
}

void PredictionProtocol::accounts_at_risk(const ShardContext&, i128, std::vector<AccountHealth>&) const {}

// No insurance fund, nothing socialised: what a market cannot pay is its bad debt.
i128 PredictionProtocol::insurance_fund_usd_wad(const ShardContext&) const { return 0; }
i128 PredictionProtocol::insurance_drawn_usd_wad(const ShardContext&) const { return 0; }
i128 PredictionProtocol::socialised_usd_wad(const ShardContext&) const { return 0; }

}  // namespace shardsim::protocols::prediction
