// The key tables of the parties and events: brokers (margin, hedging, settlement, limits, the
// issuer side), clearing cycles, faults and agent populations.
#include "agents/agent_config.hpp"
#include "app/topology/topology_keys_tables.hpp"
#include "broker/broker_config.hpp"

namespace shardsim::app::keys::tables {
namespace {

// An enum's names as the summary and the loader spell them (broker::policy_name, ...).
template <typename E, int N>
std::vector<std::string_view> names_of(const char* (*name_of)(E)) {
  std::vector<std::string_view> out;
  for (int i = 0; i < N; ++i) out.emplace_back(name_of(static_cast<E>(i)));
  return out;
}

Section clearing() {
  return {"clearing", "Clearing cycles between brokers (broker obligations: payments, variation margin).",
          {
              {"cycle", K::duration, "", "1m", "How often a cycle settles the obligations due, > 0."},
              {"mode", K::choice, "", "multilateral", "gross settles each obligation; multilateral nets them across brokers first.", {"gross", "multilateral"}},
          }};
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
              {"dark", K::boolean, "", "false", "Dark pools (orders rest unseen, cross at the oracle mid)."},
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


}  // namespace

std::vector<Section> party_sections() {
  std::vector<Section> s{broker_section(), default_fund(), margin(), margin_extreme(), credit(), hedging(), venues(),
                         settlement(), deadlines(), broker_limits(), issuer(), clearing(), fault()};
  for (Section& k : fault_kinds()) s.push_back(std::move(k));
  for (const Section& x : {agent(), agent_run(), distribution(), distribution_lognormal(), distribution_normal()}) {
    s.push_back(x);
  }
  return s;
}

}  // namespace shardsim::app::keys::tables
