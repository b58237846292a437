// The key tables of the world: the root, assets and prices, shards and links, latency models,
// accounts, the script, workload, limits and outputs.
#include "app/topology/topology_keys_tables.hpp"

namespace shardsim::app::keys::tables {
namespace {

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
              {"metrics", K::map, "", "", "User-chosen metrics that compare and sweep report: NAME: a dotted path into summary.json, or {path, better}.", {}, "metric", K::object},
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

Section metric() {
  return {"metric", "A user metric (the map key is its name): `PATH` or `{path: PATH, better: lower}`; compare and sweep read it from each run's summary.json.",
          {
              req({"path", K::text, "", "", "A dotted path into summary.json that leads to a number: map keys by name, list items by index or id, e.g. brokers.giant.pnl."}),
              {"better", K::choice, "", "neutral", "Which direction is better for the verdict of compare.", {"higher", "lower", "neutral"}},
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

// ---- accounts and script --------------------------------------------------------------------

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


}  // namespace

std::vector<Section> world_sections() {
  std::vector<Section> s{root(), asset(), prices(), priced_asset(), replay(), shard(), gas(), oracles(),
                         latency(), empirical_point(), links(), link_default(), link_pair(), account()};
  for (const Section& x : {script_entry(), script_tx(), native_args("transfer"), native_args("bridge"),
                           script_price(), script_broker(),
                           broker_args_transfer("broker_args_deposit", "from_shard", "Deposit to the broker from a shard."),
                           broker_args_transfer("broker_args_withdraw", "to_shard", "Withdraw from the broker to a shard."),
                           broker_args_order("broker_args_order", false), broker_args_order("broker_args_pledge", true),
                           broker_args_pay(), workload(), limits(), outputs(), metric()}) {
    s.push_back(x);
  }
  return s;
}

}  // namespace shardsim::app::keys::tables
