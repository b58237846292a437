// Models durable output: a file is written to a temporary name beside it and renamed into
// place, so a reader never sees a torn file, even if the run is interrupted.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

namespace shardsim::app {

// An output place given on the command line that cannot be written: a user error, found before
// the run so that no work is lost.
class OutputPathError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Creates `dir` (and its parents) and proves a file can be created in it; `option` names the
// flag in the message (`--out out/x: ... is a file, not a directory`). Throws OutputPathError.
void check_output_dir(const std::string& dir, std::string_view option);
// The same for a single output file: its directory must be writable, and `path` must not be
// a directory.
void check_output_file(const std::string& path, std::string_view option);

// Creates the parent directories. Throws std::runtime_error naming the path on failure.
void write_file_atomically(const std::string& path, std::string_view content);

// The same for content too large to hold: appended to the temporary file as it comes, renamed
// into place by commit(). Destroyed without commit() (an error, an exception), the temporary
// file is removed and `path` is left as it was.
class AtomicFileStream {
 public:
  explicit AtomicFileStream(std::string path);  // throws like write_file_atomically
  ~AtomicFileStream();
  AtomicFileStream(const AtomicFileStream&) = delete;
  AtomicFileStream& operator=(const AtomicFileStream&) = delete;
  void write(std::string_view bytes);
  void commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_, tmp_;
  std::FILE* file_ = nullptr;
  bool ok_ = true;
};

}  // namespace shardsim::app
