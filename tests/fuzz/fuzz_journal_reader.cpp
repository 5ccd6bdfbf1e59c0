// libFuzzer target: the journal reader (exec/journal.hpp Journal::read) and the replay status and
// rollback start from (exec/migration.hpp summarize). A damaged journal may be refused, never
// crash, hang or leak.

#include <cfmigrate/exec/journal.hpp>
#include <cfmigrate/exec/migration.hpp>

#include "fuzz_input_file.hpp"

#include <boost/json/serialize.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  namespace exec = cfmigrate::exec;
  auto contents = exec::Journal::read(cfmigrate::fuzz::input_file(data, size));
  if (!contents) {
    return 0;
  }
  const exec::MigrationSummary summary = exec::summarize(contents->records);
  (void)boost::json::serialize(exec::to_json(summary));
  return 0;
}
