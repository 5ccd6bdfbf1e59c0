#pragma once
// What the route table's guards and handlers share about one API request: the request, its path
// parameters and query, who is calling, and what the scope guards resolved.

#include "api_envelope.hpp"

#include <cfmigrate/emulator/route_pattern.hpp>
#include <cfmigrate/emulator/service.hpp>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace cfmigrate::emulator {

// Whose tokens a /user/tokens or /accounts/{account_id}/tokens request is about.
struct TokenOwner {
  enum class Kind { user, account };
  Kind kind = Kind::user;
  std::string account_id;          // for Kind::account
  Resource resource;               // the user or the account, for authorization
  std::set<std::string> read_groups;  // "API Tokens Read/Write" or the account variants
  std::set<std::string> write_groups; // "API Tokens Write" or the account variant

  bool is_account() const { return kind == Kind::account; }
  // Whether the token belongs to this owner (a user's tokens exclude the account tokens it created).
  bool owns(const TokenRecord& token, const UserRecord& user) const
  {
    return is_account() ? token.owner_account == account_id
                        : (token.owner_account.empty() && token.owner_user == user.id);
  }
};

struct Service::Call {
  Call(const Request& r, Query q) : request(r), query(std::move(q)) {}

  const Request& request;
  PathParams params;
  Query query;
  std::chrono::system_clock::time_point now_wall = std::chrono::system_clock::now();
  Principal who;                    // set by authenticate()
  const ZoneRecord* zone = nullptr; // set by require_zone()
  std::optional<TokenOwner> owner;  // set by own_user_tokens() / own_account_tokens()
  TokenRecord* token = nullptr;     // set by require_token()

  const UserRecord& user() const { return *who.user; }
  const std::string& param(std::string_view name) const { return params.find(name)->second; }
};

} // namespace cfmigrate::emulator
