// Models "did you mean": the nearest of a set of names to a mistyped one (a subcommand, a flag),
// by edit distance, so a typo gets a suggestion instead of a bare error.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace shardsim::app {

// Levenshtein distance (insert, delete, substitute; each 1).
std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate nearest to `word` when it is close enough to be a typo (distance <= 2, and less
// than half of the word's length); the first such in candidate order on a tie.
std::optional<std::string> nearest_name(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace shardsim::app
