#include <cfmigrate/exec/backup_store.hpp>

#include <cfmigrate/util/errno_text.hpp>
#include <cfmigrate/util/file_content.hpp>
#include <cfmigrate/util/hex.hpp>
#include <cfmigrate/util/json_path_field.hpp>
#include <cfmigrate/util/json_read.hpp>
#include <cfmigrate/exec/state_dir.hpp>
#include <cfmigrate/util/sha256.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <optional>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cfmigrate {

namespace json = boost::json;

// Found by read_json_as through ADL on Xattr, so it lives in Xattr's namespace.
static Result<Xattr> tag_invoke(json::try_value_to_tag<Xattr>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  Xattr x;
  CFM_TRY(x.name, f.required<std::string>("name"));
  CFM_TRY(std::string hex, f.required<std::string>("value_hex"));
  std::optional<std::string> value = from_hex(hex);
  if (!value) {
    return at.key("value_hex").error("expected hex digits");
  }
  x.value = std::move(*value);
  return x;
}

} // namespace cfmigrate

namespace cfmigrate::exec {

namespace json = boost::json;

namespace {

constexpr std::string_view k_content_suffix = ".bak";
constexpr std::string_view k_sidecar_suffix = ".json";
constexpr std::int64_t k_sidecar_format = 2;
constexpr std::int64_t k_oldest_sidecar_format = 1; // no relative_path or parent identity

std::string pad_id(std::uint64_t id)
{
  std::string digits = std::to_string(id);
  if (digits.size() < 6) {
    digits.insert(0, 6 - digits.size(), '0');
  }
  return digits;
}

std::string base_name(std::uint64_t id, const std::string& sha256)
{
  return pad_id(id) + "-" + sha256;
}

bool ends_with(std::string_view s, std::string_view suffix)
{
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The id of "NNNNNN-<64 hex>.bak|.json", or 0.
std::uint64_t id_of(std::string_view name)
{
  const std::size_t dash = name.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash > 19) {
    return 0;
  }
  std::uint64_t id = 0;
  for (std::size_t i = 0; i < dash; ++i) {
    if (name[i] < '0' || name[i] > '9') {
      return 0;
    }
    id = id * 10 + static_cast<std::uint64_t>(name[i] - '0');
  }
  return id;
}

json::object to_json(const BackupRecord& r)
{
  json::object o;
  o["format"] = k_sidecar_format;
  o["id"] = r.id;
  put_json_path(o, "original_path", r.original_path);
  put_json_path(o, "relative_path", r.relative_path);
  if (r.parent) {
    o["parent_dev"] = r.parent->dev;
    o["parent_ino"] = r.parent->ino;
  }
  o["sha256"] = r.sha256;
  o["size"] = r.size;
  o["mode"] = r.mode;
  o["uid"] = r.uid;
  o["gid"] = r.gid;
  json::array xattrs;
  for (const Xattr& x : r.xattrs) {
    json::object e;
    e["name"] = x.name;
    e["value_hex"] = to_hex(x.value);
    xattrs.push_back(std::move(e));
  }
  o["xattrs"] = std::move(xattrs);
  return o;
}

} // namespace

// Found by read_json_as through ADL (util/json_read.hpp).
static Result<BackupRecord> tag_invoke(json::try_value_to_tag<BackupRecord>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  BackupRecord r;
  CFM_TRY(std::int64_t format, f.required<std::int64_t>("format"));
  if (format < k_oldest_sidecar_format || format > k_sidecar_format) {
    return at.key("format").error("unknown sidecar format " + std::to_string(format));
  }
  CFM_TRY(r.id, f.required<std::uint64_t>("id"));
  CFM_TRY(r.original_path, read_json_path(f, "original_path"));
  if (format > k_oldest_sidecar_format) {
    // Format 2's additions: where beneath the root, and in which directory, the file was read.
    CFM_TRY(r.relative_path, read_json_path(f, "relative_path"));
    FileIdentity parent;
    CFM_TRY(parent.dev, f.required<std::uint64_t>("parent_dev"));
    CFM_TRY(parent.ino, f.required<std::uint64_t>("parent_ino"));
    r.parent = parent;
  }
  CFM_TRY(r.sha256, f.required<std::string>("sha256"));
  CFM_TRY(r.size, f.required<std::uint64_t>("size"));
  CFM_TRY(r.mode, f.required<std::uint32_t>("mode"));
  CFM_TRY(r.uid, f.required<std::uint32_t>("uid"));
  CFM_TRY(r.gid, f.required<std::uint32_t>("gid"));
  CFM_TRY(r.xattrs, f.required<std::vector<Xattr>>("xattrs"));
  return r;
}

namespace {

Result<BackupRecord> parse_sidecar(std::string_view text, const std::string& path)
{
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec) {
    return make_error(ErrorCode::parse, "malformed backup sidecar", path);
  }
  auto record = read_json_as<BackupRecord>(v, JsonPath("backup sidecar"));
  if (!record) {
    return make_error(ErrorCode::parse, "malformed backup sidecar: " + record.error().message(), path);
  }
  return record;
}

// Owner of files in the store: the original's owner when we can set it (root), else ourselves.
FileAttributes private_file_attributes(std::uint32_t uid, std::uint32_t gid)
{
  FileAttributes a;
  a.mode = 0600;
  if (::geteuid() == 0) {
    a.uid = uid;
    a.gid = gid;
  } else {
    a.uid = static_cast<std::uint32_t>(::geteuid());
    a.gid = static_cast<std::uint32_t>(::getegid());
  }
  return a;
}

} // namespace

Result<BackupStore> BackupStore::open(const std::string& directory)
{
  std::string dir = directory;
  while (dir.size() > 1 && dir.back() == '/') {
    dir.pop_back();
  }
  CFM_TRY_STATUS(ensure_private_directory(dir));
  return BackupStore(std::move(dir));
}

std::string BackupStore::content_path(const BackupRecord& record) const
{
  return m_dir + "/" + base_name(record.id, record.sha256) + std::string(k_content_suffix);
}

std::string BackupStore::sidecar_path(const BackupRecord& record) const
{
  return m_dir + "/" + base_name(record.id, record.sha256) + std::string(k_sidecar_suffix);
}

Result<std::vector<std::string>> BackupStore::file_names() const
{
  DIR* dir = ::opendir(m_dir.c_str());
  if (dir == nullptr) {
    return make_error(ErrorCode::io, "cannot open backup directory: " + errno_text(errno), m_dir);
  }
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") {
      names.push_back(name);
    }
    errno = 0;
  }
  const int err = errno;
  ::closedir(dir);
  if (err != 0) {
    return make_error(ErrorCode::io, "cannot list backup directory: " + errno_text(err), m_dir);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::uint64_t> BackupStore::next_id() const
{
  CFM_TRY(const std::vector<std::string> names, file_names());
  std::uint64_t max_id = 0;
  for (const std::string& name : names) {
    if (ends_with(name, k_content_suffix) || ends_with(name, k_sidecar_suffix)) {
      max_id = std::max(max_id, id_of(name));
    }
  }
  return max_id + 1;
}

Result<BackupRecord> BackupStore::save(const HeldFile& held, const std::string& original_path)
{
  BackupRecord record;
  CFM_TRY(record.id, next_id());
  record.original_path = original_path;
  record.relative_path = held.relative;
  record.parent = held.parent;
  record.sha256 = sha256_hex(held.content);
  record.size = held.content.size();
  record.mode = held.attributes.mode;
  record.uid = held.attributes.uid;
  record.gid = held.attributes.gid;
  record.xattrs = held.attributes.xattrs;
  const std::string sidecar = json::serialize(to_json(record));
  const std::string& content = held.content;

  const std::string bak = content_path(record);
  const std::string side = sidecar_path(record);
  struct stat existing {};
  if (::lstat(bak.c_str(), &existing) == 0 || ::lstat(side.c_str(), &existing) == 0) {
    return make_error(ErrorCode::conflict, "backup file already exists", bak);
  }
  AtomicWriteOptions options;
  options.missing = MissingTarget::create;
  options.attributes = private_file_attributes(record.uid, record.gid);
  CFM_TRY_STATUS(replace_file_atomically(bak, content, options));
  if (Status written = replace_file_atomically(side, sidecar + "\n", options); !written) {
    ::unlink(bak.c_str()); // a copy without a sidecar would only be found by remove_all()
    return written.error();
  }
  return record;
}

Result<std::string> BackupStore::read_content(const BackupRecord& record) const
{
  const std::string path = content_path(record);
  auto bytes = read_file_content(path, FinalSymlink::refuse);
  if (!bytes) {
    return make_error(ErrorCode::io, "backup copy is unreadable: " + bytes.error().message(), path);
  }
  if (bytes->size() != record.size || sha256_hex(*bytes) != record.sha256) {
    return make_error(ErrorCode::io, "backup copy is damaged (size or SHA-256 differs from its record)", path);
  }
  return bytes;
}

Status BackupStore::restore(const BackupRecord& record, const Anchor& anchor, const FailureInjector& injector) const
{
  CFM_TRY(const std::string content, read_content(record));
  AtomicWriteOptions options;
  options.anchor = anchor;
  options.missing = MissingTarget::create;
  options.attributes = FileAttributes{record.mode, record.uid, record.gid, record.xattrs};
  options.failure_injector = injector;
  return replace_file_atomically(record.original_path, content, options);
}

Result<BackupRecord> BackupStore::load(std::uint64_t id) const
{
  CFM_TRY(const std::vector<std::string> names, file_names());
  for (const std::string& name : names) {
    if (ends_with(name, k_sidecar_suffix) && id_of(name) == id) {
      const std::string path = m_dir + "/" + name;
      CFM_TRY(const std::string text, read_file_content(path, FinalSymlink::refuse));
      return parse_sidecar(text, path);
    }
  }
  return make_error(ErrorCode::not_found, "no backup with id " + std::to_string(id), m_dir);
}

Result<std::vector<BackupRecord>> BackupStore::list() const
{
  CFM_TRY(const std::vector<std::string> names, file_names());
  std::vector<BackupRecord> records;
  for (const std::string& name : names) {
    if (!ends_with(name, k_sidecar_suffix) || id_of(name) == 0) {
      continue;
    }
    const std::string path = m_dir + "/" + name;
    CFM_TRY(const std::string text, read_file_content(path, FinalSymlink::refuse));
    CFM_TRY(BackupRecord record, parse_sidecar(text, path));
    records.push_back(std::move(record));
  }
  std::sort(records.begin(), records.end(),
            [](const BackupRecord& a, const BackupRecord& b) { return a.id < b.id; });
  return records;
}

Result<std::size_t> BackupStore::remove_all()
{
  CFM_TRY(const std::vector<std::string> names, file_names());
  const int dir_fd = ::open(m_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    return make_error(ErrorCode::io, "cannot open backup directory: " + errno_text(errno), m_dir);
  }
  std::size_t removed = 0;
  for (const std::string& name : names) {
    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(st.st_mode)) {
      continue;
    }
    if (::unlinkat(dir_fd, name.c_str(), 0) != 0 && errno != ENOENT) {
      const int err = errno;
      ::close(dir_fd);
      return make_error(ErrorCode::io, "cannot remove backup: " + errno_text(err), m_dir + "/" + name);
    }
    ++removed;
  }
  const int rc = ::fsync(dir_fd);
  const int err = errno;
  ::close(dir_fd);
  if (rc != 0) {
    return make_error(ErrorCode::io, "cannot fsync backup directory: " + errno_text(err), m_dir);
  }
  return removed;
}

} // namespace cfmigrate::exec
