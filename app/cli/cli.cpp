// Command-line parsing with CLI11; errors become one line and exit code 2.
#include "app/cli/cli.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <limits>

#include "app/cli/compare_command.hpp"
#include "app/cli/run_command.hpp"
#include "app/cli/swarm_command.hpp"
#include "app/cli/sweep_command.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/output/atomic_file.hpp"
#include "app/cli/compare_command.hpp"
#include "app/topology/param_path.hpp"
#include "app/cli/run_command.hpp"
#include "app/cli/swarm_command.hpp"
#include "app/cli/sweep_command.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim::app {

int run_cli(int argc, char** argv) {
  CLI::App cli{"shardsim: deterministic simulator of DeFi clearing across a sharded chain"};
  cli.set_version_flag("--version", std::string("shardsim ") + SHARDSIM_VERSION);
  cli.require_subcommand(1);

  RunOptions run;
  std::uint64_t seed = 0;
  CLI::App* run_cmd = cli.add_subcommand("run", "Run a topology and write DIR/summary.json");
  run_cmd->add_option("TOPOLOGY", run.topology, "Topology YAML file")->required();
  CLI::Option* seed_opt = run_cmd->add_option("--seed", seed, "Root seed (overrides the topology's seed)");
  run_cmd->add_option("--out", run.out_dir, "Output directory")->capture_default_str();
  run_cmd->add_flag("--quiet", run.quiet, "Print only the seed= and fingerprint= lines");
  run_cmd->add_option("--dump-state", run.dump_state, "Write the final state (balances, heights, oracles) as JSON");
  run_cmd->add_option("--param", run.params, "PATH=V: set a dotted topology path (replays a sweep point)");
  run_cmd->add_flag("--trace", run.trace, "Write DIR/events.csv: every message and settlement event, one row each");

  std::string validate_path;
  CLI::App* validate_cmd = cli.add_subcommand("validate", "Check a topology and report what is wrong");
  validate_cmd->add_option("TOPOLOGY", validate_path, "Topology YAML file")->required();

  // CLI11 reads `-3` into an unsigned option as 2^64 - 3, `010` as octal 8 and 2^64 as 2^64 - 1:
  // a count or a seed must be digits only, at most 2^64 - 1, and is read in decimal.
  const CLI::Validator digits(
      [](std::string& text) -> std::string {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
          return "Value " + text + " is not a whole number >= 0";
        }
        text.erase(0, std::min(text.find_first_not_of('0'), text.size() - 1));
        const std::string max = std::to_string(std::numeric_limits<std::uint64_t>::max());
        if (text.size() > max.size() || (text.size() == max.size() && text > max)) {
          return "Value " + text + " is larger than " + max;
        }
        return {};
      },
      "");
  const CLI::Validator positive(
      [](std::string& text) -> std::string {
        if (text.find_first_not_of('0') != std::string::npos) return {};
        return "Value " + text + " is not at least 1";
      },
      ">= 1");
  seed_opt->transform(digits);
  SwarmOptions swarm;
  CLI::App* swarm_cmd =
      cli.add_subcommand("swarm", "Run many seeds, each with a fault mix derived from it, and check the invariants");
  swarm_cmd->add_option("TOPOLOGY", swarm.topology, "Topology YAML file")->required();
  swarm_cmd->add_option("--seeds", swarm.seeds, "How many seeds to run (N >= 1)")
      ->required()
      ->transform(digits)
      ->check(positive);
  swarm_cmd->add_option("--first-seed", swarm.first_seed, "The first seed; the seeds are S .. S+N-1")
      ->transform(digits)
      ->capture_default_str();
  swarm_cmd->add_option("--jobs", swarm.jobs, "Seeds run in parallel, one World per thread")
      ->transform(digits)
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  swarm_cmd->add_flag("--quiet", swarm.quiet, "Print failures and the final line only, not each seed's fault mix");

  CompareOptions compare;
  CLI::App* compare_cmd = cli.add_subcommand(
      "compare", "Run several topologies over the same seeds; mean, 95% CI and paired difference from the first");
  compare_cmd->add_option("TOPOLOGIES", compare.topologies, "Two or more topology YAML files; the first is A")
      ->required()
      ->expected(2, 64);
  SweepOptions sweep;
  CLI::App* sweep_cmd =
      cli.add_subcommand("sweep", "Run the cross product of parameter values over N seeds each");
  sweep_cmd->add_option("TOPOLOGY", sweep.topology, "Topology YAML file")->required();
  sweep_cmd->add_option("--param", sweep.params, "PATH=V1,V2,... (dotted topology path, e.g. brokers.0.hedging.policy)")
      ->required()
      ->take_all();
  for (const auto& [cmd, batch] : {std::pair{compare_cmd, &compare.batch}, std::pair{sweep_cmd, &sweep.batch}}) {
    cmd->add_option("--seeds", batch->seeds, "Seeds per topology or point (N >= 1)")
        ->transform(digits)
        ->check(positive)
        ->capture_default_str();
    cmd->add_option("--first-seed", batch->first_seed, "The seeds are S .. S+N-1")
        ->transform(digits)
        ->capture_default_str();
    cmd->add_option("--jobs", batch->jobs, "Replicas run in parallel, one World per thread")
        ->transform(digits)
        ->check(CLI::Range(1u, 1024u))
        ->capture_default_str();
    cmd->add_option("--out", batch->out_dir, "Output directory")->capture_default_str();
    cmd->add_flag("--quiet", batch->quiet, "No progress line and no banner");
  }

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "shardsim: error: " << e.what() << " (expected: see `shardsim --help`)\n";
    return kExitUsage;
  }

  try {
    if (*run_cmd) {
      if (*seed_opt) run.seed = seed;
      check_output_dir(run.out_dir, "--out");
      if (!run.dump_state.empty()) check_output_file(run.dump_state, "--dump-state");
      return run_command(run);
    }
    if (*swarm_cmd) {
      if (swarm.first_seed > std::numeric_limits<std::uint64_t>::max() - (swarm.seeds - 1)) {
        std::cerr << "shardsim: error: --first-seed " << swarm.first_seed << " with --seeds " << swarm.seeds
                  << " runs past the largest seed (expected: first seed + seeds - 1 <= 2^64 - 1)\n";
        return kExitUsage;
      }
      return swarm_command(swarm);
    }
    if (*compare_cmd) {
      check_output_dir(compare.batch.out_dir, "--out");
      return compare_command(compare);
    }
    if (*sweep_cmd) {
      check_output_dir(sweep.batch.out_dir, "--out");
      return sweep_command(sweep);
    }
    return validate_command(validate_path);
  } catch (const TopologyError& e) {
    std::cerr << e.what() << "\n";
    return kExitUsage;
  } catch (const ParamError& e) {
    std::cerr << "shardsim: error: " << e.what() << "\n";
    return kExitUsage;
  } catch (const OutputPathError& e) {
    std::cerr << "shardsim: error: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    // A defect, not a user error: still one line, never an abort.
    std::cerr << "shardsim: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace shardsim::app
