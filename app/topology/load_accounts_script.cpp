// Reads `accounts:` (opening balances, each account on one shard) and `script:` (transactions,
// broker requests and price moves at fixed times). Shard-native ops (transfer, bridge) and
// broker requests are typed and checked here; protocol ops keep their raw args for the protocol.
#include <algorithm>

#include "app/topology/loader_sections.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/protocol_kinds.hpp"
#include "app/topology/units.hpp"

namespace shardsim::app::loader {
namespace {

constexpr std::string_view kAccountsExpected =
    "a map of accounts such as {alice: {shard: dex, balances: {ETH: 100}}}";
constexpr std::string_view kBalancesExpected = "a map of amounts such as {ETH: 100, USDC: 2500}";
constexpr std::string_view kEntryKinds = "exactly one of: tx, price, broker";
constexpr std::string_view kNativeOps = "transfer or bridge; protocol ops need a protocol:";
constexpr std::string_view kArgsExpected =
    "an args map such as {to: bob, asset: ETH, amount: 1.5}";

AccountSpec read_account(const MapReader::Item& item, const Refs& refs) {
  AccountSpec account;
  account.name = read_name(item.key_field, "account name", "_:.-", kAccountExpected);
  MapReader m(item.value, "an account map such as {shard: dex, balances: {ETH: 100}}", keys::section("account"));
  account.shard = refs.shard(m.required("shard", kShardIdExpected));
  if (const auto balances = m.optional("balances")) {
    MapReader b(*balances, kBalancesExpected);
    for (const MapReader::Item& balance : b.items()) {
      const std::uint32_t asset = refs.asset(balance.key_field);
      account.balances.emplace_back(
          asset, read_amount(balance.value, refs.topology().assets[asset], Sign::non_negative));
    }
  }
  m.finish();
  return account;
}

// ---- script: tx -----------------------------------------------------------------------------

// The args as written, for ops whose meaning lives in a protocol.
std::vector<ScriptArg> raw_args(const Field& args) {
  std::vector<ScriptArg> out;
  for (const MapReader::Item& item : MapReader(args, kArgsExpected).items()) {
    out.push_back(ScriptArg{item.key, item.value.scalar("a single value, e.g. 1.5 or ETH"),
                            static_cast<std::size_t>(item.key_field.line())});
  }
  return out;
}

void read_transfer(MapReader& args, ScriptTx& tx, const Refs& refs) {
  tx.to = read_name(args.required("to", kAccountExpected), "account name", "_:.-",
                    kAccountExpected);
  tx.asset = refs.asset(args.required("asset", kSymbolExpected));
  tx.amount = read_amount(args.required("amount", "an amount greater than 0, e.g. 1.5"),
                          refs.topology().assets[tx.asset], Sign::positive);
}

void read_bridge(MapReader& args, ScriptTx& tx, const Refs& refs) {
  const Field to_shard = args.required("to_shard", kShardIdExpected);
  tx.to_shard = refs.shard(to_shard);
  if (tx.to_shard == tx.shard) {
    to_shard.fail("bridge from " + quote(refs.topology().shards[tx.shard].id) + " to itself",
                  "a shard other than the tx's shard");
  }
  tx.asset = refs.asset(args.required("asset", kSymbolExpected));
  tx.amount = read_amount(args.required("amount", "an amount greater than 0, e.g. 100"),
                          refs.topology().assets[tx.asset], Sign::positive);
}

// `priority_fee`: per gas, in the shard's fee asset.
core::Amount read_priority_fee(const Field& field, const ShardSpec& shard, const Refs& refs) {
  if (shard.fee_asset) {
    return read_amount(field, refs.topology().assets[*shard.fee_asset], Sign::non_negative);
  }
  const core::Amount fee = read_amount(field, AssetSpec{"the fee asset", 30}, Sign::non_negative);
  if (!fee.is_zero()) {
    field.fail("shard " + quote(shard.id) + " has no fee_asset to pay a priority fee in",
               "priority_fee: 0, or a fee_asset on the shard");
  }
  return fee;
}

// A protocol op: the protocol must be deployed on the tx's shard, the op must be one of its
// kind's, and every arg key must be one the op takes. Values stay text for the protocol to read.
void read_protocol_tx(MapReader& m, const Field& protocol, ScriptTx& tx, const Refs& refs) {
  const Topology& topology = refs.topology();
  const ShardSpec& shard = topology.shards[tx.shard];
  tx.protocol = protocol.text("a protocol name");
  const auto it = std::find_if(shard.protocols.begin(), shard.protocols.end(),
                               [&](const ProtocolSpec& p) { return p.name == tx.protocol; });
  if (it == shard.protocols.end()) {
    std::string names;
    for (const ProtocolSpec& p : shard.protocols) names += (names.empty() ? "" : ", ") + p.name;
    protocol.fail("unknown protocol " + quote(tx.protocol) + " on shard " + quote(shard.id),
                  names.empty() ? "no protocol: none is deployed on shard " + shard.id : "one of: " + names);
  }
  tx.protocol_index = static_cast<std::uint32_t>(it - shard.protocols.begin());
  const ProtocolKind* kind = find_protocol_kind(it->kind);
  std::string ops;
  for (const ProtocolOp& o : kind->ops) ops += (ops.empty() ? "" : ", ") + o.name;
  const Field op = m.required("op", "one of: " + ops);
  tx.op = op.text("one of: " + ops);
  const auto spec = std::find_if(kind->ops.begin(), kind->ops.end(), [&](const ProtocolOp& o) { return o.name == tx.op; });
  if (spec == kind->ops.end()) op.fail("unknown op " + quote(tx.op) + " for a " + it->kind + " protocol", "one of: " + ops);
  std::string keys;
  for (const std::string& k : spec->args) keys += (keys.empty() ? "" : ", ") + k;
  if (const auto args = m.optional("args")) {
    for (const MapReader::Item& item : MapReader(*args, kArgsExpected).items()) {
      if (std::find(spec->args.begin(), spec->args.end(), item.key) == spec->args.end()) {
        item.key_field.fail("unknown arg " + quote(item.key) + " for " + tx.op,
                            keys.empty() ? "no args" : "some of: " + keys);
      }
    }
    tx.args = raw_args(*args);
  }
  if (const auto fee = m.optional("priority_fee")) tx.priority_fee = read_priority_fee(*fee, shard, refs);
}

ScriptTx read_tx(const Field& field, const Refs& refs) {
  MapReader m(field, "a tx map such as {from: alice, shard: dex, op: transfer, args: {...}}", keys::section("script_tx"));
  const Topology& topology = refs.topology();
  ScriptTx tx;
  const AccountSpec& from = refs.account(m.required("from", kAccountExpected));
  tx.from = from.name;
  const Field shard = m.required("shard", kShardIdExpected);
  tx.shard = refs.shard(shard);
  if (tx.shard != from.shard) {
    shard.fail("account " + quote(from.name) + " lives on shard " +
                   quote(topology.shards[from.shard].id) + ", not " +
                   quote(topology.shards[tx.shard].id),
               "shard: " + topology.shards[from.shard].id + ", the account's shard");
  }
  if (const auto privacy = m.optional("privacy")) {
    constexpr std::string_view kPrivacy = "public or private";
    const std::string v = privacy->text(kPrivacy);
    if (v != "public" && v != "private") privacy->fail("unknown privacy " + quote(v), kPrivacy);
    tx.private_flow = v == "private";
  }
  if (const auto protocol = m.optional("protocol")) {
    read_protocol_tx(m, *protocol, tx, refs);
    m.finish();
    return tx;
  }
  const Field op = m.required("op", kNativeOps);
  tx.op = op.text(kNativeOps);
  if (tx.op != "transfer" && tx.op != "bridge") op.fail("unknown op " + quote(tx.op), kNativeOps);
  const Field args = m.required("args", kArgsExpected);
  MapReader a(args, kArgsExpected, keys::section("tx_args_" + tx.op));
  if (tx.op == "transfer") {
    read_transfer(a, tx, refs);
  } else {
    read_bridge(a, tx, refs);
  }
  a.finish();
  tx.args = raw_args(args);
  if (const auto fee = m.optional("priority_fee")) {
    tx.priority_fee = read_priority_fee(*fee, topology.shards[tx.shard], refs);
  }
  m.finish();
  return tx;
}

// ---- script: broker -------------------------------------------------------------------------

constexpr std::string_view kBrokerOps = "one of: deposit, withdraw, order, pay, pledge";
constexpr std::string_view kInstrumentExpected = "NAME.SYMBOL with NAME a protocol, e.g. dydx.BTC-PERP";
constexpr std::string_view kQtyExpected = "a signed quantity other than 0, e.g. 10 or -2.5";

// A decimal as WAD (1e18 = 1 unit): `10`, `-2.5`, `1.5k`. Zero passes; callers check the range.
__int128 read_wad(const Field& field, std::string_view expected) {
  const std::string text = field.scalar(expected);
  const AmountParse parsed = parse_amount_checked(text, 18);
  if (parsed.error == AmountError::too_precise) field.fail(quote(text) + " has more than 18 decimals", expected);
  if (parsed.error == AmountError::overflow) field.fail(quote(text) + " is too large", expected);
  if (parsed.error != AmountError::none) field.fail("invalid number " + quote(text), expected);
  return parsed.value.raw();
}

std::uint32_t read_broker_name(const Field& field, const Topology& topology) {
  const std::string name = field.text("a broker name declared under brokers:");
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < topology.brokers.size(); ++i) {
    if (topology.brokers[i].name == name) return static_cast<std::uint32_t>(i);
    names.push_back(topology.brokers[i].name);
  }
  field.fail("unknown broker " + quote(name),
             names.empty() ? std::string("a broker declared under brokers: (none are)") : "one of: " + name_list(names));
}

// deposit {from_shard, asset, amount} and withdraw {to_shard, asset, amount}.
void read_broker_transfer(MapReader& args, std::string_view shard_key, ScriptBrokerAction& action, const Refs& refs) {
  action.shard = refs.shard(args.required(shard_key, kShardIdExpected));
  action.asset = refs.asset(args.required("asset", kSymbolExpected));
  action.amount = read_amount(args.required("amount", "an amount greater than 0, e.g. 1M"),
                              refs.topology().assets[action.asset], Sign::positive);
}

// order {instrument, qty, limit}: the protocol must exist and the brokers must clear the instrument.
void read_broker_order(MapReader& args, ScriptBrokerAction& action, const Refs& refs) {
  const Field instrument = args.required("instrument", kInstrumentExpected);
  action.instrument = instrument.text(kInstrumentExpected);
  const std::size_t dot = action.instrument.find('.');
  if (dot == std::string::npos || dot + 1 == action.instrument.size()) {
    instrument.fail("instrument " + quote(action.instrument) + " has no SYMBOL after a '.'", kInstrumentExpected);
  }
  const std::string protocol = action.instrument.substr(0, dot);
  if (find_protocol(refs.topology(), protocol) == nullptr) {
    instrument.fail("unknown protocol " + quote(protocol) + " in instrument " + quote(action.instrument),
                    protocol_names(refs.topology(), "") + ", then .SYMBOL");
  }
  refs.require_cleared_instrument(instrument, action.instrument);
  const Field qty = args.required("qty", kQtyExpected);
  action.qty_wad = read_wad(qty, kQtyExpected);
  if (action.qty_wad == 0) qty.fail("qty must not be 0", kQtyExpected);
  if (const auto limit = args.optional("limit")) {
    constexpr std::string_view expected = "a price greater than 0, e.g. 50000";
    action.limit_wad = read_wad(*limit, expected);
    if (*action.limit_wad <= 0) limit->fail("must be positive, got " + quote(limit->node().Scalar()), expected);
  }
}

// pay {to, to_broker, asset, amount}: `to` a declared account, a client of `to_broker` (default:
// the payer's broker) from then on; a payment to another broker's client needs `clearing:`.
void read_broker_payment(MapReader& args, ScriptBrokerAction& action, const Refs& refs) {
  const Field to = args.required("to", kAccountExpected);
  action.to_client = refs.account(to).name;
  action.to_broker = action.broker;
  if (const auto b = args.optional("to_broker")) {
    action.to_broker = read_broker_name(*b, refs.topology());
    if (action.to_broker != action.broker && !refs.topology().clearing) {
      b->fail("a payment to a client of another broker, but the topology has no clearing cycles",
              "a top-level clearing: {cycle: 1m, mode: multilateral}, or to_broker: " +
                  refs.topology().brokers[action.broker].name);
    }
  }
  if (action.to_broker == action.broker && action.to_client == action.client) {
    to.fail("client " + quote(action.client) + " pays itself", "another client");
  }
  action.asset = refs.asset(args.required("asset", kSymbolExpected));
  action.amount = read_amount(args.required("amount", "an amount greater than 0, e.g. 100k"),
                              refs.topology().assets[action.asset], Sign::positive);
}

ScriptBrokerAction read_broker_action(const Field& field, const Refs& refs) {
  MapReader m(field, "a broker request such as {client: whale, broker: prime, op: deposit, args: {...}}", keys::section("script_broker"));
  ScriptBrokerAction action;
  action.client = refs.account(m.required("client", kAccountExpected)).name;
  action.broker = read_broker_name(m.required("broker", "a broker name declared under brokers:"), refs.topology());
  const Field op = m.required("op", kBrokerOps);
  const std::string name = op.text(kBrokerOps);
  if (name != "deposit" && name != "withdraw" && name != "order" && name != "pay" && name != "pledge") {
    op.fail("unknown broker op " + quote(name), kBrokerOps);
  }
  MapReader args(m.required("args", "an args map such as {from_shard: lend, asset: USDC, amount: 1M}"),
                 "an args map such as {from_shard: lend, asset: USDC, amount: 1M} or {instrument: dydx.BTC-PERP, qty: 1}",
                 keys::section("broker_args_" + name));
  if (name == "deposit") {
    action.op = BrokerOp::deposit;
    read_broker_transfer(args, "from_shard", action, refs);
  } else if (name == "withdraw") {
    action.op = BrokerOp::withdraw;
    read_broker_transfer(args, "to_shard", action, refs);
  } else if (name == "pay") {
    action.op = BrokerOp::pay;
    read_broker_payment(args, action, refs);
  } else if (name == "pledge") {
    action.op = BrokerOp::pledge;
    read_broker_order(args, action, refs);
    if (action.qty_wad < 0 || action.limit_wad) {
      field.fail("a pledge posts a positive quantity and has no limit", "args {instrument: uni.LP, qty: 10}");
    }
  } else {
    action.op = BrokerOp::order;
    read_broker_order(args, action, refs);
  }
  args.finish();
  m.finish();
  return action;
}

// ---- script: price --------------------------------------------------------------------------

agents::PriceMove read_price_move(const Field& field, core::SimTime at, const Refs& refs) {
  constexpr std::string_view expected = "a map such as {asset: ETH, set: 900} or "
                                        "{asset: ETH, shock: -40%, over: 1h}";
  MapReader m(field, expected, keys::section("script_price"));
  agents::PriceMove move;
  move.at = at;
  move.asset = refs.priced_asset(m.required("asset", kSymbolExpected));
  const auto kind = m.exclusive({"set", "shock"});
  if (!kind) m.field().fail("neither set nor shock given", "exactly one of: set, shock");
  if (*kind == "set") {
    move.set = m.optional("set")->decimal(Sign::positive);
    if (m.has("over")) {
      m.fail_key("over", "over is only used with shock", "set alone, or shock with over");
    }
  } else {
    const Field shock = *m.optional("shock");
    move.shock = shock.ratio(Sign::any);
    if (*move.shock <= -1) {
      shock.fail("shock " + quote(shock.node().Scalar()) + " would take the price to 0 or below",
                 "a move above -100%, e.g. -40%");
    }
    move.over = m.optional_duration("over", move.over, Sign::non_negative);
  }
  m.finish();
  return move;
}

ScriptEntry read_entry(const Field& item, const Refs& refs) {
  MapReader m(item, "a script entry such as {at: 1s, tx: {...}}, {at: 1s, price: {...}} or {at: 1s, broker: {...}}", keys::section("script_entry"));
  ScriptEntry entry;
  entry.line = static_cast<std::size_t>(item.line());
  entry.at = read_time(m.required("at", kTimeExpected));  // at or after the end: a warning (topology_loader.cpp)
  const auto kind = m.exclusive({"tx", "price", "broker"});
  if (!kind) {
    m.finish();  // an unknown key says more than "missing"
    item.fail("none of tx, price or broker given", kEntryKinds);
  }
  if (*kind == "tx") {
    entry.tx = read_tx(*m.optional("tx"), refs);
  } else if (*kind == "broker") {
    entry.broker = read_broker_action(*m.optional("broker"), refs);
  } else {
    entry.price = read_price_move(*m.optional("price"), entry.at, refs);
  }
  m.finish();
  return entry;
}

}  // namespace

std::vector<AccountSpec> read_accounts(const Field& field, const Topology& topology) {
  MapReader m(field, kAccountsExpected);
  const Refs refs(topology);
  std::vector<AccountSpec> accounts;
  for (const MapReader::Item& item : m.items()) accounts.push_back(read_account(item, refs));
  return accounts;
}

std::vector<ScriptEntry> read_script(const Field& field, const Topology& topology) {
  const Refs refs(topology);
  std::vector<std::pair<Field, std::string>> orders;  // instruments checked against the whole script
  refs.defer_instrument_checks(&orders);
  std::vector<ScriptEntry> script;
  for (const Field& item : field.items("a list of {at, tx}, {at, price} or {at, broker} entries")) {
    script.push_back(read_entry(item, refs));
  }
  if (!orders.empty()) {
    Topology with_script = topology;
    with_script.script = script;
    const Refs complete(with_script);
    for (const auto& [f, id] : orders) complete.require_cleared_instrument(f, id);
  }
  return script;
}

}  // namespace shardsim::app::loader
