// Perps reports: the --dump-state view (exact decimals, with each market's order book), the published snapshot (plain numbers)
// and one instrument per market (`NAME.BTC-PERP`) for the broker's margin engine.
#include "protocols/perps/perps.hpp"

namespace shardsim::protocols::perps {
namespace {

std::string wad_str(i128 wad) { return core::Amount::units(wad).str(18); }

}  // namespace

nlohmann::ordered_json Perps::state(const ShardContext& ctx) const {
  const auto cash = [&](i128 units) { return core::Amount::units(units).str(decimals_); };
  nlohmann::ordered_json j;
  j["collateral"] = ctx.asset_symbol(config_.collateral);
  j["insurance_fund"] = insurance_fund_.str(decimals_);
  j["socialised_loss"] = socialised_loss_.str(decimals_);
  j["liquidations"] = liquidations_;
  j["liquidation_penalty"] = wad_str(config_.liquidation_penalty_wad);
  j["liquidator_share"] = wad_str(config_.liquidator_share_wad);

  nlohmann::ordered_json markets = nlohmann::ordered_json::object();
  nlohmann::ordered_json oi = nlohmann::ordered_json::object();
  nlohmann::ordered_json house_positions = nlohmann::ordered_json::object();
  nlohmann::ordered_json orders = nlohmann::ordered_json::object();
  for (std::size_t m = 0; m < config_.markets.size(); ++m) {
    const MarketConfig& mk = config_.markets[m];
    const auto mark = ctx.oracle_price_wad(mk.index);
    markets[mk.name] = {{"index", ctx.asset_symbol(mk.index)},
                        {"mark", mark ? nlohmann::ordered_json(wad_str(*mark)) : nlohmann::ordered_json()},
                        {"imf", wad_str(mk.imf_wad)},
                        {"mmf", wad_str(mk.mmf_wad)},
                        {"last_trade_price", books_[m].last_trade_price
                                                 ? nlohmann::ordered_json(wad_str(*books_[m].last_trade_price))
                                                 : nlohmann::ordered_json()},
                        {"premium_twap", wad_str(premium_twap_wad(m))},
                        {"funding_rate", wad_str(books_[m].last_rate_wad)}};
    if (mk.vamm_depth_wad > 0) {
      const MarketBook& b = books_[m];
      markets[mk.name]["vamm"] = {{"depth", wad_str(mk.vamm_depth_wad)},
                                  {"base", wad_str(b.vamm.base_wad)},
                                  {"quote", wad_str(b.vamm.quote_wad)},
                                  {"price", wad_str(vamm_price_wad(b.vamm))},
                                  {"pegged_index", wad_str(b.vamm_index_wad)},
                                  {"repegs", b.vamm_repegs}};
    }
    nlohmann::ordered_json book = nlohmann::ordered_json::array();
    for (const RestingOrder& o : books_[m].orders) {  // by price, then id
      book.push_back({{"id", o.id},
                      {"account", ctx.account_name(o.account)},
                      {"size", wad_str(o.size_wad)},
                      {"price", wad_str(o.price_wad)}});
    }
    orders[mk.name] = std::move(book);
    oi[mk.name] = {{"long", wad_str(open_interest_[m].long_wad)}, {"short", wad_str(open_interest_[m].short_wad)}};
    if (house_size_wad(m) != 0) house_positions[mk.name] = wad_str(house_size_wad(m));
  }
  j["markets"] = std::move(markets);
  j["open_interest"] = std::move(oi);
  j["orders"] = std::move(orders);
  j["house"] = {{"q", house_q_.str(decimals_)}, {"positions", std::move(house_positions)}};
  j["funding"] = {{"interval", config_.funding_interval.str()},
                  {"next", next_funding_.str()},
                  {"last_rate", wad_str(last_funding_rate_wad_)},
                  {"settlements", funding_settlements_}};

  nlohmann::ordered_json accounts = nlohmann::ordered_json::object();
  for (const auto& [id, acct] : accounts_) {  // by account id: deterministic
    nlohmann::ordered_json a;
    a["q"] = acct.q.str(decimals_);
    const MarginResult r = margin_of(ctx, acct.q.raw(), acct.size_wad, config_.markets.size(), 0);
    if (r.missing_price) {
      a["equity"] = a["imr"] = a["mmr"] = a["free_collateral"] = nullptr;
    } else {
      a["equity"] = cash(r.totals.equity);
      a["imr"] = cash(r.totals.imr);
      a["mmr"] = cash(r.totals.mmr);
      a["free_collateral"] = cash(r.totals.free_collateral());
    }
    nlohmann::ordered_json positions = nlohmann::ordered_json::object();
    for (std::size_t m = 0; m < config_.markets.size(); ++m) {
      if (acct.size_wad[m] != 0) positions[config_.markets[m].name] = wad_str(acct.size_wad[m]);
    }
    a["positions"] = std::move(positions);
    accounts[ctx.account_name(id)] = std::move(a);
  }
  j["accounts"] = std::move(accounts);
  return j;
}

ProtocolSnapshot Perps::snapshot(const ShardContext& ctx) const {
  ProtocolSnapshot s;
  s.taken_at_us = ctx.now().count_us();
  for (std::size_t m = 0; m < config_.markets.size(); ++m) {
    const MarketConfig& mk = config_.markets[m];
    if (const auto mark = ctx.oracle_price_wad(mk.index)) s.values.emplace_back("mark." + mk.name, wad_to_double(*mark));
    s.values.emplace_back("oi_long." + mk.name, wad_to_double(open_interest_[m].long_wad));
    s.values.emplace_back("oi_short." + mk.name, wad_to_double(open_interest_[m].short_wad));
    s.values.emplace_back("funding_rate." + mk.name, wad_to_double(books_[m].last_rate_wad));
  }
  s.values.emplace_back("insurance_fund", insurance_fund_.to_double(decimals_));
  s.values.emplace_back("house_q", house_q_.to_double(decimals_));
  s.values.emplace_back("funding_rate", wad_to_double(last_funding_rate_wad_));
  return s;
}

// A position of qty in market M, entered at the snapshot's mark, is worth
// qty * (P_scenario - P_snapshot) in collateral (USD): delta 1 per unit on the index asset.
std::vector<InstrumentDescriptor> Perps::instruments(const ShardContext& ctx) const {
  std::vector<InstrumentDescriptor> out;
  for (const MarketConfig& mk : config_.markets) {
    const auto mark = ctx.oracle_price_wad(mk.index);
    const double mark_now = mark ? wad_to_double(*mark) : 0.0;
    const AssetId index = mk.index;
    std::string key = "mark." + mk.name;
    InstrumentDescriptor d;
    d.id = name_ + "." + mk.name;
    d.protocol = name_;
    d.underlyings = {index};
    d.deltas_per_unit = {1.0};
    d.snapshot_keys = std::vector<std::string>{key};
    d.revalue = [index, key = std::move(key), mark_now](double qty, const ProtocolSnapshot& snap,
                                                        const PriceVector& prices) {
      const double scenario = index < prices.size() ? prices[index] : 0.0;
      return qty * (scenario - snap.get(key).value_or(mark_now));
    };
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace shardsim::protocols::perps
