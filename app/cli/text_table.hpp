// Models a plain-text table for the terminal: every column as wide as its widest cell (header
// included), two spaces between columns, text left-aligned and numbers right-aligned.
#pragma once

#include <string>
#include <vector>

namespace shardsim::app {

struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // a row shorter than the header leaves cells empty
  std::vector<bool> right;                     // per column: right-aligned (default: left)

  // The table, one line per row after the header; trailing spaces trimmed.
  std::string str() const;
};

}  // namespace shardsim::app
