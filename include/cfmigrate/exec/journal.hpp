#pragma once
// Journal: the append-only JSON Lines record of what apply/rollback intend and did
// (docs/journal-format.md). One record per line; every append is fsynced before it returns, so a
// record the caller saw succeed survives a crash, and a crash mid-append leaves at most one torn
// last line, which readers ignore and report.
//
// Envelope: the journal adds "seq" (1, 2, 3... per file) and "time" (UTC, RFC 3339 with
// milliseconds) in front of the caller's fields; the caller supplies "type" and the rest.
//
// Secrets: the journal knows nothing about secrets, but as a last line of defence it refuses a
// record in which any string (value or key) contains a credential-shaped run; see
// find_credential_shaped_string(). Callers must never rely on this check - they must simply not
// put secrets in records - it only turns a bug that would leak a key onto disk into an error.

#include <cfmigrate/util/credential_shape.hpp>
#include <cfmigrate/util/result.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::exec {

// The result of reading a journal.
struct JournalContents {
  std::vector<boost::json::object> records; // complete records, in file order
  bool torn_tail = false;                   // the file ended with an incomplete line (ignored)
  std::size_t torn_bytes = 0;               // its length
};

class Journal {
public:
  // Opens `path` for appending, creating it with mode 0600 (and fsyncing its directory) when it
  // does not exist. An existing journal is read first: numbering continues after its last record,
  // and a torn last line (an append that never returned) is cut off, which torn_tail_recovered()
  // reports. Errors: ErrorCode::parse for a corrupt journal (a complete line that is not a valid
  // record, or out-of-sequence numbers), ErrorCode::not_found for a missing directory,
  // ErrorCode::io otherwise (a symlink at `path`, permissions).
  [[nodiscard]] static Result<Journal> open(const std::string& path);

  // Reads every complete record of `path`. A torn last line is ignored and reported in the
  // result. A missing file is ErrorCode::not_found; an empty file gives no records.
  [[nodiscard]] static Result<JournalContents> read(const std::string& path);

  Journal(Journal&& other) noexcept;
  Journal& operator=(Journal&& other) = delete;
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  ~Journal();

  // Adds seq and time, writes the record as one line and fsyncs. Returns the record's seq.
  // Refused (nothing written): a missing or empty string "type" (ErrorCode::invalid_argument), a
  // caller-supplied "seq" or "time" (invalid_argument), a credential-shaped string
  // (invalid_argument, the message names the JSON pointer of the field, never its value), a
  // string that is not valid UTF-8 (invalid_argument). A failed write is undone by truncating
  // back; after a failed fsync (or a failed undo) the journal refuses all further appends, since
  // what reached the disk is unknown.
  [[nodiscard]] Result<std::uint64_t> append(boost::json::object record);

  // The seq the next append will get.
  std::uint64_t next_seq() const { return m_next_seq; }
  bool torn_tail_recovered() const { return m_torn_tail_recovered; }
  const std::string& path() const { return m_path; }

private:
  Journal(std::string path, int fd) : m_path(std::move(path)), m_fd(fd) {}

  std::string m_path;
  int m_fd = -1;
  std::uint64_t m_next_seq = 1;
  std::uint64_t m_size = 0;
  bool m_torn_tail_recovered = false;
  bool m_broken = false;
};

// The JSON pointer ("/files/0/note", "" for the root) of the first string value or object key in
// `value` that looks_like_credential() (a credential-shaped key appears as "<redacted key>"), or
// nullopt.
std::optional<std::string> find_credential_shaped_string(const boost::json::value& value);

} // namespace cfmigrate::exec
