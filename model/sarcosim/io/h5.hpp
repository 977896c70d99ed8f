// A small RAII layer over the HDF5 C API (Debian's parallel HDF5 builds have no C++ API).
// Every failure throws IoError naming the file and the object.
#pragma once

#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sarcosim::h5 {

// Owns one HDF5 identifier and closes it with the matching function.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), close_(closer) {}
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)), close_(o.close_) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
      close_ = o.close_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  hid_t id() const { return id_; }
  // Closes now and reports failure (a failed close of a file can mean the disk is full).
  bool close() {
    if (id_ < 0) return true;
    const herr_t r = close_(id_);
    id_ = H5I_INVALID_HID;
    return r >= 0;
  }

 private:
  void reset() {
    if (id_ >= 0) close_(id_);
    id_ = H5I_INVALID_HID;
  }
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

// Turns off HDF5's own printing of error stacks (we report errors ourselves, in one line) and its
// clean-up at exit. Called by File::create and File::open_read before anything else, in every
// thread (the error stack is per thread in a thread-safe HDF5).
void silence_errors();

class Group;

// A dataset just written, still open for its attributes: set through it, rather than by opening
// the dataset again by name for each one, they spare a search of the group and a reading of the
// dataset's header each (a fifth of the time a sweep of small runs took).
class Dataset {
 public:
  Dataset(Handle h, std::string where) : h_(std::move(h)), where_(std::move(where)) {}
  void attr(const std::string& name, const std::string& value) const;

 private:
  Handle h_;
  std::string where_;
};

class File {
 public:
  static File create(const std::string& path);     // truncates
  static File open_read(const std::string& path);  // throws IoError if not an HDF5 file
  Group root() const;
  const std::string& path() const { return path_; }
  void close();  // throws IoError if the final flush fails

 private:
  Handle h_;
  std::string path_;
};

class Group {
 public:
  Group(Handle h, std::string where) : h_(std::move(h)), where_(std::move(where)) {}
  hid_t id() const { return h_.id(); }
  const std::string& where() const { return where_; }

  Group create_group(const std::string& name) const;
  Group open_group(const std::string& name) const;
  bool has(const std::string& name) const;
  std::vector<std::string> children() const;

  void attr(const std::string& name, const std::string& value) const;
  void attr(const std::string& name, double value) const;
  void attr(const std::string& name, std::int64_t value) const;
  std::optional<std::string> attr_string(const std::string& name) const;
  std::optional<double> attr_number(const std::string& name) const;
  std::vector<std::string> attr_names() const;

  // Deflate level (0-9) of datasets written here and in groups created from here; 0: none.
  void set_deflate(int level) { deflate_ = level; }
  int deflate() const { return deflate_; }

  // A dataset of numbers with the given shape (chunked and compressed if set_deflate() asked),
  // written from `values` in place (no copy); returned open for its attributes.
  template <class T>
  Dataset write(const std::string& name, const T* values, const std::vector<hsize_t>& dims) const;
  template <class T>
  Dataset write(const std::string& name, const std::vector<T>& values,
                const std::vector<hsize_t>& dims) const {
    check_size(name, values.size(), dims);
    return write(name, values.data(), dims);
  }
  Dataset open_dataset(const std::string& name) const;
  // A one-dimensional dataset of n numbers, to be filled slice by slice with write_slice(), for
  // data that would otherwise need a whole copy in memory.
  template <class T>
  Handle create_dataset(const std::string& name, hsize_t n) const;
  template <class T>
  void write_slice(const Handle& dataset, const std::string& name, hsize_t offset,
                   const std::vector<T>& values) const;
  // A one-dimensional dataset of n numbers value_of(0) ... value_of(n - 1), computed and written
  // `slice` at a time: values derived from the run's state cost no memory per person.
  template <class T, class ValueOf>
  Dataset write_by_slices(const std::string& name, std::size_t n, ValueOf value_of,
                          std::size_t slice = std::size_t{1} << 20) const {
    Handle ds = create_dataset<T>(name, n);
    std::vector<T> values;
    for (std::size_t first = 0; first < n; first += slice) {
      values.resize(std::min(n, first + slice) - first);
      for (std::size_t k = 0; k < values.size(); ++k)
        values[k] = value_of(first + k);
      write_slice(ds, name, first, values);
    }
    return Dataset(std::move(ds), where_ + "/" + name);
  }
  // A one-dimensional, uncompressed dataset of n > 0 numbers whose place in the file is fixed
  // now and whose bytes are left unwritten: returns their offset in the file, where they go once
  // the file is closed (RawDataWriter). Large ones start at a 4 KiB boundary (File::create).
  template <class T>
  std::uint64_t create_unfilled(const std::string& name, hsize_t n) const;
  // A one-dimensional dataset that grows by append(), in chunks of `chunk` values (compressed if
  // set_deflate() asked): data written as a run goes, never held whole.
  template <class T>
  Handle create_growing_dataset(const std::string& name, hsize_t chunk = hsize_t{1} << 16) const;
  template <class T>
  void append(const Handle& dataset, const std::string& name, const std::vector<T>& values) const;
  void write_strings(const std::string& name, const std::vector<std::string>& values) const;
  void write_text(const std::string& name, const std::string& text) const;

  // A whole dataset of numbers converted to T (checks the dataset exists).
  template <class T>
  std::vector<T> read(const std::string& name) const;
  std::vector<double> read_doubles(const std::string& name,
                                   std::vector<hsize_t>* dims = nullptr) const;
  // A dataset's shape, without reading it (a one-dimensional one's: {length}).
  std::vector<hsize_t> shape(const std::string& name) const;
  std::vector<std::string> read_strings(const std::string& name) const;
  std::string read_text(const std::string& name) const;
  std::optional<std::string> dataset_attr_string(const std::string& dataset,
                                                 const std::string& name) const;

 private:
  void check_size(const std::string& name, std::size_t n, const std::vector<hsize_t>& dims) const;
  // Dataset `name` of this group, open; IoError naming `where` if it is missing or unreadable.
  Handle open_existing(const std::string& name, const std::string& where) const;
  Handle h_;
  std::string where_;  // "file.h5:/series", for messages
  int deflate_ = 0;
};

}  // namespace sarcosim::h5
