// Models an Augur v2 style prediction-market protocol: markets with complete sets, an LMSR
// maker, designated and public reporting, escalating dispute bonds, forks and fee-bearing
// redemption. Collateral sits in the protocol's account; shares and stakes are internal claims.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocols/api/protocol.hpp"
#include "protocols/prediction/market.hpp"
#include "protocols/prediction/prediction_params.hpp"

namespace shardsim::protocols::prediction {

// op -> argument keys, shared by the protocol and the topology loader.
std::vector<std::pair<std::string, std::vector<std::string>>> operation_specs();
// "YES,NO" -> {INVALID, YES, NO}; empty with `why` set when malformed (prediction_trading.cpp).
std::vector<std::string> parse_outcomes(std::string_view text, std::string& why);
// The outcome shares of market `market` of protocol `protocol` as broker instruments
// (`NAME.MARKET-OUTCOME`), and the hedge venue of each (prediction_claims.cpp).
std::vector<InstrumentDescriptor> outcome_claims(const std::string& protocol, const std::string& market,
                                                 const std::vector<std::string>& outcomes);
HedgeVenues outcome_venues(const ShardContext& ctx, const Params& params, const std::string& protocol,
                           const std::string& market, const std::vector<std::string>& outcomes);

class PredictionProtocol final : public Protocol, public RiskQuery, public ClaimQuery {
 public:
  PredictionProtocol(Params params, std::string name, AccountId account)
      : params_(std::move(params)), name_(std::move(name)), account_(account) {}

  std::string_view kind() const override { return "prediction"; }
  const std::string& name() const override { return name_; }
  AccountId account() const override { return account_; }
  std::vector<std::pair<std::string, std::vector<std::string>>> operations() const override {
    return operation_specs();
  }
  OpResult apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) override;
  nlohmann::ordered_json state(const ShardContext& ctx) const override;
  // Exact market state (state() shows LMSR prices as doubles): prediction_digest.cpp.
  void digest(core::StateDigest& d, const ShardContext& ctx) const override;
  ProtocolSnapshot snapshot(const ShardContext& ctx) const override;
  std::vector<InstrumentDescriptor> instruments(const ShardContext& ctx) const override;
  // Outcome shares as broker claims and their venues, also those a create_market would add
  // (prediction_claims.cpp).
  HedgeVenues hedge_venues(const ShardContext& ctx) const override;
  std::vector<InstrumentDescriptor> instruments_added_by(const ShardContext& ctx, std::string_view op,
                                                         const OpArgs& args) const override;
  HedgeVenues hedge_venues_added_by(const ShardContext& ctx, std::string_view op, const OpArgs& args) const override;
  std::optional<i128> claim_held_wad(const ShardContext& ctx, AccountId holder,
                                     std::string_view instrument) const override;
  // Typed queries (prediction_queries.cpp).
  ProtocolQueries queries() const override;
  std::unique_ptr<Protocol> clone() const override { return std::make_unique<PredictionProtocol>(*this); }
  i128 bad_debt_usd_wad(const ShardContext& ctx) const override;
  i128 insurance_fund_usd_wad(const ShardContext& ctx) const override;
  i128 insurance_drawn_usd_wad(const ShardContext& ctx) const override;
  i128 socialised_usd_wad(const ShardContext& ctx) const override;
  void accounts_at_risk(const ShardContext& ctx, i128 health_below_wad, std::vector<AccountHealth>& out) const override;

  const Params& params() const { return params_; }
  const std::map<std::string, Market, std::less<>>& markets() const { return markets_; }
  const Market* market(std::string_view id) const;

 private:
  // prediction_trading.cpp
  OpResult create_market(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult buy_complete_set(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult sell_complete_set(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult trade(ShardContext& ctx, AccountId sender, const OpArgs& args);
  // prediction_reporting.cpp
  OpResult report(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult dispute(ShardContext& ctx, AccountId sender, const OpArgs& args);
  // prediction_settlement.cpp
  OpResult finalize(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult redeem(ShardContext& ctx, AccountId sender, const OpArgs& args);

  // Looks up `market` from the args; null (and `why` set) when missing or unknown.
  Market* find_market(const OpArgs& args, std::string& why);
  // Looks up `outcome` by name in `m`; m.n() (and `why` set) when missing or unknown.
  static std::size_t find_outcome(const Market& m, const OpArgs& args, std::string& why);
  // A positive collateral amount under `key`; nothing (and `why` set) otherwise.
  std::optional<i128> positive_amount(const ShardContext& ctx, const OpArgs& args, std::string_view key,
                                      std::string& why) const;

  Params params_;
  std::string name_;
  AccountId account_;
  std::map<std::string, Market, std::less<>> markets_;
};

}  // namespace shardsim::protocols::prediction
