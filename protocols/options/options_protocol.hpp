// Models an Opyn Gamma style options protocol: option series as tokens (one asset each) that
// vaults mint against collateral held in the protocol's account (Gamma's MarginPool); the
// protocol's own margin (naked options fully collateralised, a spread in one vault at its
// maximum loss); an expiry price taken from the shard's oracle after expiry, disputable within a
// window; then cash settlement (holders redeem payouts, vault owners take back the rest) or, as a
// setting, physical settlement (holders exercise in the money, vaults are assigned pro rata).
// No liquidation: every vault is fully collateralised (Gamma v1; v2's naked margin is not
// modelled), so no account is ever at risk.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocols/api/protocol.hpp"
#include "protocols/options/margin.hpp"
#include "protocols/options/options_params.hpp"

namespace shardsim::protocols::options {

// op -> argument keys, shared by the protocol and the topology loader.
std::vector<std::pair<std::string, std::vector<std::string>>> operation_specs();

// A vault (owner, id): Gamma's one collateral asset, one short series, one long series.
struct Vault {
  std::optional<AssetId> collateral;  // fixed by the first deposit
  i128 collateral_units = 0;
  std::optional<std::size_t> short_series;
  i128 short_units = 0;  // option raw units minted and outstanding
  std::optional<std::size_t> long_series;
  i128 long_units = 0;  // option raw units deposited (held by the protocol's account)
};

using VaultKey = std::pair<AccountId, std::string>;

// The oracle's price for one (underlying, expiry): reported after expiry, disputable until
// reported_at + dispute_window.
struct ExpiryPrice {
  i128 price_wad = 0;
  core::SimTime reported_at;
  bool disputed = false;
};

// Per-series totals the settlement needs.
struct SeriesBook {
  i128 short_units = 0;      // minted by vaults and not burned before expiry
  i128 exercised_units = 0;  // physical: options exercised by holders
};

class OptionsProtocol final : public Protocol, public RiskQuery, public ClaimQuery {
 public:
  OptionsProtocol(Params params, std::string name, AccountId account)
      : params_(std::move(params)), name_(std::move(name)), account_(account), books_(params_.series.size()) {}

  std::string_view kind() const override { return "options"; }
  const std::string& name() const override { return name_; }
  AccountId account() const override { return account_; }
  std::vector<std::pair<std::string, std::vector<std::string>>> operations() const override {
    return operation_specs();
  }
  OpResult apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) override;
  nlohmann::ordered_json state(const ShardContext& ctx) const override;
  void digest(core::StateDigest& d, const ShardContext& ctx) const override;  // options_digest.cpp
  ProtocolSnapshot snapshot(const ShardContext& ctx) const override;
  std::vector<InstrumentDescriptor> instruments(const ShardContext& ctx) const override;
  ProtocolQueries queries() const override;
  // A holder's balance of a series' token (`NAME.SERIES`) in WAD: what a broker's pledge audit
  // reads of its own account (options_views.cpp).
  std::optional<i128> claim_held_wad(const ShardContext& ctx, AccountId holder,
                                     std::string_view instrument) const override;
  std::unique_ptr<Protocol> clone() const override { return std::make_unique<OptionsProtocol>(*this); }
  i128 bad_debt_usd_wad(const ShardContext& ctx) const override;
  i128 insurance_fund_usd_wad(const ShardContext&) const override { return 0; }
  i128 insurance_drawn_usd_wad(const ShardContext&) const override { return 0; }
  i128 socialised_usd_wad(const ShardContext&) const override { return 0; }
  void accounts_at_risk(const ShardContext&, i128, std::vector<AccountHealth>&) const override {}

  const Params& params() const { return params_; }
  const std::map<VaultKey, Vault>& vaults() const { return vaults_; }
  const Vault* vault(AccountId owner, std::string_view id) const;
  const SeriesBook& book(std::size_t series) const { return books_[series]; }
  std::optional<std::size_t> find_series(std::string_view name) const;
  // The expiry price of `series` once final (reported and past the dispute window), else nothing.
  std::optional<i128> final_price_wad(const ShardContext& ctx, std::size_t series) const;
  const ExpiryPrice* expiry_price(std::size_t series) const;
  // Raw collateral units the vault needs now (margin.hpp), 0 for a vault without a short.
  i128 required_units(const ShardContext& ctx, const Vault& v) const;
  // What settling the vault at `price_wad` returns to its owner (raw collateral units, before the
  // clamp at 0) and what its short pays and its long receives.
  struct VaultSettlement {
    i128 owner_units = 0;
    i128 short_payout_units = 0;
    i128 long_payout_units = 0;
  };
  VaultSettlement cash_settlement(const ShardContext& ctx, const Vault& v, i128 price_wad) const;

 private:
  // options_vaults.cpp
  OpResult deposit_collateral(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult withdraw_collateral(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult mint(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult burn(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult deposit_long(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult withdraw_long(ShardContext& ctx, AccountId sender, const OpArgs& args);
  // options_expiry.cpp
  OpResult report_price(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult dispute_price(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult settle_vault(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult redeem(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult exercise(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult settle_physical(ShardContext& ctx, const VaultKey& key, const Vault& v, std::size_t s);

  // Argument helpers (options_protocol.cpp): nothing (and `why` set) when missing or malformed.
  std::optional<std::size_t> series_arg(const OpArgs& args, std::string& why) const;
  std::optional<i128> positive_units(const ShardContext& ctx, const OpArgs& args, std::string_view key,
                                     AssetId asset, std::string& why) const;
  // `amount` when given, else all of `token` the sender holds (redeem, exercise).
  std::optional<i128> held_or_amount(const ShardContext& ctx, AccountId sender, const OpArgs& args, AssetId token,
                                     std::string& why) const;
  Vault* vault_arg(AccountId owner, const OpArgs& args, std::string& why);
  // What mint and deposit_long share: the sender's vault, a live series and a positive amount of
  // it; nothing (and `why`) when one is wrong. Then whether the vault's collateral backs the series.
  struct VaultSeriesOp {
    Vault* vault = nullptr;
    std::size_t series = 0;
    i128 units = 0;
  };
  std::optional<VaultSeriesOp> vault_series_op(const ShardContext& ctx, AccountId sender, const OpArgs& args,
                                               std::string& why);
  std::optional<std::string> wrong_collateral(const ShardContext& ctx, const Vault& v, const Series& series) const;
  bool expired(const ShardContext& ctx, std::size_t series) const;
  std::pair<AssetId, std::int64_t> price_key(std::size_t series) const;
  // The end of the physical exercise window for `series` (its price must be final).
  core::SimTime exercise_ends(std::size_t series) const;

  Params params_;
  std::string name_;
  AccountId account_;
  std::map<VaultKey, Vault> vaults_;
  std::vector<SeriesBook> books_;  // by series index
  std::map<std::pair<AssetId, std::int64_t>, ExpiryPrice> prices_;  // (underlying, expiry us)
};

}  // namespace shardsim::protocols::options
