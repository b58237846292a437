// Market creation, complete sets (mint/redeem one share of every outcome for 1 collateral) and
// trades against the LMSR maker.
#include <algorithm>

#include "protocols/prediction/lmsr.hpp"
#include "protocols/prediction/prediction_protocol.hpp"

namespace shardsim::protocols::prediction {
namespace {

constexpr std::size_t kMaxOutcomes = 16;  // INVALID included

bool is_name(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<std::string> parse_outcomes(std::string_view text, std::string& why) {
  std::vector<std::string> out{"INVALID"};
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view name = trim(text.substr(0, comma));
    if (!is_name(name)) {
      why = "malformed outcome name \"" + std::string(name) + "\" (letters, digits, _)";
      return {};
    }
    if (std::find(out.begin(), out.end(), name) != out.end()) {
      why = "duplicate outcome " + std::string(name);
      return {};
    }
    out.emplace_back(name);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (out.size() < 3) why = "a market needs at least 2 outcomes";
  if (out.size() > kMaxOutcomes) why = "a market has at most " + std::to_string(kMaxOutcomes - 1) + " outcomes";
  return why.empty() ? out : std::vector<std::string>{};
}

OpResult PredictionProtocol::create_market(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const auto id = args.text("id");
  if (!id) return OpResult::revert("missing arg id");
  if (!is_name(*id)) return OpResult::revert("malformed market id (letters, digits, _)");
  if (markets_.contains(*id)) return OpResult::revert("market " + std::string(*id) + " exists");
  const auto outcomes_text = args.text("outcomes");
  if (!outcomes_text) return OpResult::revert("missing arg outcomes");
  std::string why;
  std::vector<std::string> outcomes = parse_outcomes(*outcomes_text, why);
  if (outcomes.empty()) return OpResult::revert(why);
  const auto end_text = args.text("end");
  if (!end_text) return OpResult::revert("missing arg end");
  const auto end = core::SimTime::parse(*end_text);
  if (!end) return OpResult::revert("malformed arg end");
  if (*end <= ctx.now()) return OpResult::revert("end must be in the future");
  const auto reporter_name = args.text("designated_reporter");
  if (!reporter_name) return OpResult::revert("missing arg designated_reporter");
  const auto reporter = ctx.account(*reporter_name);
  if (!reporter) return OpResult::revert("unknown account " + std::string(*reporter_name));

  const i128 b_units = params_.b.raw();
  if (b_units <= 0) return OpResult::revert("liquidity parameter b must be positive");
  const i128 subsidy = lmsr::subsidy_units(b_units, outcomes.size());
  const i128 bond = params_.report_bond.raw();
  if (!ctx.transfer(sender, account_, params_.collateral, core::Amount::units(subsidy + bond))) {
    return OpResult::revert("insufficient balance for subsidy and no-show bond");
  }

  Market m;
  m.id = std::string(*id);
  const std::size_t n = outcomes.size();
  m.outcomes = std::move(outcomes);
  m.creator = sender;
  m.designated_reporter = *reporter;
  m.end = *end;
  m.b_units = b_units;
  m.subsidy_units = subsidy;
  m.no_show_bond_units = bond;
  m.maker_q_units.assign(n, 0);
  m.outstanding_units.assign(n, 0);
  m.collateral_units = subsidy;
  m.stake_units.assign(n, 0);
  m.partial_units.assign(n, 0);
  markets_.emplace(m.id, std::move(m));
  return OpResult::success();
}

OpResult PredictionProtocol::buy_complete_set(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  Market* m = find_market(args, why);
  if (m == nullptr) return OpResult::revert(why);
  const auto amount = positive_amount(ctx, args, "amount", why);
  if (!amount) return OpResult::revert(why);
  if (m->finalized) return OpResult::revert("market finalized");
  if (!ctx.transfer(sender, account_, params_.collateral, core::Amount::units(*amount))) {
    return OpResult::revert("insufficient balance");
  }
  std::vector<i128>& held = m->holdings[sender];
  if (held.empty()) held.assign(m->n(), 0);
  for (std::size_t i = 0; i < m->n(); ++i) {
    held[i] += *amount;
    m->outstanding_units[i] += *amount;
  }
  m->complete_sets_units += *amount;
  m->collateral_units += *amount;
  return OpResult::success();
}

OpResult PredictionProtocol::sell_complete_set(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  Market* m = find_market(args, why);
  if (m == nullptr) return OpResult::revert(why);
  const auto amount = positive_amount(ctx, args, "amount", why);
  if (!amount) return OpResult::revert(why);
  if (m->finalized) return OpResult::revert("market finalized: redeem instead");
  const auto it = m->holdings.find(sender);
  if (it == m->holdings.end() ||
      std::any_of(it->second.begin(), it->second.end(), [&](i128 s) { return s < *amount; })) {
    return OpResult::revert("insufficient shares for complete sets");
  }
  if (!ctx.transfer(account_, sender, params_.collateral, core::Amount::units(*amount))) {
    return OpResult::revert("protocol lacks collateral");
  }
  bool empty = true;
  for (std::size_t i = 0; i < m->n(); ++i) {
    it->second[i] -= *amount;
    m->outstanding_units[i] -= *amount;
    empty = empty && it->second[i] == 0;
  }
  if (empty) m->holdings.erase(it);
  m->complete_sets_units -= *amount;
  m->collateral_units -= *amount;
  return OpResult::success();
}

OpResult PredictionProtocol::trade(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  Market* m = find_market(args, why);
  if (m == nullptr) return OpResult::revert(why);
  const std::size_t k = find_outcome(*m, args, why);
  if (k == m->n()) return OpResult::revert(why);
  if (!args.text("shares")) return OpResult::revert("missing arg shares");
  const auto shares = args.amount("shares", ctx, params_.collateral);
  if (!shares) return OpResult::revert("malformed arg shares");
  const i128 d = shares->raw();
  if (d == 0) return OpResult::revert("shares must be non-zero");
  if (m->reported || m->finalized || ctx.now() >= m->end) return OpResult::revert("trading closed");

  const auto held_it = m->holdings.find(sender);
  const std::optional<i128> cash = d > 0 ? lmsr::buy_cost_units(m->maker_q_units, m->b_units, k, d)
                                         : lmsr::sell_proceeds_units(m->maker_q_units, m->b_units, k, -d);
  if (!cash) return OpResult::revert("trade too large");
  if (d < 0 && (held_it == m->holdings.end() || held_it->second[k] < -d)) {
    return OpResult::revert("insufficient shares");
  }
  // The market stays able to pay every outcome in full (exact check on the rounded amounts).
  const i128 collateral_after = m->collateral_units + (d > 0 ? *cash : -*cash);
  i128 worst_after = 0;
  for (std::size_t i = 0; i < m->n(); ++i) {
    worst_after = std::max(worst_after, m->outstanding_units[i] + (i == k ? d : 0));
  }
  if (collateral_after < worst_after) return OpResult::revert("maker insolvent");
  // The optional limit: the most a buy pays, the least a sell receives (collateral).
  if (args.text("limit")) {
    const auto limit = args.amount("limit", ctx, params_.collateral);
    if (!limit || limit->raw() < 0) return OpResult::revert("malformed arg limit");
    if (d > 0 && *cash > limit->raw()) return OpResult::revert("cost above limit");
    if (d < 0 && *cash < limit->raw()) return OpResult::revert("proceeds below limit");
  }

  if (d > 0 && !ctx.transfer(sender, account_, params_.collateral, core::Amount::units(*cash))) {
    return OpResult::revert("insufficient balance");
  }
  if (d < 0 && *cash > 0 && !ctx.transfer(account_, sender, params_.collateral, core::Amount::units(*cash))) {
    return OpResult::revert("protocol lacks collateral");
  }
  std::vector<i128>& held = m->holdings[sender];
  if (held.empty()) held.assign(m->n(), 0);
  held[k] += d;
  if (std::all_of(held.begin(), held.end(), [](i128 s) { return s == 0; })) m->holdings.erase(sender);
  m->maker_q_units[k] += d;
  m->outstanding_units[k] += d;
  m->collateral_units = collateral_after;
  const auto dec = static_cast<std::uint8_t>(ctx.decimals(params_.collateral));
  return OpResult::success({{"shares", d, dec}, {"cash", *cash, dec}});
}

}  // namespace shardsim::protocols::prediction
