#include <cfmigrate/exec/plan_authentication.hpp>

#include <cfmigrate/exec/state_dir.hpp>
#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/plan/plan_signature.hpp>
#include <cfmigrate/util/anchored_path.hpp>
#include <cfmigrate/util/errno_text.hpp>
#include <cfmigrate/util/file_content.hpp>
#include <cfmigrate/util/hex.hpp>
#include <cfmigrate/util/json_file.hpp>

#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cfmigrate::exec {

namespace {

constexpr std::size_t k_key_bytes = 32;
constexpr std::size_t k_key_hex_digits = 2 * k_key_bytes;

std::string key_path(const std::string& state_dir)
{
  return state_dir + "/plan.key";
}

bool is_key_text(std::string_view text)
{
  return text.size() == k_key_hex_digits && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// The key file as it is: never through a link, ours alone, exactly 64 lowercase hex digits.
Result<Secret> read_key(const std::string& path)
{
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) {
    const int err = errno;
    if (err == ENOENT) {
      return make_error(ErrorCode::not_found, "no plan key yet (`cfmigrate plan -o FILE` creates it)", path);
    }
    if (err == ELOOP) {
      return make_error(ErrorCode::conflict, "the plan key is a symbolic link; remove it", path);
    }
    return make_error(ErrorCode::io, "cannot open the plan key: " + errno_text(err), path);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 077) != 0) {
    return make_error(ErrorCode::conflict,
                      "the plan key must be a regular file owned by the current user with mode 0600", path);
  }
  CFM_TRY(std::string text, read_fd_content(fd.get(), path, k_key_hex_digits + 1));
  if (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  if (!is_key_text(text)) {
    return make_error(ErrorCode::conflict,
                      "the plan key is damaged (not 64 hex digits); delete it and make the plan again", path);
  }
  return Secret(text);
}

// O_EXCL: of two plans creating the key at once, one writes it and the other reads that one.
Status create_key(const std::string& path)
{
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) {
    const int err = errno;
    return err == EEXIST ? Status() : Status(make_error(ErrorCode::io, "cannot create the plan key: " + errno_text(err), path));
  }
  const Secret key(random_hex(k_key_bytes) + "\n");
  const std::string_view text = key.expose_secret_value_for_use_in_credential_slot();
  const ssize_t written = ::write(fd.get(), text.data(), text.size());
  if (written != static_cast<ssize_t>(text.size()) || ::fsync(fd.get()) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return make_error(ErrorCode::io, "cannot write the plan key: " + errno_text(err), path);
  }
  return {};
}

} // namespace

Result<Secret> plan_key(const std::string& state_dir, KeyCreation creation)
{
  const std::string path = key_path(state_dir);
  if (creation == KeyCreation::create_if_missing) {
    CFM_TRY_STATUS(ensure_private_directory(state_dir));
    CFM_TRY_STATUS(create_key(path));
  }
  return read_key(path);
}

Status write_signed_plan_file(const plan::Plan& plan, const std::string& path, const std::string& state_dir)
{
  CFM_TRY(const Secret key, plan_key(state_dir, KeyCreation::create_if_missing));
  boost::json::value document = plan::to_json(plan);
  plan::sign_plan_json(document.as_object(), key);
  return plan::write_plan_document(document, path);
}

Result<plan::Plan> read_authenticated_plan(const std::string& path, const std::string& state_dir, PlanTrust trust)
{
  CFM_TRY(const boost::json::value document, read_json_file(path));
  auto plan = plan::plan_from_json(document);
  if (!plan) {
    return Error(plan.error().code(), plan.error().message(), path);
  }
  if (trust == PlanTrust::trust_unsigned) {
    return plan;
  }
  const std::string how = "; review it (`cfmigrate show`) and apply it with --trust-plan if it is the plan you want";
  auto key = plan_key(state_dir, KeyCreation::existing_only);
  if (!key) {
    return make_error(ErrorCode::conflict,
                      "this plan was not made with the state directory " + state_dir + " (" + key.error().message() + ")" + how,
                      path);
  }
  switch (plan::check_plan_json(document, *key)) {
  case plan::PlanSignature::valid: return plan;
  case plan::PlanSignature::missing:
    return make_error(ErrorCode::conflict, "the plan is not signed (made with `--format json`, or elsewhere)" + how, path);
  case plan::PlanSignature::invalid: break;
  }
  return make_error(ErrorCode::conflict,
                    "the plan was changed since `cfmigrate plan` wrote it, or made with another state directory" + how, path);
}

} // namespace cfmigrate::exec
