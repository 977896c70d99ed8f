#include "sarcosim/io/h5.hpp"

#include <algorithm>

#include "sarcosim/core/errors.hpp"

namespace sarcosim::h5 {
namespace {

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw IoError(where + ": " + what);
}

hid_t check(hid_t id, const std::string& where, const std::string& what) {
  if (id < 0) fail(where, what);
  return id;
}

Handle string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(t.id(), H5T_VARIABLE);
  H5Tset_cset(t.id(), H5T_CSET_UTF8);
  return t;
}

template <class T>
hid_t native_type();
template <>
hid_t native_type<double>() {
  return H5T_NATIVE_DOUBLE;
}
template <>
hid_t native_type<float>() {
  return H5T_NATIVE_FLOAT;
}
template <>
hid_t native_type<std::int32_t>() {
  return H5T_NATIVE_INT32;
}
template <>
hid_t native_type<std::uint32_t>() {
  return H5T_NATIVE_UINT32;
}
template <>
hid_t native_type<std::int16_t>() {
  return H5T_NATIVE_INT16;
}
template <>
hid_t native_type<std::uint16_t>() {
  return H5T_NATIVE_UINT16;
}
template <>
hid_t native_type<std::uint8_t>() {
  return H5T_NATIVE_UINT8;
}

// Creation properties: chunks of about 64 KiB along the first axis when compressed. Uncompressed
// datasets stay contiguous, written straight to the file (no chunk cache holding data until the
// close).
Handle creation_properties(const std::vector<hsize_t>& dims, std::size_t element_size,
                           int deflate) {
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  hsize_t n = 1;
  for (auto d : dims)
    n *= d;
  if (n > 0 && deflate > 0) {
    std::vector<hsize_t> chunk = dims;
    hsize_t row = 1;
    for (std::size_t k = 1; k < dims.size(); ++k)
      row *= std::max<hsize_t>(dims[k], 1);
    chunk[0] = std::clamp<hsize_t>(65536 / (row * element_size), 1, std::max<hsize_t>(dims[0], 1));
    H5Pset_chunk(dcpl.id(), static_cast<int>(chunk.size()), chunk.data());
    H5Pset_shuffle(dcpl.id());
    H5Pset_deflate(dcpl.id(), static_cast<unsigned>(deflate));
  }
  return dcpl;
}

void string_attr(hid_t object, const std::string& where, const std::string& name,
                 const std::string& value) {
  Handle type = string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle a(check(H5Acreate2(object, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
                 where, "cannot create attribute " + name),
           H5Aclose);
  const char* p = value.c_str();
  if (H5Awrite(a.id(), type.id(), &p) < 0) fail(where, "cannot write attribute " + name);
}

herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}
herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}

}  // namespace

void silence_errors() {
  // Once, before any other HDF5 call: no atexit clean-up by HDF5. After a failed write (a full
  // disk) HDF5 1.10 keeps a half-closed file whose clean-up at exit crashes; our RAII handles
  // close everything that matters, and the temporary file is removed by us.
  static const bool once = [] {
    H5dont_atexit();
    return true;
  }();
  // In a thread-safe HDF5 each thread has its own error stack, so each thread silences its own:
  // silenced only in a sweep's first worker, the main thread printed dozens of HDF5-DIAG lines
  // when the index met a full disk.
  thread_local const bool silenced = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)once;
  (void)silenced;
}

File File::create(const std::string& path) {
  silence_errors();
  File f;
  f.path_ = path;
  // Objects of 1 MiB and more start at a 4 KiB boundary, so that their bytes can go to the disk
  // in whole blocks (RawDataWriter); smaller ones are packed as HDF5 packs them.
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_alignment(fapl.id(), hsize_t{1} << 20, 4096);
  f.h_ = Handle(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.id()), path,
                      "cannot create the HDF5 file"),
                H5Fclose);
  return f;
}

File File::open_read(const std::string& path) {
  silence_errors();
  File f;
  f.path_ = path;
  if (H5Fis_hdf5(path.c_str()) <= 0) fail(path, "not an HDF5 file (or unreadable, or truncated)");
  f.h_ = Handle(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), path,
                      "cannot open the HDF5 file (corrupt or truncated?)"),
                H5Fclose);
  return f;
}

Group File::root() const {
  return Group(Handle(check(H5Gopen2(h_.id(), "/", H5P_DEFAULT), path_, "cannot open /"), H5Gclose),
               path_ + ":/");
}

void File::close() {
  if (h_.id() >= 0 && H5Fflush(h_.id(), H5F_SCOPE_GLOBAL) < 0)
    fail(path_, "writing failed while flushing (disk full?)");
  if (!h_.close()) fail(path_, "writing failed while closing (disk full?)");
}

Group Group::create_group(const std::string& name) const {
  const std::string w = where_ + (where_.back() == '/' ? "" : "/") + name;
  Group g(Handle(check(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), w,
                       "cannot create group"),
                 H5Gclose),
          w);
  g.deflate_ = deflate_;
  return g;
}

Group Group::open_group(const std::string& name) const {
  const std::string w = where_ + (where_.back() == '/' ? "" : "/") + name;
  if (!has(name)) fail(w, "missing group (not a sarcosim result file?)");
  return Group(
      Handle(check(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), w, "cannot open group"), H5Gclose),
      w);
}

bool Group::has(const std::string& name) const {
  return H5Lexists(id(), name.c_str(), H5P_DEFAULT) > 0;
}

std::vector<std::string> Group::children() const {
  std::vector<std::string> out;
  if (H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name, &out) < 0)
    fail(where_, "cannot list members");
  return out;
}

void Group::attr(const std::string& name, const std::string& value) const {
  string_attr(id(), where_, name, value);
}

void Dataset::attr(const std::string& name, const std::string& value) const {
  string_attr(h_.id(), where_, name, value);
}

void Group::attr(const std::string& name, double value) const {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle a(
      check(H5Acreate2(id(), name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT),
            where_, "cannot create attribute " + name),
      H5Aclose);
  if (H5Awrite(a.id(), H5T_NATIVE_DOUBLE, &value) < 0)
    fail(where_, "cannot write attribute " + name);
}

void Group::attr(const std::string& name, std::int64_t value) const {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle a(
      check(H5Acreate2(id(), name.c_str(), H5T_STD_I64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT),
            where_, "cannot create attribute " + name),
      H5Aclose);
  if (H5Awrite(a.id(), H5T_NATIVE_INT64, &value) < 0)
    fail(where_, "cannot write attribute " + name);
}

std::optional<std::string> Group::attr_string(const std::string& name) const {
  if (H5Aexists(id(), name.c_str()) <= 0) return std::nullopt;
  Handle a(check(H5Aopen(id(), name.c_str(), H5P_DEFAULT), where_, "cannot open " + name),
           H5Aclose);
  Handle ftype(H5Aget_type(a.id()), H5Tclose);
  if (H5Tget_class(ftype.id()) != H5T_STRING || H5Tis_variable_str(ftype.id()) <= 0)
    return std::nullopt;
  Handle type = string_type();
  char* p = nullptr;
  if (H5Aread(a.id(), type.id(), &p) < 0 || !p) fail(where_, "cannot read attribute " + name);
  std::string s(p);
  H5free_memory(p);
  return s;
}

std::optional<double> Group::attr_number(const std::string& name) const {
  if (H5Aexists(id(), name.c_str()) <= 0) return std::nullopt;
  Handle a(check(H5Aopen(id(), name.c_str(), H5P_DEFAULT), where_, "cannot open " + name),
           H5Aclose);
  Handle ftype(H5Aget_type(a.id()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(ftype.id());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) return std::nullopt;
  Handle space(H5Aget_space(a.id()), H5Sclose);
  if (H5Sget_simple_extent_npoints(space.id()) != 1) return std::nullopt;
  double v = 0;
  if (H5Aread(a.id(), H5T_NATIVE_DOUBLE, &v) < 0) fail(where_, "cannot read attribute " + name);
  return v;
}

std::vector<std::string> Group::attr_names() const {
  std::vector<std::string> out;
  hsize_t idx = 0;
  if (H5Aiterate2(id(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_attr, &out) < 0) {
    out.clear();
    idx = 0;
    H5Aiterate2(id(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr, &out);
  }
  return out;
}

void Group::check_size(const std::string& name, std::size_t n,
                       const std::vector<hsize_t>& dims) const {
  hsize_t cells = 1;
  for (auto d : dims)
    cells *= d;
  if (cells != n) fail(where_ + "/" + name, "shape does not match the data");
}

template <class T>
Dataset Group::write(const std::string& name, const T* values,
                     const std::vector<hsize_t>& dims) const {
  hsize_t n = 1;
  for (auto d : dims)
    n *= d;
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  Handle dcpl = creation_properties(dims, sizeof(T), deflate_);
  Handle ds(check(H5Dcreate2(id(), name.c_str(), native_type<T>(), space.id(), H5P_DEFAULT,
                             dcpl.id(), H5P_DEFAULT),
                  where_ + "/" + name, "cannot create dataset"),
            H5Dclose);
  if (n > 0 && H5Dwrite(ds.id(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0)
    fail(where_ + "/" + name, "cannot write dataset (disk full?)");
  return Dataset(std::move(ds), where_ + "/" + name);
}

Handle Group::open_existing(const std::string& name, const std::string& where) const {
  if (!has(name)) fail(where, "missing dataset");
  return Handle(check(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), where, "cannot open dataset"),
                H5Dclose);
}

Dataset Group::open_dataset(const std::string& name) const {
  const std::string w = where_ + "/" + name;
  return Dataset(open_existing(name, w), w);
}

template <class T>
Handle Group::create_dataset(const std::string& name, hsize_t n) const {
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
  Handle dcpl = creation_properties({n}, sizeof(T), deflate_);
  return Handle(check(H5Dcreate2(id(), name.c_str(), native_type<T>(), space.id(), H5P_DEFAULT,
                                 dcpl.id(), H5P_DEFAULT),
                      where_ + "/" + name, "cannot create dataset"),
                H5Dclose);
}

template <class T>
void Group::write_slice(const Handle& dataset, const std::string& name, hsize_t offset,
                        const std::vector<T>& values) const {
  if (values.empty()) return;
  const hsize_t count = values.size();
  Handle file_space(H5Dget_space(dataset.id()), H5Sclose);
  Handle memory_space(H5Screate_simple(1, &count, nullptr), H5Sclose);
  if (H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, &offset, nullptr, &count, nullptr) < 0 ||
      H5Dwrite(dataset.id(), native_type<T>(), memory_space.id(), file_space.id(), H5P_DEFAULT,
               values.data()) < 0)
    fail(where_ + "/" + name, "cannot write dataset (disk full?)");
}

template <class T>
std::uint64_t Group::create_unfilled(const std::string& name, hsize_t n) const {
  const std::string w = where_ + "/" + name;
  if (n == 0) fail(w, "an unfilled dataset needs at least one value");
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_layout(dcpl.id(), H5D_CONTIGUOUS);
  H5Pset_alloc_time(dcpl.id(), H5D_ALLOC_TIME_EARLY);  // its place is fixed now
  H5Pset_fill_time(dcpl.id(), H5D_FILL_TIME_NEVER);    // and nothing written there by HDF5
  Handle ds(check(H5Dcreate2(id(), name.c_str(), native_type<T>(), space.id(), H5P_DEFAULT,
                             dcpl.id(), H5P_DEFAULT),
                  w, "cannot create dataset (disk full?)"),
            H5Dclose);
  const haddr_t offset = H5Dget_offset(ds.id());
  if (offset == HADDR_UNDEF) fail(w, "the dataset has no place in the file");
  return static_cast<std::uint64_t>(offset);
}

template <class T>
Handle Group::create_growing_dataset(const std::string& name, hsize_t chunk) const {
  const hsize_t empty = 0, unlimited = H5S_UNLIMITED;
  Handle space(H5Screate_simple(1, &empty, &unlimited), H5Sclose);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_chunk(dcpl.id(), 1, &chunk);
  if (deflate_ > 0) {
    H5Pset_shuffle(dcpl.id());
    H5Pset_deflate(dcpl.id(), static_cast<unsigned>(deflate_));
  }
  return Handle(check(H5Dcreate2(id(), name.c_str(), native_type<T>(), space.id(), H5P_DEFAULT,
                                 dcpl.id(), H5P_DEFAULT),
                      where_ + "/" + name, "cannot create dataset"),
                H5Dclose);
}

template <class T>
void Group::append(const Handle& dataset, const std::string& name,
                   const std::vector<T>& values) const {
  if (values.empty()) return;
  hsize_t size = 0;
  {
    Handle space(H5Dget_space(dataset.id()), H5Sclose);
    H5Sget_simple_extent_dims(space.id(), &size, nullptr);
  }
  const hsize_t grown = size + values.size();
  if (H5Dset_extent(dataset.id(), &grown) < 0)
    fail(where_ + "/" + name, "cannot extend dataset (disk full?)");
  write_slice(dataset, name, size, values);
}

#define SARCOSIM_H5_NUMBER(T)                                                                     \
  template Dataset Group::write(const std::string&, const T*, const std::vector<hsize_t>&) const; \
  template Handle Group::create_dataset<T>(const std::string&, hsize_t) const;                    \
  template void Group::write_slice(const Handle&, const std::string&, hsize_t,                    \
                                   const std::vector<T>&) const;                                  \
  template Handle Group::create_growing_dataset<T>(const std::string&, hsize_t) const;            \
  template std::uint64_t Group::create_unfilled<T>(const std::string&, hsize_t) const;            \
  template void Group::append(const Handle&, const std::string&, const std::vector<T>&) const;
SARCOSIM_H5_NUMBER(double)
SARCOSIM_H5_NUMBER(float)
SARCOSIM_H5_NUMBER(std::int32_t)
SARCOSIM_H5_NUMBER(std::uint32_t)
SARCOSIM_H5_NUMBER(std::int16_t)
SARCOSIM_H5_NUMBER(std::uint16_t)
SARCOSIM_H5_NUMBER(std::uint8_t)
#undef SARCOSIM_H5_NUMBER

void Group::write_strings(const std::string& name, const std::vector<std::string>& values) const {
  Handle type = string_type();
  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
  Handle ds(check(H5Dcreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT,
                             H5P_DEFAULT),
                  where_ + "/" + name, "cannot create dataset"),
            H5Dclose);
  std::vector<const char*> ptrs;
  for (const auto& s : values)
    ptrs.push_back(s.c_str());
  if (n > 0 && H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) < 0)
    fail(where_ + "/" + name, "cannot write dataset (disk full?)");
}

void Group::write_text(const std::string& name, const std::string& text) const {
  Handle type = string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle ds(check(H5Dcreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT,
                             H5P_DEFAULT),
                  where_ + "/" + name, "cannot create dataset"),
            H5Dclose);
  const char* p = text.c_str();
  if (H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p) < 0)
    fail(where_ + "/" + name, "cannot write dataset (disk full?)");
}

std::optional<std::string> Group::dataset_attr_string(const std::string& dataset,
                                                      const std::string& name) const {
  if (!has(dataset)) return std::nullopt;
  Group g(Handle(check(H5Dopen2(id(), dataset.c_str(), H5P_DEFAULT), where_ + "/" + dataset,
                       "cannot open dataset"),
                 H5Dclose),
          where_ + "/" + dataset);
  return g.attr_string(name);
}

namespace {
std::vector<hsize_t> shape_of(const Handle& ds, const std::string& where) {
  Handle space(H5Dget_space(ds.id()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0 || rank > 8) fail(where, "unreadable shape");
  std::vector<hsize_t> d(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.id(), d.data(), nullptr);
  return d;
}
}  // namespace

std::vector<hsize_t> Group::shape(const std::string& name) const {
  const std::string w = where_ + "/" + name;
  const Handle ds = open_existing(name, w);
  return shape_of(ds, w);
}

std::vector<double> Group::read_doubles(const std::string& name, std::vector<hsize_t>* dims) const {
  const std::string w = where_ + "/" + name;
  const Handle ds = open_existing(name, w);
  const std::vector<hsize_t> d = shape_of(ds, w);
  hsize_t n = 1;
  for (auto x : d)
    n *= x;
  if (n > (hsize_t{1} << 34)) fail(w, "dataset too large to read");
  std::vector<double> out(n);
  if (n > 0 && H5Dread(ds.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    fail(w, "cannot read dataset (corrupt file?)");
  if (dims) *dims = d;
  return out;
}

template <class T>
std::vector<T> Group::read(const std::string& name) const {
  const std::string w = where_ + "/" + name;
  const Handle ds = open_existing(name, w);
  Handle space(H5Dget_space(ds.id()), H5Sclose);
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n < 0 || n > (hssize_t{1} << 36)) fail(w, "unreadable size");
  std::vector<T> out(static_cast<std::size_t>(n));
  if (n > 0 && H5Dread(ds.id(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    fail(w, "cannot read dataset (corrupt file?)");
  return out;
}
template std::vector<double> Group::read(const std::string&) const;
template std::vector<float> Group::read(const std::string&) const;
template std::vector<std::int32_t> Group::read(const std::string&) const;
template std::vector<std::uint32_t> Group::read(const std::string&) const;
template std::vector<std::uint16_t> Group::read(const std::string&) const;
template std::vector<std::uint8_t> Group::read(const std::string&) const;

std::vector<std::string> Group::read_strings(const std::string& name) const {
  const std::string w = where_ + "/" + name;
  const Handle ds = open_existing(name, w);
  Handle space(H5Dget_space(ds.id()), H5Sclose);
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n < 0 || n > (1 << 24)) fail(w, "unreadable size");
  Handle type = string_type();
  Handle ftype(H5Dget_type(ds.id()), H5Tclose);
  if (H5Tget_class(ftype.id()) != H5T_STRING || H5Tis_variable_str(ftype.id()) <= 0)
    fail(w, "not a list of strings");
  std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
  if (n > 0 && H5Dread(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) < 0)
    fail(w, "cannot read dataset");
  std::vector<std::string> out;
  for (char* p : ptrs) {
    out.emplace_back(p ? p : "");
    if (p) H5free_memory(p);
  }
  return out;
}

std::string Group::read_text(const std::string& name) const {
  const std::string w = where_ + "/" + name;
  const Handle ds = open_existing(name, w);
  Handle ftype(H5Dget_type(ds.id()), H5Tclose);
  Handle space(H5Dget_space(ds.id()), H5Sclose);
  if (H5Tget_class(ftype.id()) != H5T_STRING || H5Tis_variable_str(ftype.id()) <= 0 ||
      H5Sget_simple_extent_npoints(space.id()) != 1)
    fail(w, "not a text dataset");
  Handle type = string_type();
  char* p = nullptr;
  if (H5Dread(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p) < 0 || !p)
    fail(w, "cannot read dataset");
  std::string s(p);
  H5free_memory(p);
  return s;
}

}  // namespace sarcosim::h5
