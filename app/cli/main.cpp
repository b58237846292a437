// The shardsim executable.
#include "app/cli/cli.hpp"

int main(int argc, char** argv) { return shardsim::app::run_cli(argc, argv); }
