// The key tables of the protocols: an entry of shards[].protocols and each kind's `params:`
// (sections named after the kinds).
#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_keys_tables.hpp"

namespace shardsim::app::keys::tables {
namespace {

std::vector<std::string_view> protocol_kind_names() {
  std::vector<std::string_view> out;
  for (const ProtocolKind& k : protocol_kinds()) out.emplace_back(k.kind);
  return out;
}

// ---- protocols ------------------------------------------------------------------------------

Section protocol() {
  std::vector<Variant> variants;
  for (std::string_view kind : protocol_kind_names()) {
    variants.push_back(Variant{kind, {}, {}, {{"params", kind}}});
  }
  // The params sections are named after the kinds: "amm", "lending", ...
  return {"protocol", "One protocol instance on the shard.",
          {
              req({"kind", K::choice, "", "", "The protocol kind.", protocol_kind_names()}),
              req({"name", K::name, "", "", "Unique name of the instance in the topology, e.g. uni."}),
              {"params", K::object, "", "", "The kind's parameters (see the kind)."},
          },
          "kind", std::move(variants)};
}

Section amm_params() {
  return {"amm", "A constant-product pool (Uniswap v2).",
          {
              req({"pair", K::list, "", "", "The two assets, e.g. [ETH, USDC].", {}, {}, K::name}),
              {"fee", K::ratio, "of the input", "0.3%", "Swap fee, in [0, 1)."},
          }};
}

Section lending_params() {
  return {"lending", "A pooled lending market (Aave v2 style).",
          {
              {"close_factor", K::ratio, "of the debt", "50%", "Most of a debt one liquidation may repay, in (0, 100%]."},
              {"assets", K::map, "", "every declared asset the spec has defaults for", "Listed assets and their reserve parameters; `{}` or no value takes the spec's defaults for that symbol.", {}, "lending_reserve", K::object, false, true},
          }};
}

Section lending_reserve() {
  return {"lending_reserve", "A listed asset's reserve parameters (defaults from the spec's table for known symbols).",
          {
              {"u_opt", K::ratio, "", "spec table", "Optimal utilisation (kink), in (0, 1)."},
              {"base", K::ratio, "per year", "spec table", "Borrow rate at 0 utilisation."},
              {"slope1", K::ratio, "per year", "spec table", "Rate slope below u_opt."},
              {"slope2", K::ratio, "per year", "spec table", "Rate slope above u_opt."},
              {"ltv", K::ratio, "", "spec table", "Loan-to-value: borrowing power of this collateral."},
              {"liq_threshold", K::ratio, "", "spec table", "Health threshold, ltv <= liq_threshold <= 1."},
              {"bonus", K::ratio, "", "spec table", "Liquidation bonus as a multiplier, >= 1 (e.g. 105%)."},
              {"reserve_factor", K::ratio, "of interest", "spec table", "Share of interest kept by the protocol, < 1."},
          }};
}

Section perps_params() {
  return {"perps", "A perpetual-futures exchange (dYdX v3 style) with an order book and a vAMM.",
          {
              {"collateral", K::name, "", "USDC", "The margin asset."},
              {"markets", K::map, "", "BTC-PERP and ETH-PERP (those of BTC, ETH declared)", "Markets by name; a name SYMBOL-PERP indexes SYMBOL unless `index` is given.", {}, "perps_market", K::object, false, true},
              {"funding_interval", K::duration, "", "1h", "How often funding is paid."},
              {"funding_interest", K::ratio, "per interval", "0.00125%", "Interest component of funding."},
              {"spread", K::ratio, "", "0", "Half-spread around the index for trades, < 100%."},
              {"liquidation_penalty", K::ratio, "of the notional", "0", "Penalty on a liquidated position, <= 100%."},
              {"liquidator_share", K::ratio, "of the penalty", "0", "Share of the penalty paid to the liquidator, <= 100%."},
              {"insurance_fund", K::amount, "collateral", "0", "Opening insurance fund."},
          }};
}

Section perps_market() {
  return {"perps_market", "One perps market.",
          {
              {"imf", K::ratio, "", "5%", "Initial margin fraction, (0, 100%]."},
              {"mmf", K::ratio, "", "3%", "Maintenance margin fraction, <= imf."},
              {"index", K::name, "", "from the name", "The asset the market tracks."},
              {"vamm_depth", K::amount, "USD", "infinite", "Virtual quote reserve of the vAMM at its peg: a finite depth moves the price with size."},
          }};
}

Section synthetics_params() {
  return {"synthetics", "A debt-pool synthetics protocol (Synthetix style): stakers issue sUSD and synths.",
          {
              {"collateral", K::name, "", "SNX", "The staked asset."},
              {"synths", K::list, "", "[sUSD, sBTC, sETH]", "Synth symbols, sUSD among them.", {}, {}, K::name},
              {"prices", K::map, "", "the symbol without its leading s", "What each synth tracks, e.g. {sBTC: BTC}.", {}, {}, K::name},
              {"exchange_fee", K::map, "", "spec per synth", "Exchange fee per synth, 0..50%, e.g. {sBTC: 1%}.", {}, {}, K::ratio},
              {"issuance_ratio", K::ratio, "debt / collateral", "1/3", "Most debt a staker may issue, in (0, liquidation_ratio)."},
              {"liquidation_ratio", K::ratio, "debt / collateral", "2/3", "A staker above it can be flagged, < 1."},
              {"liquidation_penalty", K::ratio, "", "30%", "Bonus collateral a liquidator takes."},
              {"liquidation_delay", K::duration, "", "12h", "Time between flag and liquidation."},
              {"reserve", K::name, "", "", "A backstop reserve asset (neither the collateral nor a synth)."},
          }};
}

Section prediction_params() {
  return {"prediction", "A prediction market protocol (Augur style, LMSR pricing).",
          {
              {"collateral", K::name, "", "USDC", "The asset shares are priced in."},
              {"b", K::amount, "collateral", "1000", "LMSR liquidity parameter, > 0."},
              {"creator_fee", K::ratio, "of payouts", "1%", "Fee to the market creator."},
              {"reporting_fee", K::ratio, "of payouts", "0.5%", "Fee to reporters; creator_fee + reporting_fee < 100%."},
              {"fork_threshold", K::amount, "collateral", "100000", "Dispute stake that forks the universe."},
              {"dispute_window", K::duration, "", "24h", "How long a report can be disputed."},
              {"designated_report_window", K::duration, "", "24h", "How long the designated reporter has after the end."},
              {"fork_freeze", K::duration, "", "60d", "How long a fork freezes the market."},
              {"report_bond", K::amount, "collateral", "10", "Bond of the designated report."},
          }};
}

Section options_params() {
  return {"options", "An options protocol (Opyn Gamma style): series as tokens, vaults minting them against collateral.",
          {
              {"cash", K::name, "", "USDC", "The cash asset: strikes, put collateral and cash payouts."},
              req({"series", K::map, "", "", "Option series by token symbol (each a declared asset), e.g. {ETH-2000-C: {...}}.", {}, "options_series", K::object}),
              {"settlement", K::choice, "", "cash", "cash: holders redeem the payout in cash; physical: holders exercise in the money.", {"cash", "physical"}},
              {"locking_period", K::duration, "", "0s", "After expiry, before the expiry price can be reported."},
              {"dispute_window", K::duration, "", "2h", "After the report, when the disputer may replace the price; nothing settles before it ends."},
              {"exercise_window", K::duration, "", "1h", "physical: how long holders may exercise after the price is final."},
              {"disputer", K::name, "", "", "The account that may dispute the expiry price (none: no disputes)."},
              {"volatility", K::ratio, "per year", "80%", "Volatility of the Black-Scholes mark, > 0."},
          }};
}

Section darkpool_params() {
  return {"darkpool", "A dark pool: orders rest unseen and cross at the oracle mid when contra liquidity arrives.",
          {
              req({"underlying", K::name, "", "", "The asset traded (a declared asset)."}),
              {"quote", K::name, "", "USDC", "The asset it is paid in."},
              {"maker", K::name, "", "", "The account (on the pool's shard) funding the contra flow; none: no flow."},
              {"contra_every", K::duration, "", "0s", "Mean time between the maker's contra orders (Poisson); 0: no flow."},
              {"contra_size", K::amount, "underlying", "", "Size of each contra order; needed with contra_every."},
              {"contra_buy_share", K::ratio, "of contra orders", "50%", "The share of contra orders that buy the underlying."},
              {"ttl", K::duration, "", "10m", "A resting order's time-to-live; then its escrow goes back to its owner."},
              {"flow_seed", K::count, "", "1", "Seed of the contra flow's random stream."},
          }};
}

Section options_series() {
  return {"options_series", "One option series.",
          {
              req({"underlying", K::name, "", "", "The underlying asset (not the cash asset)."}),
              req({"strike", K::amount, "cash per underlying", "", "The strike price, > 0."}),
              req({"expiry", K::duration, "since the start", "", "When the series expires."}),
              req({"type", K::choice, "", "", "call or put.", {"call", "put"}}),
          }};
}

}  // namespace

std::vector<Section> protocol_sections() {
  return {protocol(), amm_params(), lending_params(), lending_reserve(), perps_params(), perps_market(),
          synthetics_params(), prediction_params(), options_params(), options_series(), darkpool_params()};
}

}  // namespace shardsim::app::keys::tables
