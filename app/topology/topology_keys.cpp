// The topology language's key tables: every section the loader reads, key by key (type, unit,
// default, allowed values, meaning). Defaults are written as the loader applies them.
#include "app/topology/topology_keys.hpp"

#include <algorithm>
#include <stdexcept>

#include "agents/agent_config.hpp"
#include "app/topology/protocol_kinds.hpp"
#include "broker/broker_config.hpp"

namespace shardsim::app::keys {
namespace {

using K = Kind;

template <typename E, int N>
std::vector<std::string_view> names_of(const char* (*name_of)(E)) {
  std::vector<std::string_view> out;
  for (int i = 0; i < N; ++i) out.emplace_back(name_of(static_cast<E>(i)));
  return out;
}

std::vector<std::string_view> protocol_kind_names() {
  std::vector<std::string_view> out;
  for (const ProtocolKind& k : protocol_kinds()) out.emplace_back(k.kind);
  return out;
}

Key req(Key k) {
  k.required = true;
  return k;
}

// ---- root and small sections ------------------------------------------------------------------

Section root() {
  return {"topology", "A shardsim topology: the world to simulate, one YAML document.",
          {
              req({"name", K::text, "", "", "The topology's name, shown in outputs."}),
              {"seed", K::count, "", "1", "Root seed of every random stream; `run --seed` overrides it."},
              req({"duration", K::duration, "", "", "How long the run lasts in virtual time, e.g. 1h."}),
              {"assets", K::map, "", "", "The assets of the world by symbol, with their decimals.", {}, "asset", K::object},
              {"prices", K::object, "", "", "The true-price process that oracles, agents and brokers observe.", {}, "prices"},
              req({"shards", K::list, "", "", "The shards (blockchains): block timing, gas, fees, protocols, oracle feeds.", {}, "shard", K::object}),
              req({"links", K::object, "", "", "Message latency between shards, receipts, and users' access latency.", {}, "links"}),
              {"accounts", K::map, "", "", "Named user accounts, each living on one shard, with opening balances.", {}, "account", K::object},
              {"brokers", K::list, "", "", "Prime brokers: a ledger on a home shard that nets clients' positions and hedges on venues.", {}, "broker", K::object},
              {"clearing", K::object, "", "", "Clearing cycles that settle obligations between brokers (needs brokers).", {}, "clearing"},
              {"faults", K::list, "", "", "Faults injected at fixed times: halts, partitions, latency spikes, oracle faults, crashes, defaults.", {}, "fault", K::object},
              {"script", K::list, "", "", "Actions at fixed times: transactions, broker requests and price moves.", {}, "script_entry", K::object},
              {"agents", K::list, "", "", "Populations of autonomous agents (traders, arbitrageurs, liquidators, searchers, LPs).", {}, "agent", K::object},
              {"workload", K::object, "", "kind: none", "Background message traffic between shards.", {}, "workload"},
              {"limits", K::object, "", "", "Guards that stop a runaway run.", {}, "limits"},
              {"outputs", K::object, "", "", "What the run writes besides summary.json.", {}, "outputs"},
          }};
}

Section asset() {
  return {"asset", "One asset (the map key is its symbol, e.g. USDC): `{decimals: 6}` or `{}`.",
          {{"decimals", K::count, "digits", "18", "Decimal places of the smallest unit, 0..30."}}};
}

Section workload() {
  return {"workload", "Background traffic: `kind: ping` sends pings between random shard pairs.",
          {
              req({"kind", K::choice, "", "none", "none, or ping.", {"none", "ping"}}),
              {"per_shard_per_second", K::decimal, "messages per second per shard", "0", "Ping rate of each shard, >= 0."},
              {"payload_bytes", K::count, "bytes", "8", "Payload of each ping."},
          }};
}

Section limits() {
  return {"limits", "Guards against runaway runs; a run stopped by one is reported as incomplete.",
          {
              {"max_pending_events", K::count, "events", "50M", "Most events queued at once, >= 1."},
              {"max_events", K::count, "events", "0", "Most events processed in all; 0 = unlimited."},
              {"max_inflight_calls", K::count, "calls", "10k", "Most cross-shard calls in flight at once, >= 1."},
          }};
}

Section outputs() {
  return {"outputs", "What a run writes besides summary.json.",
          {
              {"timeseries_every", K::duration, "", "1m", "Sampling interval of timeseries.csv, > 0."},
              {"trace", K::boolean, "", "false", "Write events.csv (every message and settlement event); `run --trace` also sets it."},
          }};
}

Section clearing() {
  return {"clearing", "Clearing cycles between brokers (broker obligations: payments, variation margin).",
          {
              {"cycle", K::duration, "", "1m", "How often a cycle settles the obligations due, > 0."},
              {"mode", K::choice, "", "multilateral", "gross settles each obligation; multilateral nets them across brokers first.", {"gross", "multilateral"}},
          }};
}

// ---- latency --------------------------------------------------------------------------------

Section latency() {
  return {"latency",
          "A latency model: constant, uniform, lognormal, normal or empirical; `min` floors every draw.",
          {
              req({"model", K::choice, "", "", "The distribution of delays.", {"constant", "uniform", "lognormal", "normal", "empirical"}}),
              {"value", K::duration, "", "", "constant: the delay."},
              {"low", K::duration, "", "", "uniform: the lowest delay."},
              {"high", K::duration, "", "", "uniform: the highest delay, >= low."},
              {"median", K::duration, "", "", "lognormal: the median delay."},
              {"sigma", K::decimal, "of log(delay)", "", "lognormal: standard deviation of the log, > 0."},
              {"mean", K::duration, "", "", "normal: the mean delay."},
              {"stddev", K::duration, "", "", "normal: the standard deviation."},
              {"table", K::list, "", "", "empirical: delays drawn by weight, e.g. [2s, 3s] or [{value: 2s, weight: 3}].", {}, "empirical_point", K::object},
              {"min", K::duration, "", "", "A floor applied to every draw (also the link's lower bound)."},
          },
          "model",
          {
              {"constant", {"model", "value", "min"}, {"value"}},
              {"uniform", {"model", "low", "high", "min"}, {"low", "high"}},
              {"lognormal", {"model", "median", "sigma", "min"}, {"median", "sigma"}},
              {"normal", {"model", "mean", "stddev", "min"}, {"mean", "stddev"}},
              {"empirical", {"model", "table", "min"}, {"table"}},
          }};
}

Section empirical_point() {
  return {"empirical_point", "One entry of an empirical table: a duration, or `{value, weight}`.",
          {
              req({"value", K::duration, "", "", "The delay."}),
              {"weight", K::decimal, "", "1", "Relative weight of this entry, > 0."},
          }};
}

// ---- prices ---------------------------------------------------------------------------------

Section prices() {
  return {"prices",
          "The true-price process: a model over the priced assets, sampled on a grid of `step`.",
          {
              req({"model", K::choice, "", "", "gbm (independent), correlated_gbm (with `correlations`), jump_diffusion (with jumps) or replay (from a CSV).", {"gbm", "correlated_gbm", "jump_diffusion", "replay"}}),
              {"step", K::duration, "", "1s", "Grid of the precomputed price path."},
              {"assets", K::map, "", "", "Priced assets by symbol (required unless model is replay).", {}, "priced_asset", K::object},
              {"correlations", K::map, "", "", "correlated_gbm: pairwise correlations of the log returns, e.g. {ETH-BTC: 0.8}; pairs not given are 0.", {}, {}, K::ratio},
              {"replay", K::object, "", "", "replay: the CSV file of `time,asset,price` rows.", {}, "replay"},
          },
          "model",
          {
              {"gbm", {"model", "step", "assets"}, {"assets"}},
              {"correlated_gbm", {"model", "step", "assets", "correlations"}, {"assets"}},
              {"jump_diffusion", {"model", "step", "assets"}, {"assets"}},
              {"replay", {"model", "step", "replay"}, {"replay"}},
          }};
}

Section priced_asset() {
  return {"priced_asset",
          "One priced asset (the map key is its symbol): its own process, or `{peg: OTHER}`.",
          {
              {"initial", K::decimal, "USD", "", "Starting price, > 0 (required unless pegged)."},
              {"vol_annual", K::ratio, "per year", "0", "Annualised volatility, e.g. 80%."},
              {"drift_annual", K::ratio, "per year", "0", "Annualised drift, e.g. -20%."},
              {"jump_intensity_annual", K::decimal, "jumps per year", "0", "jump_diffusion: expected jumps a year."},
              {"jump_mean", K::ratio, "", "0", "jump_diffusion: mean relative jump size."},
              {"jump_stddev", K::ratio, "", "0", "jump_diffusion: standard deviation of the jump size."},
              {"peg", K::name, "", "", "Pegged: the price is this asset's times a ratio that only a depeg fault moves; no other key then."},
          }};
}

Section replay() {
  return {"replay", "A replay file of `time,asset,price` rows.",
          {req({"file", K::text, "path", "", "The CSV file, relative to the topology's directory."})}};
}

// ---- shards and links ------------------------------------------------------------------------

Section shard() {
  return {"shard", "One shard: a chain with its own blocks, gas, fees, protocols and oracle feeds.",
          {
              req({"id", K::name, "", "", "Unique shard id, e.g. lend."}),
              req({"slot", K::duration, "", "", "Block interval, > 0."}),
              {"slot_offset", K::duration, "", "0s", "When the first block comes, 0 <= offset < slot."},
              req({"gas_per_block", K::count, "gas", "", "Gas a block holds, >= 1."}),
              {"fee_asset", K::name, "", "", "The asset fees are paid in; without it every fee is 0."},
              {"base_fee", K::amount, "fee asset per gas", "0", "Base fee per gas (needs fee_asset unless 0)."},
              {"access_latency", K::latency, "", "links.access_latency", "Delay from a user to this shard; overrides links.access_latency."},
              {"mempool_observe_delay", K::duration, "", "100ms", "How late the public mempool feed shows a transaction to observers (searchers)."},
              {"gas", K::object, "", "", "Gas cost of each kind of transaction.", {}, "gas"},
              {"protocols", K::list, "", "", "Protocols deployed on this shard.", {}, "protocol", K::object},
              {"oracles", K::object, "", "", "Oracle feeds on this shard (a broker's home needs them).", {}, "oracles"},
          }};
}

Section gas() {
  return {"gas", "Gas per transaction kind; each at most gas_per_block.",
          {
              {"transfer", K::count, "gas", "21000", "A transfer."},
              {"bridge", K::count, "gas", "60000", "A bridge to another shard."},
              {"oracle_update", K::count, "gas", "50000", "An oracle update."},
              {"protocol_call", K::count, "gas", "150000", "A protocol operation."},
          }};
}

Section oracles() {
  return {"oracles", "Push oracles: a keeper publishes a price on deviation or heartbeat.",
          {
              req({"assets", K::list, "", "", "Priced assets with a feed on this shard, e.g. [ETH, BTC].", {}, {}, K::name}),
              {"deviation", K::ratio, "", "0.5%", "Publish when the price moved more than this since the last update, > 0."},
              {"heartbeat", K::duration, "", "1h", "Publish at least this often."},
              {"check_every", K::duration, "", "1s", "How often the keeper looks."},
              {"source", K::name, "", "", "An AMM on this shard whose spot price the feed reads instead of the true price (manipulable)."},
          }};
}

Section links() {
  return {"links", "Latency between shards: a default, per-pair overrides, and how receipts travel.",
          {
              req({"default", K::object, "", "", "The latency of every pair not listed.", {}, "link_default"}),
              {"pairs", K::list, "", "", "Directed overrides {from, to, latency}.", {}, "link_pair", K::object},
              {"receipts", K::choice, "", "optimistic", "optimistic: a receipt travels at once; finalized: after `finality` blocks.", {"optimistic", "finalized"}},
              {"finality", K::count, "blocks", "64", "Blocks deep before a finalized receipt is sent, >= 1."},
              {"receipts_per_block", K::count, "receipts", "256", "Receipts a destination block takes in, >= 1."},
              {"access_latency", K::latency, "", "constant 100ms", "Default delay from a user to any shard."},
          }};
}

Section link_default() {
  return {"link_default", "The default link.", {req({"latency", K::latency, "", "", "Latency of a message between two shards."})}};
}

Section link_pair() {
  return {"link_pair", "One directed link.",
          {
              req({"from", K::name, "", "", "Sending shard id."}),
              req({"to", K::name, "", "", "Receiving shard id."}),
              req({"latency", K::latency, "", "", "Latency on this link."}),
          }};
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

// ---- accounts and script --------------------------------------------------------------------

constexpr std::string_view kAccountPattern = "^[A-Za-z0-9_:.-]{1,64}$";

Section account() {
  return {"account", "One account (the map key is its name, e.g. alice).",
          {
              req({"shard", K::name, "", "", "The shard the account lives on."}),
              {"balances", K::map, "", "", "Opening balances by asset, e.g. {ETH: 100}.", {}, {}, K::amount},
          }};
}

Section script_entry() {
  return {"script_entry", "One scripted action at a time since the start: exactly one of tx, price, broker.",
          {
              req({"at", K::duration, "since the start", "", "When it happens (at or after the end: a warning, it never happens)."}),
              {"tx", K::object, "", "", "A transaction sent by an account.", {}, "script_tx"},
              {"price", K::object, "", "", "A move of the true price.", {}, "script_price"},
              {"broker", K::object, "", "", "A client's request to a broker.", {}, "script_broker"},
          },
          {}, {}, {"tx", "price", "broker"}};
}

Section script_tx() {
  return {"script_tx",
          "A transaction: a native op (transfer, bridge) or, with `protocol`, one of the protocol's ops.",
          {
              req({"from", K::name, "", "", "The sending account.", {}, {}, K::text, false, false, kAccountPattern}),
              req({"shard", K::name, "", "", "The shard it is sent to: the account's shard."}),
              {"privacy", K::choice, "", "public", "public goes through the mempool feed; private by a private relay.", {"public", "private"}},
              {"protocol", K::name, "", "", "A protocol on that shard; `op` is then one of its ops."},
              req({"op", K::text, "", "", "transfer or bridge without protocol; else an op of the protocol's kind (see docs/protocols.md)."}),
              {"args", K::map, "", "", "The op's arguments: transfer {to, asset, amount}, bridge {to_shard, asset, amount}, or the protocol op's.", {}, {}, K::scalar},
              {"priority_fee", K::amount, "fee asset per gas", "0", "Tip per gas on top of the base fee."},
          },
          "op",
          {{"transfer", {}, {"args"}, {{"args", "tx_args_transfer"}}, {}, "A native transfer (no protocol)."},
           {"bridge", {}, {"args"}, {{"args", "tx_args_bridge"}}, {}, "A native bridge (no protocol)."}}};
}

Section script_price() {
  return {"script_price", "A true-price move: `set` jumps to a price, `shock` moves by a ratio (over a time).",
          {
              req({"asset", K::name, "", "", "A priced asset."}),
              {"set", K::decimal, "USD", "", "Jump to this price, > 0."},
              {"shock", K::ratio, "", "", "Relative move, > -100%, e.g. -40%."},
              {"over", K::duration, "", "0s", "shock: spread over this long."},
          },
          {}, {}, {"set", "shock"}};
}

Section script_broker() {
  std::vector<Variant> variants{
      {"deposit", {}, {}, {{"args", "broker_args_deposit"}}},
      {"withdraw", {}, {}, {{"args", "broker_args_withdraw"}}},
      {"order", {}, {}, {{"args", "broker_args_order"}}},
      {"pledge", {}, {}, {{"args", "broker_args_pledge"}}},
      {"pay", {}, {}, {{"args", "broker_args_pay"}}},
  };
  return {"script_broker", "A client's request to its broker.",
          {
              req({"client", K::name, "", "", "The client account.", {}, {}, K::text, false, false, kAccountPattern}),
              req({"broker", K::name, "", "", "The broker."}),
              req({"op", K::choice, "", "", "What the client asks.", {"deposit", "withdraw", "order", "pay", "pledge"}}),
              req({"args", K::object, "", "", "The op's arguments (see the op)."}),
          },
          "op", std::move(variants)};
}

Section broker_args_transfer(std::string_view id, std::string_view shard_key, std::string_view what) {
  return {id, what,
          {
              req({shard_key, K::name, "", "", "The shard the funds move from (deposit) or to (withdraw)."}),
              req({"asset", K::name, "", "", "The asset."}),
              req({"amount", K::amount, "asset", "", "How much, > 0."}),
          }};
}

Section broker_args_order(std::string_view id, bool pledge) {
  Section s{id, pledge ? "Pledge a held instrument (LP shares) as collateral." : "An order on an instrument the broker clears.",
            {
                req({"instrument", K::text, "", "", "PROTOCOL.SYMBOL, e.g. dydx.BTC-PERP or uni.LP."}),
                req({"qty", K::amount, "units", "", pledge ? "Quantity pledged, > 0." : "Signed quantity, != 0 (negative sells)."}),
            }};
  Key limit{"limit", K::amount, "USD", "", pledge ? "Not allowed: a pledge has no limit price." : "Limit price, > 0."};
  limit.rejected = pledge;
  s.keys.push_back(limit);
  return s;
}

Section broker_args_pay() {
  return {"broker_args_pay", "A payment from the client to another client.",
          {
              req({"to", K::name, "", "", "The paid account.", {}, {}, K::text, false, false, kAccountPattern}),
              {"to_broker", K::name, "", "the payer's broker", "The payee's broker; another broker needs clearing:."},
              req({"asset", K::name, "", "", "The asset."}),
              req({"amount", K::amount, "asset", "", "How much, > 0."}),
          }};
}

Section native_args(std::string_view op) {
  const bool transfer = op == "transfer";
  Section s{transfer ? "tx_args_transfer" : "tx_args_bridge",
            transfer ? "Arguments of a transfer between two accounts on the shard." : "Arguments of a bridge to the same account on another shard.",
            {}};
  if (transfer) {
    s.keys.push_back(req({"to", K::name, "", "", "The receiving account.", {}, {}, K::text, false, false, kAccountPattern}));
  } else {
    s.keys.push_back(req({"to_shard", K::name, "", "", "The destination shard."}));
  }
  s.keys.push_back(req({"asset", K::name, "", "", "The asset."}));
  s.keys.push_back(req({"amount", K::amount, "asset", "", "How much, > 0."}));
  return s;
}

// ---- faults ---------------------------------------------------------------------------------

Key lasts(std::string_view name, bool required, std::string_view fallback, std::string_view what) {
  Key k{name, K::duration, "", fallback, what};
  k.required = required;
  return k;
}

Section fault() {
  return {"fault", "One fault at a time since the start: exactly one fault kind key.",
          {
              req({"at", K::duration, "since the start", "", "When it starts."}),
              {"shard_halt", K::object, "", "", "A shard produces no blocks.", {}, "fault_shard_halt"},
              {"latency_spike", K::object, "", "", "Messages on a directed link slow down.", {}, "fault_latency_spike"},
              {"partition", K::object, "", "", "Groups of shards cannot reach each other.", {}, "fault_partition"},
              {"oracle", K::object, "", "", "A feed goes stale, is manipulated or delayed.", {}, "fault_oracle"},
              {"tx_drop", K::object, "", "", "A shard drops transactions at random.", {}, "fault_tx_drop"},
              {"price_crash", K::object, "", "", "The true price moves sharply.", {}, "fault_price_crash"},
              {"depeg", K::object, "", "", "A pegged asset leaves its peg.", {}, "fault_depeg"},
              {"protocol_insolvency", K::object, "", "", "An exploit drains a protocol.", {}, "fault_protocol_insolvency"},
              {"broker_default", K::object, "", "", "A broker defaults: the loss waterfall runs.", {}, "fault_broker_default"},
              {"gas_spike", K::object, "", "", "A shard's base fee multiplies.", {}, "fault_gas_spike"},
              {"receipt_drop", K::object, "", "", "Receipts on a directed link are lost.", {}, "fault_receipt_drop"},
          },
          {}, {},
          {"shard_halt", "latency_spike", "partition", "oracle", "tx_drop", "price_crash", "depeg",
           "protocol_insolvency", "broker_default", "gas_spike", "receipt_drop"}};
}

std::vector<Section> fault_kinds() {
  const Key duration = lasts("duration", true, "", "How long it lasts.");
  const Key from{"from", K::name, "", "", "Sending shard.", {}, {}, K::text, true};
  const Key to{"to", K::name, "", "", "Receiving shard (another shard).", {}, {}, K::text, true};
  const Key shard{"shard", K::name, "", "", "The shard.", {}, {}, K::text, true};
  const Key asset{"asset", K::name, "", "", "The asset.", {}, {}, K::text, true};
  return {
      {"fault_shard_halt", "A shard halts.", {shard, duration}},
      {"fault_latency_spike", "Adds to and/or multiplies the link's latency (at least one of add, factor).",
       {from, to, {"add", K::duration, "", "", "Delay added to each message."},
        {"factor", K::decimal, "", "", "Multiplier of each delay, >= 1."}, duration}},
      {"fault_partition", "Shards in different groups cannot exchange messages; shards not listed form one more group.",
       {req({"groups", K::list, "", "", "Groups of shard ids, e.g. [[a, b], [c]].", {}, {}, K::list}), duration}},
      {"fault_oracle", "An oracle feed fault.",
       {shard, asset,
        req({"mode", K::choice, "", "", "stale: no updates; manipulated: publishes `value`; delayed: updates late.", {"stale", "manipulated", "delayed"}}),
        {"value", K::decimal, "USD", "", "manipulated: the published price, > 0."}, duration}},
      {"fault_tx_drop", "Transactions sent to the shard are dropped at random.",
       {shard, req({"probability", K::ratio, "", "", "Share dropped, 0..1."}), duration}},
      {"fault_price_crash", "A scripted shock of the true price.",
       {req({"asset", K::name, "", "", "A priced asset."}),
        req({"move", K::ratio, "", "", "Relative move, > -100% and <= +1000%, e.g. -35%."}),
        lasts("over", false, "0s", "Spread over this long (0: at once).")}},
      {"fault_depeg", "A pegged asset's price moves to a ratio of its peg.",
       {req({"asset", K::name, "", "", "A pegged asset (prices.assets: {X: {peg: Y}})."}),
        req({"to", K::ratio, "of the peg", "", "Market price over peg price, (0, 10], e.g. 0.92."}),
        lasts("over", false, "0s", "Spread over this long (0: at once).")}},
      {"fault_protocol_insolvency", "An exploit drains a share of every token the protocol holds (instant).",
       {req({"protocol", K::name, "", "", "The protocol name."}),
        req({"loss", K::ratio, "", "", "Share drained, (0, 100%]."})}},
      {"fault_broker_default", "A broker defaults (instant).", {req({"broker", K::name, "", "", "The broker."})}},
      {"fault_gas_spike", "The shard's base fee is multiplied.",
       {shard, req({"factor", K::decimal, "", "", "Multiplier, 1..1000000."}), duration}},
      {"fault_receipt_drop", "Receipts on a directed link are lost at a rate during a window.",
       {from, to, req({"rate", K::ratio, "", "", "Share of receipts lost, 0..100%."}),
        lasts("over", true, "", "The window's length.")}},
  };
}

// ---- brokers --------------------------------------------------------------------------------

Section broker_section() {
  return {"broker", "One prime broker: a clearing ledger on a home shard with oracle feeds.",
          {
              req({"name", K::name, "", "", "Unique broker name, e.g. prime."}),
              req({"home", K::name, "", "", "The home shard (needs oracles): where its ledger runs."}),
              {"capital", K::map, "", "", "Own capital by asset, minted at genesis on home; the first asset is the quote, e.g. {USDC: 5M}.", {}, {}, K::amount},
              {"default_fund", K::object, "", "", "Default fund by asset, plus `client_contribution`.", {}, "default_fund"},
              {"margin", K::object, "", "", "The portfolio-margin model.", {}, "margin"},
              {"hedging", K::object, "", "", "How and where the house exposure is hedged.", {}, "hedging"},
              {"settlement", K::object, "", "", "How cross-shard settlements are made atomic, ordered and timed out.", {}, "settlement"},
              {"limits", K::object, "", "", "Client limits.", {}, "broker_limits"},
              {"vertically_integrated", K::boolean, "", "false", "Also issues a synthetics protocol (needs `issues`)."},
              {"issues", K::name, "", "", "The synthetics protocol the broker issues."},
              {"issuer", K::object, "", "", "Issuer settings (with `issues`).", {}, "issuer"},
              {"order_fee", K::ratio, "of the order notional", "0.02%", "Fee on each client order, 0..100%."},
              {"liquidation_fee", K::ratio, "of the liquidated notional", "1%", "Fee on each liquidation, 0..100%."},
          }};
}

Section default_fund() {
  Section s{"default_fund", "Default fund amounts by asset (e.g. {USDC: 2M}) and the clients' contribution.",
            {{"client_contribution", K::ratio, "of each client deposit", "0", "Share of each quote deposit set aside as that client's contribution."}}};
  s.open = true;
  s.extra = K::amount;
  return s;
}

Section margin() {
  return {"margin", "Portfolio margin: scenario scan per underlying, offsets and add-ons.",
          {
              {"scan_range", K::map, "", "", "Scan range per underlying asset, e.g. {BTC: 10%}.", {}, {}, K::ratio},
              {"scan_range_default", K::ratio, "", "0", "Scan range of underlyings not listed."},
              {"extreme", K::object, "", "", "The extreme-move scenario.", {}, "margin_extreme"},
              {"basis_charge", K::ratio, "of offset notional", "1%", "Charge on offsets across protocols in a group."},
              {"credits", K::list, "", "", "Inter-commodity credits, applied in order.", {}, "credit", K::object},
              {"haircuts", K::map, "", "", "Haircut per protocol name, e.g. {snx: 3%}.", {}, {}, K::ratio},
              {"latency_z", K::decimal, "standard deviations", "2.33", "Quantile of the latency add-on (exposure x vol x sqrt(settlement time))."},
              {"maintenance", K::ratio, "of initial margin", "75%", "Maintenance margin as a share of initial."},
              {"resolution_charge", K::ratio, "of the largest payoff", "2%", "Add-on on outcome shares for resolution and dispute risk."},
          }};
}

Section margin_extreme() {
  return {"margin_extreme", "The extreme-move scenario.",
          {
              {"multiplier", K::decimal, "x scan range", "2", "Size of the extreme move, >= 1."},
              {"fraction", K::ratio, "", "35%", "Share of the extreme loss that counts."},
          }};
}

Section credit() {
  return {"credit", "An inter-commodity credit between two underlyings.",
          {
              req({"pair", K::list, "", "", "Two assets, e.g. [BTC, ETH].", {}, {}, K::name}),
              req({"rate", K::ratio, "", "", "Share of the offsetting margin credited."}),
              {"ratio", K::list, "", "[1, 1]", "Spread ratio of the two legs, two numbers > 0.", {}, {}, K::decimal},
              {"unit", K::choice, "", "notional", "Legs compared in USD notional or in units.", {"notional", "units"}},
              {"legs", K::choice, "", "opposite", "Credit legs of opposite or the same sign.", {"opposite", "same"}},
          }};
}

Section hedging() {
  return {"hedging", "How the house exposure is hedged.",
          {
              {"policy", K::choice, "", "batch", "immediate: each fill; threshold: when net delta exceeds `band`; batch: every `every`; none.", names_of<broker::HedgePolicy, 4>(broker::policy_name)},
              {"every", K::slots, "duration or home slots", "1 slot", "batch: the netting interval."},
              {"band", K::amount, "USD", "0", "threshold: net delta notional that triggers a hedge."},
              {"privacy", K::choice, "", "public", "How hedges reach the venue: public mempool, private relay, or commit-reveal.", names_of<broker::HedgePrivacy, 3>(broker::privacy_name)},
              {"split", K::count, "child orders", "1", "Child orders per hedge, 1..64."},
              {"private_delay", K::slots, "duration or home slots", "2 slots", "private: extra wait before inclusion."},
              {"private_fee", K::ratio, "of the hedge notional", "0.05%", "private: fee to the relay."},
              {"reveal_delay", K::count, "venue blocks", "2", "commit_reveal: blocks between commit and reveal, 0..1000."},
              {"commit_leak", K::ratio, "", "0", "commit_reveal: share of commits whose intent searchers infer."},
              {"split_spacing", K::slots, "duration or home slots", "1 slot", "split > 1: wait between child orders."},
              {"max_slippage", K::ratio, "of the mark", "1%", "AMM hedges: the swap's slippage bound."},
              {"venues", K::object, "", "perps and prediction", "Where the broker may hedge.", {}, "venues"},
              {"venue_margin", K::amount, "quote asset", "20% of quote capital", "Margin posted at each hedge venue at start."},
              {"counterparty", K::name, "", "", "Another broker to offset exposure with first (needs clearing:)."},
              {"counterparty_limit", K::amount, "USD", "", "With counterparty: most notional per underlying offset with it."},
          }};
}

Section venues() {
  return {"venues", "Venue kinds the broker hedges on.",
          {
              {"perps", K::boolean, "", "true", "Perps markets."},
              {"amm", K::boolean, "", "false", "AMM pools."},
              {"prediction", K::boolean, "", "true", "Prediction markets (outcome shares hedged by shares)."},
          }};
}

Section settlement() {
  return {"settlement", "How cross-shard settlements run.",
          {
              {"atomicity", K::choice, "", "optimistic", "optimistic: legs run and failures unwind; two_phase: prepare locks then commit; yank: move the state to one shard.", names_of<broker::Atomicity, 3>(broker::atomicity_name)},
              {"locks", K::choice, "", "revert", "two_phase: what other transactions touching a locked pool do.", {"revert", "wait"}},
              {"ordering", K::choice, "", "fifo", "Which pending settlement goes next.", names_of<broker::SettlementOrdering, 4>(broker::ordering_name)},
              {"timeout", K::slots, "duration or home slots", "auto", "Per saga phase; auto: three expected round trips to the farthest venue, at least 10 slots.", {"auto"}},
              {"risk_budget", K::amount, "USD", "0", "Loss a settlement's exposure may risk while waiting (sets its deadline); 0: none."},
              {"max_inflight", K::count, "settlements", "2", "Settlements in flight at once, 1..64."},
              {"deadlines", K::object, "", "", "Deadlines by cause.", {}, "deadlines"},
          }};
}

Section deadlines() {
  return {"deadlines", "Deadlines of a settlement from its causes; 0 = none.",
          {
              {"order", K::duration, "", "0s", "After a client order (unless the client sets time_in_force)."},
              {"margin_call", K::duration, "", "0s", "After a margin call (its cure period)."},
              {"withdrawal", K::duration, "", "0s", "After a withdrawal request."},
          }};
}

Section broker_limits() {
  return {"broker_limits", "Client limits.",
          {
              {"position_notional_max", K::map, "", "", "One amount: most notional per client and instrument, e.g. {USDC: 2M}.", {}, {}, K::amount},
              {"withdrawal_delay", K::slots, "duration or home slots", "0s", "Delay before a withdrawal is paid."},
          }};
}

Section issuer() {
  return {"issuer", "The issuer side of a vertically integrated broker.",
          {
              req({"stake", K::amount, "protocol collateral", "", "Collateral staked at genesis, > 0."}),
              {"c_ratio", K::ratio, "collateral / debt", "0 (issue none)", "sUSD issued at start: stake value / c_ratio; >= 1 / issuance_ratio."},
              {"backstop_max", K::amount, "quote asset", "0", "Most it pays into the protocol's reserve."},
              {"claim_every", K::duration, "", "10m", "How often it claims its fee share; 0: never."},
          }};
}

// ---- agents ---------------------------------------------------------------------------------

Section agent() {
  const std::vector<std::string_view> common{"kind", "count", "capital", "every"};
  auto with = [&](std::vector<std::string_view> extra) {
    std::vector<std::string_view> out = common;
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  };
  const auto client = with({"broker", "leverage", "time_in_force", "run", "instruments"});
  const auto side = with({"shard", "shards", "privacy", "min_profit"});
  std::vector<Variant> variants{
      {"retail", with({"broker", "protocol", "leverage", "time_in_force", "run", "instruments", "privacy"}), {}, {},
       {"broker", "protocol"}, "Trades instruments through a broker, or straight on a perps/amm `protocol` (then privacy applies)."},
      {"basis_trader", client, {"broker"}, {}, {}, "Trades the basis through a broker."},
      {"hedger", client, {"broker"}, {}, {}, "Hedges a position through a broker."},
      {"arbitrageur", side, {}, {}, {"shard", "shards"}, "Swaps AMM pools toward the oracle price (and synth pools against the synthetics exchange)."},
      {"liquidator", side, {}, {}, {"shard", "shards"}, "Liquidates lending, perps and synthetics positions."},
      {"searcher", side, {}, {}, {"shard", "shards"}, "Sandwiches AMM swaps and front-runs perps trades seen in the mempool."},
      {"lp", with({"shard", "shards", "privacy"}), {}, {}, {"shard", "shards"}, "Provides AMM liquidity."},
  };
  return {"agent", "A population of agents of one kind.",
          {
              req({"kind", K::choice, "", "", "The agent kind.", names_of<agents::AgentKind, 7>(agents::agent_kind_name)}),
              {"count", K::count, "agents", "1", "How many, 1..100000."},
              {"broker", K::name, "", "", "Broker clients: the broker they trade through."},
              {"protocol", K::name, "", "", "retail without broker: the perps or amm protocol it trades on directly."},
              {"shard", K::name, "", "", "Protocol-side kinds: the shard they act on."},
              {"shards", K::list, "", "", "Protocol-side kinds: the shards they act on; the first is home.", {}, {}, K::name},
              {"capital", K::map, "", "", "Per-agent capital by asset, each a number or a distribution.", {}, {}, K::distribution},
              {"leverage", K::distribution, "notional / capital", "1", "Broker clients and direct retail."},
              {"time_in_force", K::duration, "", "0s (broker default)", "Broker clients: how soon their orders' hedges must settle."},
              {"run", K::object, "", "", "Broker clients: when they run on the broker.", {}, "agent_run"},
              {"instruments", K::list, "", "every cleared instrument", "Broker clients: the instruments they trade, PROTOCOL.SYMBOL.", {}, {}, K::text},
              {"privacy", K::choice, "", "public", "Agents sending their own transactions: public mempool or private relay.", {"public", "private"}},
              {"min_profit", K::amount, "USD", "0", "arbitrageur, liquidator, searcher: act only above this profit after gas."},
              {"every", K::duration, "", "1m", "Mean time between decisions (exponential gaps)."},
          },
          "kind", std::move(variants)};
}

Section agent_run() {
  return {"agent_run", "A bank run: clients withdraw when the broker's health falls.",
          {
              req({"health_below", K::ratio, "house equity / starting capital", "", "Run below this health, (0, 1000%]."}),
              {"rumour_delay", K::duration, "", "0s", "How long the rumour takes to reach the client."},
          }};
}

Section distribution() {
  return {"distribution", "A distribution to draw per agent (a plain number is a constant).",
          {
              {"uniform", K::list, "", "", "[low, high], low <= high.", {}, {}, K::amount},
              {"lognormal", K::object, "", "", "{median, sigma}.", {}, "distribution_lognormal"},
              {"normal", K::object, "", "", "{mean, stddev}.", {}, "distribution_normal"},
          },
          {}, {}, {"uniform", "lognormal", "normal"}};
}

Section distribution_lognormal() {
  return {"distribution_lognormal", "A lognormal distribution.",
          {req({"median", K::amount, "", "", "Median, > 0."}), req({"sigma", K::amount, "of the log", "", "Standard deviation of the log, >= 0."})}};
}

Section distribution_normal() {
  return {"distribution_normal", "A normal distribution (draws below the bound are clamped).",
          {req({"mean", K::amount, "", "", "Mean."}), req({"stddev", K::amount, "", "", "Standard deviation, >= 0."})}};
}

std::vector<Section> build() {
  std::vector<Section> s{root(), asset(), prices(), priced_asset(), replay(), shard(), gas(), oracles(),
                         latency(), empirical_point(), links(), link_default(), link_pair(), protocol(),
                         amm_params(), lending_params(), lending_reserve(), perps_params(), perps_market(),
                         synthetics_params(), prediction_params(), account(), broker_section(), default_fund(),
                         margin(), margin_extreme(), credit(), hedging(), venues(), settlement(), deadlines(),
                         broker_limits(), issuer(), clearing(), fault()};
  for (Section& k : fault_kinds()) s.push_back(std::move(k));
  for (const Section& x : {script_entry(), script_tx(), native_args("transfer"), native_args("bridge"), script_price(), script_broker(),
                      broker_args_transfer("broker_args_deposit", "from_shard", "Deposit to the broker from a shard."),
                      broker_args_transfer("broker_args_withdraw", "to_shard", "Withdraw from the broker to a shard."),
                      broker_args_order("broker_args_order", false), broker_args_order("broker_args_pledge", true),
                      broker_args_pay(), agent(), agent_run(), distribution(), distribution_lognormal(),
                      distribution_normal(), workload(), limits(), outputs()}) {
    s.push_back(x);
  }
  return s;
}

}  // namespace

const std::vector<Section>& sections() {
  static const std::vector<Section> all = build();
  return all;
}

const Section& section(std::string_view id) {
  for (const Section& s : sections()) {
    if (s.id == id) return s;
  }
  throw std::logic_error("no topology key table \"" + std::string(id) + "\" (app/topology/topology_keys.cpp)");
}

const Key* find_key(const Section& section, std::string_view name) {
  for (const Key& k : section.keys) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

namespace {
thread_local KeyUseLog* key_use_log = nullptr;
}  // namespace

void set_key_use_log(KeyUseLog* log) { key_use_log = log; }

void note_key_use(const Section& section, std::string_view key) {
  if (find_key(section, key) == nullptr) {
    throw std::logic_error("the loader reads key \"" + std::string(key) + "\" of `" + std::string(section.id) +
                           "`, which its key table (app/topology/topology_keys.cpp) does not declare");
  }
  if (key_use_log != nullptr) key_use_log->emplace(section.id, key);
}

namespace {

// The section a key's value reads, given a variant value chosen on the way (`amm`, `deposit`).
const Section* inner_of(const Key& key, const Section& in, std::string_view variant) {
  for (const Variant& v : in.variants) {
    if (v.value != variant) continue;
    for (const auto& [k, id] : v.sections) {
      if (k == key.name) return &section(id);
    }
  }
  if (key.kind == Kind::latency) return &section("latency");
  if (key.kind == Kind::distribution) return &section("distribution");
  return key.section.empty() ? nullptr : &section(key.section);
}

bool is_index(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<Explained> explain(std::string_view path, std::vector<std::string>* near) {
  const Section* at = &section("topology");
  Explained out;
  out.path = std::string(path);
  std::string_view variant;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = std::min(path.find('.', start), path.size());
    const std::string_view part = path.substr(start, dot - start);
    start = dot + 1;
    if (part.empty() || is_index(part)) continue;
    if (at == nullptr) return std::nullopt;
    const bool names_variant = std::any_of(at->variants.begin(), at->variants.end(),
                                           [&](const Variant& v) { return v.value == part; });
    if (names_variant) {
      variant = part;
      // `protocols.amm.fee`: a variant that reads one key with its own section continues in it.
      for (const Variant& v : at->variants) {
        if (v.value == part && v.sections.size() == 1) {
          out.section = at;
          out.key = find_key(*at, v.sections.front().first);
          at = &section(v.sections.front().second);
          out.inner = at;
          variant = {};
        }
      }
      continue;
    }
    const Key* key = find_key(*at, part);
    if (key == nullptr) {
      if (near != nullptr) {
        near->clear();
        for (const Key& k : at->keys) near->emplace_back(k.name);
        for (const Variant& v : at->variants) near->emplace_back(v.value);
      }
      return std::nullopt;
    }
    out.key = key;
    out.section = at;
    at = inner_of(*key, *at, variant);
    out.inner = at;
    variant = {};
  }
  if (out.section == nullptr) out.inner = &section("topology");
  return out;
}

}  // namespace shardsim::app::keys
