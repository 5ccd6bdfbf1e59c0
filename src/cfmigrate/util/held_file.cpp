#include <cfmigrate/util/held_file.hpp>

#include <cfmigrate/util/file_content.hpp>

namespace cfmigrate {

Result<HeldFile> hold_file_beneath(int root_fd, std::string_view path, std::uint32_t trusted_owner)
{
  HeldFile held;
  CFM_TRY(held.relative, normalize_beneath(path));
  CFM_TRY(AnchoredParent parent, open_parent_beneath(root_fd, held.relative, TrustedOwners{trusted_owner}));
  held.display_path = parent.display_path;
  held.parent = parent.dir_identity;
  CFM_TRY(OpenedFile opened, open_regular_file_at(parent.dir.get(), parent.name, parent.display_path));
  held.identity = identity_of(opened.st);
  CFM_TRY(held.attributes, read_file_attributes(opened.fd.get(), parent.display_path));
  CFM_TRY(held.content, read_fd_content(opened.fd.get(), parent.display_path, k_max_mutable_file_bytes));
  return held;
}

} // namespace cfmigrate
