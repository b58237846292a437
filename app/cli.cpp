// Command-line parsing with CLI11; errors become one line and exit code 2.
#include "app/cli.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "app/run_command.hpp"
#include "app/topology_loader.hpp"

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

  std::string validate_path;
  CLI::App* validate_cmd = cli.add_subcommand("validate", "Check a topology and report what is wrong");
  validate_cmd->add_option("TOPOLOGY", validate_path, "Topology YAML file")->required();

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
      return run_command(run);
    }
    return validate_command(validate_path);
  } catch (const TopologyError& e) {
    std::cerr << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace shardsim::app
