// Atomic file writes: temporary file, flush, rename.
#include "app/output/atomic_file.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace shardsim::app {

void check_output_dir(const std::string& dir, std::string_view option) {
  namespace fs = std::filesystem;
  const std::string where = std::string(option) + " " + dir + ": ";
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw OutputPathError(where + "exists and is not a directory (expected a directory to write into)");
  }
  fs::create_directories(dir.empty() ? "." : dir, ec);
  if (ec) throw OutputPathError(where + "cannot create the directory: " + ec.message() + " (expected a writable place)");
  // Permissions say too little (root, read-only mounts): create and remove a file.
  const std::string probe = (fs::path(dir.empty() ? "." : dir) / (".shardsim-probe." + std::to_string(::getpid()))).string();
  std::FILE* f = std::fopen(probe.c_str(), "wb");
  if (f == nullptr) throw OutputPathError(where + "cannot create files in it (expected a writable directory)");
  std::fclose(f);
  std::remove(probe.c_str());
}

void check_output_file(const std::string& path, std::string_view option) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    throw OutputPathError(std::string(option) + " " + path + ": is a directory (expected a file path)");
  }
  const fs::path parent = fs::path(path).parent_path();
  check_output_dir(parent.empty() ? "." : parent.string(), option);
}

void write_file_atomically(const std::string& path, std::string_view content) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec) throw std::runtime_error("cannot create directory " + target.parent_path().string() + ": " + ec.message());
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot write " + tmp);
  const bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size() && std::fflush(f) == 0 &&
                  ::fsync(::fileno(f)) == 0;
  std::fclose(f);
  if (!ok) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write " + tmp);
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " + ec.message());
  }
}

AtomicFileStream::AtomicFileStream(std::string path) : path_(std::move(path)) {
  namespace fs = std::filesystem;
  const fs::path target(path_);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec) throw std::runtime_error("cannot create directory " + target.parent_path().string() + ": " + ec.message());
  tmp_ = path_ + ".tmp." + std::to_string(::getpid());
  file_ = std::fopen(tmp_.c_str(), "wb");
  if (file_ == nullptr) throw std::runtime_error("cannot write " + tmp_);
}

AtomicFileStream::~AtomicFileStream() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  std::remove(tmp_.c_str());
}

void AtomicFileStream::write(std::string_view bytes) {
  if (file_ != nullptr && ok_) ok_ = std::fwrite(bytes.data(), 1, bytes.size(), file_) == bytes.size();
}

void AtomicFileStream::commit() {
  if (file_ == nullptr) throw std::runtime_error("cannot write " + tmp_ + ": already committed");
  const bool ok = ok_ && std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  std::fclose(file_);
  file_ = nullptr;
  if (!ok) {
    std::remove(tmp_.c_str());
    throw std::runtime_error("cannot write " + tmp_);
  }
  std::error_code ec;
  std::filesystem::rename(tmp_, path_, ec);
  if (ec) {
    std::remove(tmp_.c_str());
    throw std::runtime_error("cannot rename " + tmp_ + " to " + path_ + ": " + ec.message());
  }
}

}  // namespace shardsim::app
