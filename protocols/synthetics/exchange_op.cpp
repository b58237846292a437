// The synthetics exchange: burn synth A, mint synth B at oracle prices less the summed fee
// rates, and mint the fee as sUSD into the fee pool (shared by the debt shares); the total debt is
// unchanged.
#include "protocols/synthetics/debt_math.hpp"
#include "protocols/synthetics/op_support.hpp"
#include "protocols/synthetics/synthetics_protocol.hpp"

namespace shardsim::protocols::synthetics {

void SyntheticsProtocol::exchange(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const std::string_view from_symbol = text_arg(args, "from");
  const std::string_view to_symbol = text_arg(args, "to");
  const auto from = synth_index(ctx, from_symbol);
  if (!from) reject("unknown synth " + std::string(from_symbol));
  const auto to = synth_index(ctx, to_symbol);
  if (!to) reject("unknown synth " + std::string(to_symbol));
  if (*from == *to) reject("cannot exchange a synth for itself");
  const SynthSpec& a = cfg_.synths[*from];
  const SynthSpec& b = cfg_.synths[*to];
  const SynthSpec& usd = cfg_.synths[cfg_.susd];
  const core::Amount amount = positive_amount_arg(args, "amount", ctx, a.asset);
  if (amount > supply_[*from]) reject("exchange exceeds " + std::string(from_symbol) + " supply");

  const ExchangeLeg from_leg{ctx.decimals(a.asset), synth_price(ctx, *from)};
  const ExchangeLeg to_leg{ctx.decimals(b.asset), synth_price(ctx, *to)};
  const ExchangeLeg usd_leg = *to == cfg_.susd     ? to_leg
                              : *from == cfg_.susd ? from_leg
                                                   : ExchangeLeg{ctx.decimals(usd.asset), synth_price(ctx, cfg_.susd)};
  const ExchangeQuote q = quote_exchange(amount.raw(), from_leg, to_leg, usd_leg, a.fee_rate_wad + b.fee_rate_wad);
  if (q.out_units <= 0) reject("exchange amount too small");
  // New supplies; the fee lands on sUSD, which may be either leg.
  i128 from_supply = supply_[*from].raw() - amount.raw();
  i128 to_supply = checked_add(supply_[*to].raw(), q.out_units);
  i128 usd_supply = supply_[cfg_.susd].raw();
  i128& fee_target = *to == cfg_.susd ? to_supply : *from == cfg_.susd ? from_supply : usd_supply;
  fee_target = checked_add(fee_target, q.fee_units);
  const i128 fees = checked_add(fee_pool_.raw(), q.fee_units);

  if (!ctx.burn(sender, a.asset, amount)) reject("insufficient " + std::string(from_symbol) + " balance");
  ctx.mint(sender, b.asset, core::Amount::units(q.out_units));
  if (q.fee_units > 0) ctx.mint(account_, usd.asset, core::Amount::units(q.fee_units));
  supply_[cfg_.susd] = core::Amount::units(usd_supply);  // overwritten below when sUSD is a leg
  supply_[*from] = core::Amount::units(from_supply);
  supply_[*to] = core::Amount::units(to_supply);
  fee_pool_ = core::Amount::units(fees);
  accrue_fees(q.fee_units);
}

}  // namespace shardsim::protocols::synthetics
