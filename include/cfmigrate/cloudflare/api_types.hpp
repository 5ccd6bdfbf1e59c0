#pragma once
// Cloudflare v4 API data types and their JSON mapping (boost::json). The envelope
// {success, errors[], messages[], result, result_info} is parsed once here; typed results are
// extracted from `result`. Token values never pass through these types: CreatedToken keeps the
// value in a Secret and nothing maps a Secret to JSON.

#include <cfmigrate/util/result.hpp>
#include <cfmigrate/util/secret.hpp>

#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cfmigrate {
class JsonPath;
}

namespace cfmigrate::cloudflare {

struct ApiMessage {
  long long code = 0;
  std::string message;
};

struct ResultInfo {
  long long page = 0;
  long long per_page = 0;
  long long count = 0;
  long long total_count = 0;
  std::optional<long long> total_pages;
};

struct Envelope {
  bool success = false;
  std::vector<ApiMessage> errors;
  std::vector<ApiMessage> messages;
  boost::json::value result;
  std::optional<ResultInfo> result_info;
};

// Parses a response body as an envelope. parse error when it is not JSON or lacks `success`.
[[nodiscard]] Result<Envelope> parse_envelope(std::string_view body);

// "code 1000: Invalid API Token; code 9109: ..." (empty when there are no errors).
std::string describe_api_errors(const std::vector<ApiMessage>& errors);

struct User {
  std::string id;
  std::string email;
};

struct Account {
  std::string id;
  std::string name;
};

struct Zone {
  std::string id;
  std::string name;
  std::string status;
  std::string account_id;
  std::string account_name;
};

struct PermissionGroup {
  std::string id;
  std::string name;
  std::vector<std::string> scopes;
};

enum class Effect { allow, deny };

// "com.cloudflare.api.account.zone.<id>" -> "*", or an account key -> {zone key -> "*"}.
using NestedResources = std::map<std::string, std::string>;
using ResourceValue = std::variant<std::string, NestedResources>;
using Resources = std::map<std::string, ResourceValue>;

struct Policy {
  std::string id; // server-assigned; empty in a create request
  Effect effect = Effect::allow;
  std::vector<std::string> permission_group_ids;
  Resources resources;
};

struct IpCondition {
  std::vector<std::string> in;     // CIDRs
  std::vector<std::string> not_in; // CIDRs
};

struct TokenSpec {
  std::string name;
  std::vector<Policy> policies;
  std::optional<IpCondition> request_ip;
  std::optional<std::string> not_before; // RFC 3339 UTC
  std::optional<std::string> expires_on; // RFC 3339 UTC
};

struct Token {
  std::string id;
  std::string name;
  std::string status; // active | disabled | expired
  std::vector<Policy> policies;
  std::optional<IpCondition> request_ip;
  std::optional<std::string> not_before;
  std::optional<std::string> expires_on;
  std::optional<std::string> issued_on;
  std::optional<std::string> modified_on;
};

struct CreatedToken {
  Token token;
  Secret value; // shown once by Cloudflare; never logged
};

struct TokenVerification {
  std::string id;
  std::string status;
  std::optional<std::string> not_before;
  std::optional<std::string> expires_on;
};

// JSON mapping. Parsers return parse errors naming the missing or mistyped field.
boost::json::value to_json(const TokenSpec& spec);
// A policy as a token request carries it: never with the id the API assigned.
boost::json::value to_json(const Policy& policy);
[[nodiscard]] Result<User> user_from_json(const boost::json::value& v);
[[nodiscard]] Result<Account> account_from_json(const boost::json::value& v);
[[nodiscard]] Result<Zone> zone_from_json(const boost::json::value& v);
[[nodiscard]] Result<PermissionGroup> permission_group_from_json(const boost::json::value& v);
[[nodiscard]] Result<Policy> policy_from_json(const boost::json::value& v);
// A policy inside another document (a plan), for util/json_read's read_json_as<Policy>.
[[nodiscard]] Result<Policy> tag_invoke(boost::json::try_value_to_tag<Policy>, const boost::json::value& v, const JsonPath& at);
[[nodiscard]] Result<Token> token_from_json(const boost::json::value& v);
[[nodiscard]] Result<TokenVerification> verification_from_json(const boost::json::value& v);
// Reads the token and moves result.value into a Secret; the JSON string is wiped.
[[nodiscard]] Result<CreatedToken> created_token_from_json(boost::json::value& v);

const char* to_string(Effect effect);

} // namespace cfmigrate::cloudflare
