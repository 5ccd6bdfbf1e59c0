#include <cfmigrate/exec/journal.hpp>

#include <cfmigrate/util/errno_text.hpp>
#include <cfmigrate/util/file_content.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cfmigrate::exec {

namespace json = boost::json;

namespace {

std::string escape_pointer_token(std::string_view token)
{
  std::string out;
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool find_in(const json::value& value, std::string& pointer)
{
  switch (value.kind()) {
  case json::kind::string:
    return looks_like_credential(value.get_string());
  case json::kind::array: {
    const json::array& array = value.get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      const std::size_t mark = pointer.size();
      pointer += "/" + std::to_string(i);
      if (find_in(array[i], pointer)) {
        return true;
      }
      pointer.resize(mark);
    }
    return false;
  }
  case json::kind::object:
    for (const auto& kv : value.get_object()) {
      if (looks_like_credential(kv.key())) {
        pointer += "/<redacted key>"; // the pointer must not repeat the key itself
        return true;
      }
      const std::size_t mark = pointer.size();
      pointer += "/" + escape_pointer_token(kv.key());
      if (find_in(kv.value(), pointer)) {
        return true;
      }
      pointer.resize(mark);
    }
    return false;
  default:
    return false;
  }
}

std::string utc_now_millis()
{
  const auto now = std::chrono::system_clock::now();
  const auto millis =
    std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  std::array<char, 40> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                              static_cast<int>(millis < 0 ? millis + 1000 : millis));
  return std::string(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
}

std::optional<std::uint64_t> as_seq(const json::value* v)
{
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_int64() && v->get_int64() > 0) {
    return static_cast<std::uint64_t>(v->get_int64());
  }
  if (v->is_uint64() && v->get_uint64() > 0) {
    return v->get_uint64();
  }
  return std::nullopt;
}

struct Parsed {
  JournalContents contents;
  std::uint64_t complete_bytes = 0; // length of the prefix made of complete lines
};

Result<Parsed> parse_journal(std::string_view text, const std::string& path)
{
  Parsed out;
  std::size_t pos = 0;
  std::uint32_t line_no = 0;
  std::uint64_t expected_seq = 1;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      // An append that never returned: no newline, so it was never acknowledged.
      out.contents.torn_tail = true;
      out.contents.torn_bytes = text.size() - pos;
      break;
    }
    ++line_no;
    const std::string_view line = text.substr(pos, nl - pos);
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) {
      return make_error(ErrorCode::parse, "corrupt journal: line is not a JSON object", path).at(line_no);
    }
    json::object& record = v.get_object();
    const std::optional<std::uint64_t> seq = as_seq(record.if_contains("seq"));
    const json::value* time = record.if_contains("time");
    const json::value* type = record.if_contains("type");
    if (!seq || time == nullptr || !time->is_string() || type == nullptr || !type->is_string()
        || type->get_string().empty()) {
      return make_error(ErrorCode::parse, "corrupt journal: record lacks seq, time or type", path).at(line_no);
    }
    if (*seq != expected_seq) {
      return make_error(ErrorCode::parse,
                        "corrupt journal: expected seq " + std::to_string(expected_seq) + ", found "
                          + std::to_string(*seq),
                        path)
        .at(line_no);
    }
    ++expected_seq;
    out.contents.records.push_back(std::move(record));
    pos = nl + 1;
    out.complete_bytes = pos;
  }
  return out;
}

Status fsync_parent_directory(const std::string& path)
{
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return make_error(ErrorCode::io, "cannot open journal directory: " + errno_text(errno), dir);
  }
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) {
    return make_error(ErrorCode::io, "cannot fsync journal directory: " + errno_text(err), dir);
  }
  return {};
}

} // namespace

std::optional<std::string> find_credential_shaped_string(const json::value& value)
{
  std::string pointer;
  if (find_in(value, pointer)) {
    return pointer;
  }
  return std::nullopt;
}

// ---- Journal ----------------------------------------------------------------------------------

Result<Journal> Journal::open(const std::string& path)
{
  bool created = true;
  int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0 && errno == EEXIST) {
    created = false;
    fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
  }
  if (fd < 0) {
    const int err = errno;
    return make_error(err == ENOENT ? ErrorCode::not_found : ErrorCode::io,
                      "cannot open journal: " + errno_text(err), path);
  }
  Journal journal(path, fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return make_error(ErrorCode::io, "cannot stat journal: " + errno_text(errno), path);
  }
  if (!S_ISREG(st.st_mode)) {
    return make_error(ErrorCode::io, "journal is not a regular file", path);
  }
  if ((st.st_mode & 07777) != 0600 && ::fchmod(fd, 0600) != 0) {
    return make_error(ErrorCode::io, "cannot set journal mode to 0600: " + errno_text(errno), path);
  }
  if (created) {
    CFM_TRY_STATUS(fsync_parent_directory(path));
    return journal;
  }
  CFM_TRY(const std::string text, read_fd_content(fd, path));
  CFM_TRY(Parsed parsed, parse_journal(text, path));
  if (parsed.contents.torn_tail) {
    if (::ftruncate(fd, static_cast<off_t>(parsed.complete_bytes)) != 0 || ::fsync(fd) != 0) {
      return make_error(ErrorCode::io, "cannot cut the torn last line of the journal: " + errno_text(errno), path);
    }
    journal.m_torn_tail_recovered = true;
  }
  journal.m_size = parsed.complete_bytes;
  journal.m_next_seq = parsed.contents.records.size() + 1;
  return journal;
}

Result<JournalContents> Journal::read(const std::string& path)
{
  CFM_TRY(const std::string text, read_file_content(path, FinalSymlink::refuse));
  CFM_TRY(Parsed parsed, parse_journal(text, path));
  return std::move(parsed.contents);
}

Journal::Journal(Journal&& other) noexcept
  : m_path(std::move(other.m_path)),
    m_fd(std::exchange(other.m_fd, -1)),
    m_next_seq(other.m_next_seq),
    m_size(other.m_size),
    m_torn_tail_recovered(other.m_torn_tail_recovered),
    m_broken(other.m_broken)
{
}

Journal::~Journal()
{
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

Result<std::uint64_t> Journal::append(json::object record)
{
  if (m_fd < 0 || m_broken) {
    return make_error(ErrorCode::io, "journal is unusable after an earlier write failure", m_path);
  }
  const json::value* type = record.if_contains("type");
  if (type == nullptr || !type->is_string() || type->get_string().empty()) {
    return make_error(ErrorCode::invalid_argument, "journal record needs a non-empty string \"type\"", m_path);
  }
  if (record.contains("seq") || record.contains("time")) {
    return make_error(ErrorCode::invalid_argument, "journal record must not set \"seq\" or \"time\"", m_path);
  }
  if (const std::optional<std::string> where = find_credential_shaped_string(record)) {
    return make_error(ErrorCode::invalid_argument,
                      "refusing to journal a record whose field \"" + *where
                        + "\" looks like a credential (the journal never holds secrets)",
                      m_path);
  }

  const std::uint64_t seq = m_next_seq;
  json::object envelope(record.storage());
  envelope.reserve(record.size() + 2);
  envelope.emplace("seq", seq);
  envelope.emplace("time", utc_now_millis());
  envelope.emplace("type", *type);
  for (auto& kv : record) {
    if (kv.key() != "type") {
      envelope.emplace(kv.key(), std::move(kv.value()));
    }
  }
  std::string line = json::serialize(envelope);
  // The line must read back as the same record (catches strings that are not valid UTF-8).
  {
    boost::system::error_code ec;
    const json::value back = json::parse(line, ec);
    if (ec || !back.is_object() || back.get_object() != envelope) {
      return make_error(ErrorCode::invalid_argument,
                        "journal record does not survive a JSON round trip (a string that is not valid UTF-8?)",
                        m_path);
    }
  }
  line.push_back('\n');

  const char* data = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(m_fd, data, left);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      // Cut off what was written so the next append does not land on a partial line.
      if (::ftruncate(m_fd, static_cast<off_t>(m_size)) != 0) {
        m_broken = true;
      }
      return make_error(ErrorCode::io, "cannot write journal record: " + errno_text(err), m_path);
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(m_fd) != 0) {
    const int err = errno;
    m_broken = true; // after a failed fsync the kernel may have dropped the dirty pages
    return make_error(ErrorCode::io, "cannot fsync journal: " + errno_text(err), m_path);
  }
  m_size += line.size();
  ++m_next_seq;
  return seq;
}

} // namespace cfmigrate::exec
