// Models the typed queries a protocol answers for agents and monitors: exact integers read from
// its state (never from the --dump-state JSON, which is for users): bad debt, accounts at risk
// with their health, the liquidation terms it was configured with, and per kind what an agent
// trading or liquidating on it reads (a pool's reserves, a borrower's balances, a perps account's
// margin, a staker's debt). A protocol hands out the views it supports through
// Protocol::queries(); they are read on the LP that owns the protocol, between its events, as of
// ctx.now(). None of them allocates except where it fills a vector the caller passes in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/amount.hpp"
#include "core/time.hpp"
#include "protocols/api/fixed_point.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::protocols {

class ShardContext;

// ---- risk: what every protocol with liabilities answers -------------------------------------

// How an account's health is measured; each is a WAD ratio and lower is worse.
enum class HealthMeasure : std::uint8_t {
  health_factor,  // lending: threshold-weighted collateral / debt; liquidatable below 1
  c_ratio,        // synthetics: collateral value / debt; liquidatable below 1 / liquidation ratio
  margin_ratio,   // perps: equity / maintenance margin; liquidatable below 1
};

struct AccountHealth {
  AccountId account = 0;
  HealthMeasure measure = HealthMeasure::health_factor;
  i128 health_wad = 0;  // the measure, rounded toward zero (negative when a perps equity is)
  // Past the protocol's liquidation line by its own exact rule, now (a synthetics staker must
  // still be flagged and wait out the delay).
  bool liquidatable = false;
};

// The health reported for a ratio beyond measure (no maintenance margin, or above 1e18).
inline constexpr i128 kHealthMaxWad = kWadUnit * kWadUnit;

// num / den as a WAD (den > 0), rounded toward zero, clamped to +/- kHealthMaxWad: never overflows.
inline i128 health_ratio_wad(i128 num, i128 den) {
  if (num / den >= kWadUnit) return kHealthMaxWad;
  if (num / den <= -kWadUnit) return -kHealthMaxWad;
  return mul_div(num, kWadUnit, den, Round::down);
}

class RiskQuery {
 public:
  // USD (WAD) the protocol owes that nothing backs now: lending debt above its borrower's
  // collateral, perps losses socialised (collateral taken as 1 USD), a synthetics debt pool above
  // its staked collateral's value. Accounts or pools that cannot be priced count nothing.
  virtual i128 bad_debt_usd_wad(const ShardContext& ctx) const = 0;
  // The protocol's own loss absorbers, USD (WAD): its insurance fund now (0 without one), what the
  // fund has paid toward losses so far (cumulative), and the losses socialised so far onto its
  // other users (perps: onto the house book beyond the fund; synthetics: the debt pool's unbacked
  // part, shared by every staker; 0 where a protocol socialises nothing).
  virtual i128 insurance_fund_usd_wad(const ShardContext& ctx) const = 0;
  virtual i128 insurance_drawn_usd_wad(const ShardContext& ctx) const = 0;
  virtual i128 socialised_usd_wad(const ShardContext& ctx) const = 0;
  // Appends to `out`, in account-id order, every account with debt or positions that is
  // liquidatable or whose health is below `health_below_wad` (0: the liquidatable ones only).
  // Accounts that cannot be valued now (a price is missing) are left out.
  virtual void accounts_at_risk(const ShardContext& ctx, i128 health_below_wad,
                                std::vector<AccountHealth>& out) const = 0;

 protected:
  ~RiskQuery() = default;
};

// ---- amm ------------------------------------------------------------------------------------

struct PoolView {
  AssetId asset_a = 0;  // the pair, in configured order
  AssetId asset_b = 0;
  i128 reserve_a = 0;   // raw units of asset_a
  i128 reserve_b = 0;
  i128 fee_num = 0;     // the swap fee as a fraction num / den
  i128 fee_den = 1;
  i128 lp_supply = 0;   // raw LP units (18 decimals), the locked minimum included
};

class PoolQuery {
 public:
  virtual PoolView pool_view() const = 0;
  virtual i128 lp_balance(AccountId holder) const = 0;  // raw LP units

 protected:
  ~PoolQuery() = default;
};

// ---- lending --------------------------------------------------------------------------------

struct LendingReserveTerms {
  AssetId asset = 0;
  i128 ltv_wad = 0;
  i128 liq_threshold_wad = 0;  // the health-factor weight of this collateral
  i128 bonus_wad = 0;          // >= 1: a liquidator seizes repaid value x bonus of this collateral
};

struct LendingTerms {
  i128 close_factor_wad = 0;                  // share of one debt a liquidation may repay
  std::vector<LendingReserveTerms> reserves;  // listing order
};

// One account's balances in one listed reserve, interest accrued to now (raw units).
struct LendingBalance {
  AssetId asset = 0;
  i128 supplied = 0;  // rounded down, as the pool pays it out
  i128 borrowed = 0;  // rounded up, as the pool charges it
};

class LendingQuery {
 public:
  virtual const LendingTerms& lending_terms() const = 0;
  // Fills `out` (cleared first) with the account's balance in every listed reserve, in listing
  // order; false (and `out` empty) when it has no position.
  virtual bool balances(const ShardContext& ctx, AccountId account, std::vector<LendingBalance>& out) const = 0;

 protected:
  ~LendingQuery() = default;
};

// ---- perps ----------------------------------------------------------------------------------

struct PerpsMarketTerms {
  std::string name;  // e.g. BTC-PERP
  AssetId index = 0;  // its mark is this asset's oracle price
  i128 imf_wad = 0;
  i128 mmf_wad = 0;  // maintenance margin fraction
};

struct PerpsTerms {
  AssetId collateral = 0;
  i128 liquidation_penalty_wad = 0;  // share of the closed notional taken from equity
  i128 liquidator_share_wad = 0;     // share of that penalty paid to the liquidation's sender
  std::vector<PerpsMarketTerms> markets;
};

// An account's margin at the oracle marks, in raw collateral units.
struct PerpsMargin {
  i128 equity = 0;           // Q + sum S_i * P_i
  i128 imr = 0;
  i128 mmr = 0;
  bool has_positions = false;
};

class PerpsQuery {
 public:
  virtual const PerpsTerms& perps_terms() const = 0;
  virtual std::optional<i128> mark_wad(const ShardContext& ctx, std::size_t market) const = 0;
  virtual i128 position_wad(AccountId account, std::size_t market) const = 0;  // signed; 0 if none
  // Nothing for an unknown account or when a mark is missing.
  virtual std::optional<PerpsMargin> account_margin(const ShardContext& ctx, AccountId account) const = 0;
  // What liquidating `account` now would pay its sender (raw collateral units): the liquidator's
  // share of the penalty on the closed notional, capped by the equity; nothing when the account is
  // not liquidatable.
  virtual std::optional<i128> liquidation_reward(const ShardContext& ctx, AccountId account) const = 0;

 protected:
  ~PerpsQuery() = default;
};

// ---- synthetics -----------------------------------------------------------------------------

struct SynthTerms {
  AssetId asset = 0;
  std::optional<AssetId> tracks;  // the oracle asset it follows; none: exactly 1 USD
  i128 fee_rate_wad = 0;          // an exchange pays the rates of both sides
};

struct SyntheticsTerms {
  AssetId collateral = 0;
  AssetId susd = 0;  // the synth issued, burned by liquidations, and paid as fees
  i128 issuance_ratio_wad = 0;
  i128 liquidation_ratio_wad = 0;    // debt / collateral value above this: liquidatable
  i128 liquidation_penalty_wad = 0;  // a liquidator redeems burned value x (1 + penalty)
  core::Duration liquidation_delay;  // flag -> liquidation allowed
  std::vector<SynthTerms> synths;    // configured order
};

struct StakerView {
  i128 collateral = 0;                      // raw collateral units staked
  std::optional<i128> collateral_value_wad;  // USD; nothing without a collateral price
  std::optional<i128> debt_wad;             // USD; nothing when a synth price is missing
  std::optional<core::SimTime> flagged_at;
};

class SyntheticsQuery {
 public:
  virtual const SyntheticsTerms& synthetics_terms() const = 0;
  virtual core::Amount synth_supply(AssetId synth) const = 0;  // 0 for an asset it does not issue
  virtual std::optional<StakerView> staker(const ShardContext& ctx, AccountId account) const = 0;

 protected:
  ~SyntheticsQuery() = default;
};

// ---- the set a protocol hands out -----------------------------------------------------------

// Views into one protocol (null where it has none); valid as long as the protocol is.
// ---- claims: a protocol whose instruments are held inside it (prediction shares) ------------

class ClaimQuery {
 public:
  virtual ~ClaimQuery() = default;
  // What `holder` holds of instrument `instrument` (its id, `augur.M1-YES`) in WAD whole units;
  // nothing for an instrument the protocol does not list.
  virtual std::optional<i128> claim_held_wad(const ShardContext& ctx, AccountId holder,
                                             std::string_view instrument) const = 0;
};

struct ProtocolQueries {
  const ClaimQuery* claims = nullptr;
  const RiskQuery* risk = nullptr;
  const PoolQuery* pool = nullptr;
  const LendingQuery* lending = nullptr;
  const PerpsQuery* perps = nullptr;
  const SyntheticsQuery* synthetics = nullptr;
};

}  // namespace shardsim::protocols
