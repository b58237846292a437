// Models a broker client's run on its broker: it reads the health its broker publishes (house
// equity over starting capital, on the same LP) every home slot; once it is below the client's
// `health_below`, the rumour takes `rumour_delay` to move the client, which then stops trading and
// sends one request to close everything and withdraw it all (a withdrawal of amount 0). What
// stands between the run and the broker's default is the broker's own withdrawal delay.
#include "agents/broker_client.hpp"
#include "protocols/api/broker_api.hpp"

namespace shardsim::agents {

void BrokerClientAgent::watch_health(core::Actor& self) {
  const RunSpec& run = *config_.run;
  for (;;) {
    self.sleep_for(config_.health_every);
    if (health_() < run.health_below) break;
  }
  self.sleep_for(run.rumour_delay);
  stats_.ran = true;
  protocols::ClientRequest q;
  q.client = config_.client;
  q.op = protocols::RequestOp::withdraw;
  q.shard = config_.home_shard_id;
  q.amount = core::Amount{};  // everything
  if (!config_.capital.empty()) q.asset = config_.capital.front().first;
  self.send(config_.broker, access_.sample(self.rng()), q);
}

}  // namespace shardsim::agents
