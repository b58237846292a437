// Models what the synthetics protocol owes its stakers and what backs its debt beyond them: the
// fee pool shared pro rata by debt shares (a per-share accumulator settled whenever a staker's
// shares change, claimed with `claim_fees`, exact integers rounded down so the pool never pays
// out more than it took in), and a backstop reserve anyone may fund (`fund_reserve`), held by
// the protocol and counted as backing of the debt pool.
#include "protocols/synthetics/debt_math.hpp"
#include "protocols/synthetics/op_support.hpp"
#include "protocols/synthetics/synthetics_protocol.hpp"

namespace shardsim::protocols::synthetics {
namespace {

constexpr i128 kFeeScale = kRayUnit;  // fees_per_share_ precision (sUSD units per share WAD)

}  // namespace

void SyntheticsProtocol::accrue_fees(i128 fee_units) {
  if (fee_units <= 0 || total_shares_ <= 0) return;  // nobody holds debt: the fee stays unallocated
  fees_per_share_ = checked_add(fees_per_share_, mul_div(fee_units, kFeeScale, total_shares_, Round::down));
}

void SyntheticsProtocol::settle_fees(Staker& s) const {
  if (s.shares > 0 && fees_per_share_ > s.fee_checkpoint) {
    s.fees_owed = checked_add(s.fees_owed, mul_div(s.shares, fees_per_share_ - s.fee_checkpoint, kFeeScale, Round::down));
  }
  s.fee_checkpoint = fees_per_share_;
}

i128 SyntheticsProtocol::claimable_fees(AccountId staker) const {
  const auto it = stakers_.find(staker);
  if (it == stakers_.end()) return 0;
  Staker s = it->second;
  try {
    settle_fees(s);
  } catch (const ArithmeticError&) {
    return 0;
  }
  return std::min(s.fees_owed, fee_pool_.raw());
}

OpResult SyntheticsProtocol::claim_fees(ShardContext& ctx, AccountId sender) {
  const auto it = stakers_.find(sender);
  if (it == stakers_.end()) reject("not a staker");
  Staker s = it->second;
  settle_fees(s);
  const i128 paid = std::min(s.fees_owed, fee_pool_.raw());
  if (paid <= 0) reject("no fees to claim");
  const AssetId usd = cfg_.synths[cfg_.susd].asset;
  if (!ctx.transfer(account_, sender, usd, core::Amount::units(paid))) reject("fee pool short");
  s.fees_owed -= paid;
  fee_pool_ -= core::Amount::units(paid);
  store_staker(sender, s);
  return OpResult::success({TxOutput{"claimed", paid, static_cast<std::uint8_t>(ctx.decimals(usd))}});
}

void SyntheticsProtocol::fund_reserve(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  if (!cfg_.reserve) reject("no reserve asset configured");
  const core::Amount amount = positive_amount_arg(args, "amount", ctx, *cfg_.reserve);
  const i128 after = checked_add(reserve_.raw(), amount.raw());
  if (!ctx.transfer(sender, account_, *cfg_.reserve, amount)) {
    reject("insufficient " + ctx.asset_symbol(*cfg_.reserve) + " balance");
  }
  reserve_ = core::Amount::units(after);
}

std::optional<i128> SyntheticsProtocol::reserve_value_wad(const ShardContext& ctx) const {
  if (!cfg_.reserve || reserve_.is_zero()) return 0;
  const auto price = ctx.oracle_price_wad(*cfg_.reserve);
  const i128 p = price && *price > 0 ? *price : kWadUnit;
  try {
    return value_wad(reserve_.raw(), ctx.decimals(*cfg_.reserve), p, Round::down);
  } catch (const ArithmeticError&) {
    return std::nullopt;
  }
}

}  // namespace shardsim::protocols::synthetics
