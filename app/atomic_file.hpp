// Models durable output: a file is written to a temporary name beside it and renamed into
// place, so a reader never sees a torn file, even if the run is interrupted.
#pragma once

#include <string>
#include <string_view>

namespace shardsim::app {

// Creates the parent directories. Throws std::runtime_error naming the path on failure.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace shardsim::app
