// Command-line parsing with CLI11; errors become one line and exit code 2.
#include "app/cli/cli.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "app/cli/compare_command.hpp"
#include "app/cli/risk_command.hpp"
#include "app/cli/run_command.hpp"
#include "app/cli/schema_command.hpp"
#include "app/cli/suggest.hpp"
#include "app/cli/swarm_command.hpp"
#include "app/cli/sweep_command.hpp"
#include "app/output/atomic_file.hpp"
#include "app/output/trace_writer.hpp"
#include "app/topology/param_path.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim::app {
namespace {

// What a count or a seed is checked against.
struct NumberChecks {
  CLI::Validator digits;    // digits only, at most 2^64 - 1, read in decimal
  CLI::Validator positive;  // at least 1
};

// CLI11 reads `-3` into an unsigned option as 2^64 - 3, `010` as octal 8 and 2^64 as 2^64 - 1:
// a count or a seed must be digits only, at most 2^64 - 1, and is read in decimal.
NumberChecks number_checks() {
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
  return {digits, positive};
}

// Every subcommand, and the options parsing fills in; the options are bound by address, so this
// stays where it was made.
struct Commands {
  RunOptions run;
  std::uint64_t seed = 0;  // --seed, copied into run.seed only when given
  std::string validate_path;
  SwarmOptions swarm;
  CompareOptions compare;
  SweepOptions sweep;
  RiskOptions risk;
  SchemaOptions schema;
  std::string explain_key;
  CLI::App* run_cmd = nullptr;
  CLI::Option* seed_opt = nullptr;
  CLI::App* swarm_cmd = nullptr;
  CLI::App* compare_cmd = nullptr;
  CLI::App* sweep_cmd = nullptr;
  CLI::App* risk_cmd = nullptr;
  CLI::App* schema_cmd = nullptr;
  CLI::App* explain_cmd = nullptr;
};

void add_run(CLI::App& cli, Commands& c, const NumberChecks& checks) {
  RunOptions& run = c.run;
  c.run_cmd = cli.add_subcommand("run", "Run a topology and write DIR/summary.json");
  c.run_cmd->add_option("TOPOLOGY", run.topology, "Topology YAML file")->required();
  c.seed_opt = c.run_cmd->add_option("--seed", c.seed, "Root seed (overrides the topology's seed)");
  c.run_cmd->add_option("--out", run.out_dir, "Output directory")->capture_default_str();
  c.run_cmd->add_flag("--quiet", run.quiet, "Print only the seed= and fingerprint= lines");
  c.run_cmd->add_option("--dump-state", run.dump_state, "Write the final state (balances, heights, oracles) as JSON");
  c.run_cmd->add_option("--param", run.params, "PATH=V: set a dotted topology path (replays a sweep point)");
  c.run_cmd->add_flag("--trace", run.trace, "Write DIR/events.csv: every message and settlement event, one row each");
  c.run_cmd
      ->add_option("--trace-kinds", run.trace_kinds,
                   "KIND,...: write only these rows of events.csv (message, tx, receipt, call, liquidation, broker); implies --trace")
      ->delimiter(',')
      ->check(CLI::IsMember(std::vector<std::string>(TraceWriter::kKinds.begin(), TraceWriter::kKinds.end())));
  c.seed_opt->transform(checks.digits);
}

void add_validate(CLI::App& cli, Commands& c) {
  CLI::App* validate_cmd = cli.add_subcommand("validate", "Check a topology and report what is wrong");
  validate_cmd->add_option("TOPOLOGY", c.validate_path, "Topology YAML file")->required();
}

// `schema` and `explain`: the topology language, generated from the loader's key tables.
void add_schema(CLI::App& cli, Commands& c) {
  c.schema_cmd = cli.add_subcommand("schema", "Print the JSON Schema of topology files (docs/topology.schema.json)");
  c.schema_cmd->add_flag("--markdown", c.schema.markdown, "Print the key reference (docs/topology-keys.md) instead");
  c.schema_cmd->add_option("--key", c.schema.key, "Explain one key, as `explain KEY`");
  c.explain_cmd = cli.add_subcommand("explain", "Explain a topology key: type, unit, default, values, meaning");
  c.explain_cmd->add_option("KEY", c.explain_key, "A dotted key path, e.g. brokers.hedging.policy")->required();
}

void add_swarm(CLI::App& cli, Commands& c, const NumberChecks& checks) {
  SwarmOptions& swarm = c.swarm;
  c.swarm_cmd =
      cli.add_subcommand("swarm", "Run many seeds, each with a fault mix derived from it, and check the invariants");
  c.swarm_cmd->add_option("TOPOLOGY", swarm.topology, "Topology YAML file")->required();
  c.swarm_cmd->add_option("--seeds", swarm.seeds, "How many seeds to run (N >= 1)")
      ->required()
      ->transform(checks.digits)
      ->check(checks.positive);
  c.swarm_cmd->add_option("--first-seed", swarm.first_seed, "The first seed; the seeds are S .. S+N-1")
      ->transform(checks.digits)
      ->capture_default_str();
  c.swarm_cmd->add_option("--jobs", swarm.jobs, "Seeds run in parallel, one World per thread")
      ->transform(checks.digits)
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  c.swarm_cmd->add_flag("--quiet", swarm.quiet, "Print failures and the final line only, not each seed's fault mix");
}

// The options compare and sweep share: --seeds, --first-seed, --jobs, --out, --quiet.
void add_batch_options(CLI::App& cmd, BatchOptions& batch, const NumberChecks& checks) {
  cmd.add_option("--seeds", batch.seeds, "Seeds per topology or point (N >= 1)")
      ->transform(checks.digits)
      ->check(checks.positive)
      ->capture_default_str();
  cmd.add_option("--first-seed", batch.first_seed, "The seeds are S .. S+N-1")
      ->transform(checks.digits)
      ->capture_default_str();
  cmd.add_option("--jobs", batch.jobs, "Replicas run in parallel, one World per thread")
      ->transform(checks.digits)
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  cmd.add_option("--out", batch.out_dir, "Output directory")->capture_default_str();
  cmd.add_flag("--quiet", batch.quiet, "No progress line and no banner");
}

// --metric NAME=PATH[:higher|lower|neutral] (compare and sweep): a user metric read from summary.json.
void add_metric_option(CLI::App& cmd, BatchOptions& batch) {
  cmd.add_option("--metric", batch.metrics,
                 "NAME=PATH[:higher|lower|neutral]: also report this number of summary.json (dotted path; list items by "
                 "index or id), e.g. giant_fund=brokers.giant.default_fund_used:lower");
}

void add_compare(CLI::App& cli, Commands& c, const NumberChecks& checks) {
  c.compare_cmd = cli.add_subcommand(
      "compare", "Run several topologies over the same seeds; mean, 95% CI and paired difference from the first");
  c.compare_cmd->add_option("TOPOLOGIES", c.compare.topologies,
                            "Two or more topology YAML files; the first is A (one file with --param B:PATH=V: A/B on it)")
      ->required()
      ->expected(1, 64);
  c.compare_cmd->add_option("--param", c.compare.params,
                            "[T:]PATH=V: set a dotted topology path in topology T (A, B, ... or 1, 2, ...), in all without T");
  add_batch_options(*c.compare_cmd, c.compare.batch, checks);
  add_metric_option(*c.compare_cmd, c.compare.batch);
  c.compare_cmd->add_flag("--risk", c.compare.risk, "Also per broker: P(insolvent), P(bad debt), VaR/ES (as `risk`), per topology");
}

void add_sweep(CLI::App& cli, Commands& c, const NumberChecks& checks) {
  c.sweep_cmd = cli.add_subcommand(
      "sweep", "Run the cross product of parameter values (and samples of ranges) over N seeds each");
  c.sweep_cmd->add_option("TOPOLOGY", c.sweep.topology, "Topology YAML file")->required();
  c.sweep_cmd
      ->add_option("--param", c.sweep.params,
                   "PATH=V1,V2,... or PATH=range:LO..HI; PATH is dotted, list items by index or id "
                   "(brokers.prime.hedging.every=1 slot,5 slots; links.pairs.0.latency.median=range:1s..30s)")
      ->required()
      ->take_all();
  c.sweep_cmd->add_option("--sample", c.sweep.sample,
                          "How the range: parameters are sampled: lhs:N (Latin hypercube, N points) or random:N");
  c.sweep_cmd->add_option("--sample-seed", c.sweep.sample_seed, "Seed of the --sample design (same seed, same points)")
      ->transform(checks.digits)
      ->capture_default_str();
  add_batch_options(*c.sweep_cmd, c.sweep.batch, checks);
  add_metric_option(*c.sweep_cmd, c.sweep.batch);
  c.sweep_cmd->add_flag("--risk", c.sweep.risk, "Also per broker: P(insolvent), P(bad debt), VaR/ES (as `risk`), per point");
}

void add_risk(CLI::App& cli, Commands& c, const NumberChecks& checks) {
  c.risk_cmd = cli.add_subcommand(
      "risk", "Run one topology over N seeds; per broker the probability of insolvency, bad debt and default-fund use, P&L tail (VaR, ES)");
  c.risk_cmd->add_option("TOPOLOGY", c.risk.topology, "Topology YAML file")->required();
  c.risk_cmd->add_option("--param", c.risk.params, "PATH=VALUE set in the topology before it runs, e.g. brokers.0.vertically_integrated=false");
  add_batch_options(*c.risk_cmd, c.risk.batch, checks);
}

// The subcommand argv names (its first non-option argument), if it is one of cli's.
CLI::App* named_subcommand(CLI::App& cli, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("-", 0) == 0) continue;
    for (CLI::App* sub : cli.get_subcommands([](CLI::App*) { return true; })) {
      if (sub->get_name() == a) return sub;
    }
    return nullptr;
  }
  return nullptr;
}

// "; did you mean X?" for the first argument of `args` that is a typo of one of `names`.
std::string suggestion(const std::vector<std::string>& args, const std::vector<std::string>& names) {
  for (const std::string& a : args) {
    if (std::find(names.begin(), names.end(), a) != names.end()) continue;
    if (const std::optional<std::string> near = nearest_name(a, names)) return "; " + a + ": did you mean " + *near + "?";
  }
  return "";
}

// A parse error as one line: what went wrong, a suggestion for a mistyped command or flag, and
// the help to read (the subcommand's when one was named).
std::string parse_error_line(CLI::App& cli, const CLI::ParseError& e, int argc, char** argv) {
  CLI::App* sub = named_subcommand(cli, argc, argv);
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  std::string hint;
  if (sub == nullptr) {
    std::vector<std::string> names;
    for (CLI::App* s : cli.get_subcommands([](CLI::App*) { return true; })) names.push_back(s->get_name());
    std::vector<std::string> words;
    for (const std::string& a : args) {
      if (a.rfind("-", 0) != 0) words.push_back(a);
    }
    if (!words.empty()) {
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      const std::optional<std::string> near = nearest_name(words.front(), names);
      return "shardsim: error: unknown command " + words.front() + (near ? "; did you mean " + *near + "?" : "") +
             " (expected one of: " + list + "; see `shardsim --help`)";
    }
  } else {
    std::vector<std::string> flags;
    for (const CLI::Option* o : sub->get_options()) {
      for (const std::string& l : o->get_lnames()) flags.push_back("--" + l);
    }
    std::vector<std::string> dashed;
    for (const std::string& a : args) {
      if (a.rfind("--", 0) == 0) dashed.push_back(a.substr(0, a.find('=')));
    }
    hint = suggestion(dashed, flags);
  }
  const std::string help = sub == nullptr ? "shardsim --help" : "shardsim " + sub->get_name() + " --help";
  return "shardsim: error: " + std::string(e.what()) + hint + " (expected: see `" + help + "`)";
}

// Parses argv; an exit code when parsing already ended the program (help, version, a bad
// argument), nothing when a subcommand is to run. With no arguments at all: the usage on
// stdout and one error line.
std::optional<int> parse(CLI::App& cli, int argc, char** argv) {
  if (argc <= 1) {
    std::cout << cli.help();
    std::cerr << "shardsim: error: a command is required (expected: see the usage above)\n";
    return kExitUsage;
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
    std::cerr << parse_error_line(cli, e, argc, argv) << "\n";
    return kExitUsage;
  }
  return std::nullopt;
}

// Runs the parsed subcommand after the checks CLI11 cannot make; may throw.
int dispatch(Commands& c) {
  if (*c.run_cmd) {
    if (*c.seed_opt) c.run.seed = c.seed;
    check_output_dir(c.run.out_dir, "--out");
    if (!c.run.dump_state.empty()) check_output_file(c.run.dump_state, "--dump-state");
    return run_command(c.run);
  }
  if (*c.swarm_cmd) {
    const SwarmOptions& swarm = c.swarm;
    if (swarm.first_seed > std::numeric_limits<std::uint64_t>::max() - (swarm.seeds - 1)) {
      std::cerr << "shardsim: error: --first-seed " << swarm.first_seed << " with --seeds " << swarm.seeds
                << " runs past the largest seed (expected: first seed + seeds - 1 <= 2^64 - 1)\n";
      return kExitUsage;
    }
    return swarm_command(swarm);
  }
  if (*c.compare_cmd) {
    check_output_dir(c.compare.batch.out_dir, "--out");
    return compare_command(c.compare);
  }
  if (*c.sweep_cmd) {
    check_output_dir(c.sweep.batch.out_dir, "--out");
    return sweep_command(c.sweep);
  }
  if (*c.schema_cmd) return schema_command(c.schema);
  if (*c.explain_cmd) return explain_command(c.explain_key);
  if (*c.risk_cmd) {
    check_output_dir(c.risk.batch.out_dir, "--out");
    return risk_command(c.risk);
  }
  return validate_command(c.validate_path);
}

// Runs the parsed subcommand; every exception becomes one line on stderr and an exit code.
int dispatch_reporting_errors(Commands& c) {
  try {
    return dispatch(c);
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

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App cli{"shardsim: deterministic simulator of DeFi clearing across a sharded chain"};
  cli.set_version_flag("--version", std::string("shardsim ") + SHARDSIM_VERSION);
  cli.require_subcommand(1);

  Commands commands;
  const NumberChecks checks = number_checks();
  add_run(cli, commands, checks);
  add_validate(cli, commands);
  add_swarm(cli, commands, checks);
  add_compare(cli, commands, checks);
  add_sweep(cli, commands, checks);
  add_risk(cli, commands, checks);
  add_schema(cli, commands);

  if (const std::optional<int> code = parse(cli, argc, argv)) return *code;
  return dispatch_reporting_errors(commands);
}

}  // namespace shardsim::app
