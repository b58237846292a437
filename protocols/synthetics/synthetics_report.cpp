// What the synthetics protocol publishes: exact state for --dump-state, a plain-number snapshot,
// and instruments (each synth, and a staker's share of the debt pool) with pure revaluations.
#include <map>

#include "protocols/synthetics/debt_math.hpp"
#include "protocols/synthetics/synthetics_protocol.hpp"

namespace shardsim::protocols::synthetics {
namespace {

std::string wad_str(i128 wad) { return core::Amount::units(wad).str(18); }

double scenario_price(const PriceVector& prices, std::optional<AssetId> asset) {
  if (!asset) return 1.0;
  return *asset < prices.size() ? prices[*asset] : 0.0;
}

// A WAD as trimmed decimal text, or null when it could not be computed (missing price).
nlohmann::ordered_json json_wad(const std::optional<i128>& wad) {
  return wad ? nlohmann::ordered_json(wad_str(*wad)) : nlohmann::ordered_json(nullptr);
}

template <class F>
std::optional<i128> guarded(F compute) {
  try {
    return compute();
  } catch (const ArithmeticError&) {
    return std::nullopt;
  }
}

std::string supply_key(const std::string& symbol) { return "supply." + symbol; }

}  // namespace

nlohmann::ordered_json SyntheticsProtocol::state(const ShardContext& ctx) const {
  nlohmann::ordered_json j;
  const std::optional<i128> total = total_debt_wad(ctx);
  const std::optional<i128> oracle = ctx.oracle_price_wad(cfg_.collateral);
  const i128 coll_price = oracle && *oracle > 0 ? *oracle : 0;  // 0: no usable price
  j["total_debt"] = json_wad(total);
  j["fee_pool"] = fee_pool_.str(ctx.decimals(cfg_.synths[cfg_.susd].asset));
  nlohmann::ordered_json supply = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < cfg_.synths.size(); ++i) {
    supply[ctx.asset_symbol(cfg_.synths[i].asset)] = supply_[i].str(ctx.decimals(cfg_.synths[i].asset));
  }
  j["supply"] = supply;
  j["total_shares"] = wad_str(total_shares_);
  if (cfg_.reserve) j["reserve"] = reserve_.str(ctx.decimals(*cfg_.reserve));
  // What agents need to trade against the protocol: what each synth tracks and its fee rate.
  nlohmann::ordered_json synths = nlohmann::ordered_json::object();
  for (const SynthSpec& sp : cfg_.synths) {
    synths[ctx.asset_symbol(sp.asset)] = {
        {"tracks", sp.tracks ? nlohmann::ordered_json(ctx.asset_symbol(*sp.tracks)) : nlohmann::ordered_json(nullptr)},
        {"fee_rate", wad_str(sp.fee_rate_wad)}};
  }
  j["synths"] = std::move(synths);
  j["collateral"] = ctx.asset_symbol(cfg_.collateral);
  j["issuance_ratio"] = wad_str(cfg_.issuance_ratio_wad);

  std::map<std::string, const Staker*> by_name;
  for (const auto& [id, s] : stakers_) by_name.emplace(ctx.account_name(id), &s);
  nlohmann::ordered_json stakers = nlohmann::ordered_json::object();
  const int coll_decimals = ctx.decimals(cfg_.collateral);
  for (const auto& entry : by_name) {
    const std::string& name = entry.first;
    const Staker* s = entry.second;  // a plain variable: clang 14 cannot capture structured bindings
    nlohmann::ordered_json e;
    const std::optional<i128> debt =
        total ? guarded([&] { return debt_of_shares(s->shares, *total, total_shares_); }) : std::nullopt;
    const std::optional<i128> value =
        coll_price > 0 ? guarded([&] { return value_wad(s->collateral.raw(), coll_decimals, coll_price, Round::down); })
                   : std::nullopt;
    const std::optional<i128> c_ratio =
        debt && value && *debt > 0 ? guarded([&] { return wad_div(*value, *debt); }) : std::nullopt;
    e["debt"] = json_wad(debt);
    e["collateral"] = s->collateral.str(coll_decimals);
    e["collateral_value"] = json_wad(value);
    e["c_ratio"] = debt && *debt == 0 ? nlohmann::ordered_json("inf") : json_wad(c_ratio);
    e["shares"] = wad_str(s->shares);
    e["flagged_at"] = s->flagged_at ? nlohmann::ordered_json(s->flagged_at->str()) : nlohmann::ordered_json(nullptr);
    stakers[name] = e;
  }
  j["stakers"] = stakers;
  return j;
}

ProtocolSnapshot SyntheticsProtocol::snapshot(const ShardContext& ctx) const {
  ProtocolSnapshot snap;
  snap.taken_at_us = ctx.now().count_us();
  if (const auto total = total_debt_wad(ctx)) snap.values.emplace_back("total_debt", wad_to_double(*total));
  snap.values.emplace_back("total_shares", wad_to_double(total_shares_));
  const SynthSpec& usd = cfg_.synths[cfg_.susd];
  snap.values.emplace_back("fee_pool", fee_pool_.to_double(ctx.decimals(usd.asset)));
  for (std::size_t i = 0; i < cfg_.synths.size(); ++i) {
    const SynthSpec& s = cfg_.synths[i];
    const std::string& symbol = ctx.asset_symbol(s.asset);
    snap.values.emplace_back(supply_key(symbol), supply_[i].to_double(ctx.decimals(s.asset)));
    const auto price = s.tracks ? ctx.oracle_price_wad(*s.tracks) : std::optional<i128>(kWadUnit);
    if (price) snap.values.emplace_back("price." + symbol, wad_to_double(*price));
  }
  if (const auto p = ctx.oracle_price_wad(cfg_.collateral)) {
    snap.values.emplace_back("collateral_price", wad_to_double(*p));
  }
  core::Amount staked;
  for (const auto& [who, st] : stakers_) staked += st.collateral;
  snap.values.emplace_back("total_collateral", staked.to_double(ctx.decimals(cfg_.collateral)));
  if (cfg_.reserve) {
    const std::optional<i128> reserve = reserve_value_wad(ctx);
    snap.values.emplace_back("reserve_value", reserve ? wad_to_double(*reserve) : 0.0);
  }
  // Each staker's position, by account name: what a staker (an issuing broker) marks itself by.
  const int susd_decimals = ctx.decimals(usd.asset);
  for (const auto& [who, st] : stakers_) {
    const std::string key = "staker." + ctx.account_name(who);
    snap.values.emplace_back(key + ".collateral", st.collateral.to_double(ctx.decimals(cfg_.collateral)));
    snap.values.emplace_back(key + ".shares", wad_to_double(st.shares));
    snap.values.emplace_back(key + ".fees", core::Amount::units(claimable_fees(who)).to_double(susd_decimals));
  }
  return snap;
}

std::vector<InstrumentDescriptor> SyntheticsProtocol::instruments(const ShardContext& ctx) const {
  std::vector<InstrumentDescriptor> out;
  // Each synth: value = quantity * price of what it tracks (1 USD for an untracked synth).
  for (const SynthSpec& s : cfg_.synths) {
    InstrumentDescriptor d;
    d.id = name_ + "." + ctx.asset_symbol(s.asset);
    d.protocol = name_;
    if (s.tracks) {
      d.underlyings = {*s.tracks};
      d.deltas_per_unit = {1.0};
    }
    const std::optional<AssetId> tracks = s.tracks;
    d.snapshot_keys = std::vector<std::string>{};
    d.revalue = [tracks](double quantity, const ProtocolSnapshot&, const PriceVector& prices) {
      return quantity * scenario_price(prices, tracks);
    };
    out.push_back(std::move(d));
  }
  // A staker's share of the pool, per whole debt share: -(1 / total shares) * sum(supply * price).
  struct Term {
    std::string key;
    std::optional<AssetId> tracks;
  };
  std::vector<Term> terms;
  InstrumentDescriptor debt;
  debt.id = name_ + ".debt";
  debt.protocol = name_;
  const double shares = wad_to_double(total_shares_);
  for (std::size_t i = 0; i < cfg_.synths.size(); ++i) {
    const SynthSpec& s = cfg_.synths[i];
    terms.push_back(Term{supply_key(ctx.asset_symbol(s.asset)), s.tracks});
    if (!s.tracks) continue;
    const double delta = shares > 0 ? -supply_[i].to_double(ctx.decimals(s.asset)) / shares : 0.0;
    std::size_t k = 0;
    while (k < debt.underlyings.size() && debt.underlyings[k] != *s.tracks) ++k;
    if (k == debt.underlyings.size()) {
      debt.underlyings.push_back(*s.tracks);
      debt.deltas_per_unit.push_back(0.0);
    }
    debt.deltas_per_unit[k] += delta;
  }
  debt.snapshot_keys = std::vector<std::string>{"total_shares"};
  for (const Term& t : terms) debt.snapshot_keys->push_back(t.key);
  debt.revalue = [terms = std::move(terms)](double quantity, const ProtocolSnapshot& snap, const PriceVector& prices) {
    const double total_shares = snap.get("total_shares").value_or(0.0);
    if (total_shares <= 0) return 0.0;
    double pool = 0;
    for (const Term& t : terms) pool += snap.get(t.key).value_or(0.0) * scenario_price(prices, t.tracks);
    return -(quantity / total_shares) * pool;
  };
  out.push_back(std::move(debt));
  return out;
}

}  // namespace shardsim::protocols::synthetics
