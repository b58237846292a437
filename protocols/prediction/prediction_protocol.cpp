// Operation dispatch and argument lookup for the prediction-market protocol.
#include "protocols/prediction/prediction_protocol.hpp"

namespace shardsim::protocols::prediction {

std::vector<std::pair<std::string, std::vector<std::string>>> operation_specs() {
  return {
      {"create_market", {"id", "outcomes", "end", "designated_reporter"}},
      {"buy_complete_set", {"market", "amount"}},
      {"sell_complete_set", {"market", "amount"}},
      {"trade", {"market", "outcome", "shares", "limit"}},
      {"report", {"market", "outcome"}},
      {"dispute", {"market", "outcome", "stake"}},
      {"finalize", {"market"}},
      {"redeem", {"market"}},
  };
}

OpResult PredictionProtocol::apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) {
  if (op == "create_market") return create_market(ctx, sender, args);
  if (op == "buy_complete_set") return buy_complete_set(ctx, sender, args);
  if (op == "sell_complete_set") return sell_complete_set(ctx, sender, args);
  if (op == "trade") return trade(ctx, sender, args);
  if (op == "report") return report(ctx, sender, args);
  if (op == "dispute") return dispute(ctx, sender, args);
  if (op == "finalize") return finalize(ctx, sender, args);
  if (op == "redeem") return redeem(ctx, sender, args);
  return OpResult::revert("unknown op " + std::string(op));
}

const Market* PredictionProtocol::market(std::string_view id) const {
  const auto it = markets_.find(id);
  return it == markets_.end() ? nullptr : &it->second;
}

Market* PredictionProtocol::find_market(const OpArgs& args, std::string& why) {
  const auto id = args.text("market");
  if (!id) {
    why = "missing arg market";
    return nullptr;
  }
  const auto it = markets_.find(*id);
  if (it == markets_.end()) {
    why = "unknown market " + std::string(*id);
    return nullptr;
  }
  return &it->second;
}

std::size_t PredictionProtocol::find_outcome(const Market& m, const OpArgs& args, std::string& why) {
  const auto name = args.text("outcome");
  if (!name) {
    why = "missing arg outcome";
    return m.n();
  }
  const std::size_t i = m.find_outcome(*name);
  if (i == m.n()) why = "unknown outcome " + std::string(*name);
  return i;
}

std::optional<i128> PredictionProtocol::positive_amount(const ShardContext& ctx, const OpArgs& args,
                                                        std::string_view key, std::string& why) const {
  if (!args.text(key)) {
    why = "missing arg " + std::string(key);
    return std::nullopt;
  }
  const auto a = args.amount(key, ctx, params_.collateral);
  if (!a) {
    why = "malformed arg " + std::string(key);
    return std::nullopt;
  }
  if (a->raw() <= 0) {
    why = std::string(key) + " must be positive";
    return std::nullopt;
  }
  return a->raw();
}

}  // namespace shardsim::protocols::prediction
