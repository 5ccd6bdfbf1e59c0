#!/usr/bin/env python3
"""Builds a server tree and an emulator seed for the apply-pacing benchmark (issue 7, part 2).

The server is a shared web host run by an agency: C customers, each with their own Cloudflare
login (user + account) and S zones, one site per zone on this server. Every site holds its
customer's Global API key in one of three places, round-robin:

  WordPress  /var/www/<zone>/wp-config.php               Cloudflare plugin defines (CLOUDFLARE_DOMAIN_NAME)
  certbot    /etc/letsencrypt/cloudflare/<zone>.ini       + /etc/letsencrypt/renewal/<zone>.conf naming it
  curl       /usr/local/bin/cf-purge-<zone>.sh            POST /zones/<zone id>/purge_cache

`cfmigrate plan` groups usages into one token per file by default (--group-by file: the group key
is credential | recipe | path, src/cfmigrate/plan/planner.cpp), and every file names exactly one
zone, so the plan has exactly C * S zone-scoped tokens and grouping cannot merge any two of them.

Why several customers: apply creates user-owned tokens (POST /user/tokens) and the emulator
allows 50 user tokens per user (service.cpp, error 1007; docs/emulator.md). S is therefore capped
at 50; the default 13 x 40 = 520 tokens.

Writes (OUT is --out):
  OUT/root/...                  the tree (pass --root OUT/root to cfmigrate)
  OUT/emulator-seed.json        users (with their Global keys), accounts, zones
  OUT/manifest.json             counts only: customers, sites, tokens expected, per-style counts

The keys are in the tree and the seed (both 0600 where they are files a real server would protect)
and nowhere else: this script prints counts and paths, never a key.

    python3 tests/bench/generate_apply_tree.py --out /tmp/apply-tree            # 520 tokens
    python3 tests/bench/generate_apply_tree.py --out /tmp/t --customers 2 --sites 5
"""

import argparse
import json
import os
import random
import shutil
import sys

USER_TOKEN_QUOTA = 50  # user-owned tokens per user, enforced by the emulator

CUSTOMERS = ("northwind", "bluefin", "copperleaf", "harbor", "kestrel", "juniper", "lumen", "meridian",
             "oakridge", "pinecrest", "quarry", "redwood", "saltmarsh", "tidewater", "umber", "vantage",
             "willow", "yarrow", "zephyr", "alder")
WORDS = ("bakery", "books", "cafe", "clinic", "coffee", "dental", "design", "events", "farm", "fitness",
         "florist", "garage", "garden", "gallery", "hotel", "legal", "media", "motors", "music", "optics",
         "pets", "photo", "press", "realty", "repair", "school", "shop", "spa", "sports", "studio",
         "tailor", "tours", "travel", "tutor", "vet", "wines", "yoga", "crafts", "health", "labs",
         "kitchen", "market", "outdoor", "print", "rentals", "salon", "supply", "tech", "toys", "works")
TLDS = ("com", "net", "org", "io", "co.uk", "de")


class Writer:
    def __init__(self, root):
        self.root = root
        self.files = 0

    def write(self, path, text, mode=0o644):
        real = self.root + path
        os.makedirs(os.path.dirname(real), exist_ok=True)
        with open(real, "w") as f:
            f.write(text)
        os.chmod(real, mode)
        self.files += 1


def hexs(rng, n):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def global_key(rng, used):
    # 37 lowercase hex like a real Global key; never all one digit, never a documentation example.
    while True:
        k = hexs(rng, 37)
        if len(set(k)) > 4 and not k.startswith("0123456789abcdef") and k not in used:
            used.add(k)
            return k


def wordpress(w, zone, email, key, rng):
    db = zone.split(".")[0].replace("-", "_")[:16]
    salts = "".join("define( '%s', '%s' );\n" % (n, hexs(rng, 64)) for n in ("AUTH_KEY", "SECURE_AUTH_KEY", "NONCE_KEY"))
    w.write("/var/www/%s/wp-config.php" % zone, f"""<?php
/**
 * The base configuration for WordPress
 *
 * @package WordPress
 */
define( 'DB_NAME', '{db}' );
define( 'DB_USER', '{db}' );
define( 'DB_PASSWORD', '{hexs(rng, 20)}' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );

{salts}
$table_prefix = 'wp_';

define( 'WP_HOME', 'https://www.{zone}' );
define( 'WP_SITEURL', 'https://www.{zone}' );

// Cloudflare plugin
define( 'CLOUDFLARE_EMAIL', '{email}' );
define( 'CLOUDFLARE_API_KEY', '{key}' );
define( 'CLOUDFLARE_DOMAIN_NAME', '{zone}' );

define( 'WP_DEBUG', false );

if ( ! defined( 'ABSPATH' ) ) {{
    define( 'ABSPATH', __DIR__ . '/' );
}}

require_once ABSPATH . 'wp-settings.php';
""", 0o640)


def certbot(w, zone, email, key, rng):
    ini = "/etc/letsencrypt/cloudflare/%s.ini" % zone
    w.write(ini, f"""# Cloudflare API credentials used by Certbot for {zone}
dns_cloudflare_email = {email}
dns_cloudflare_api_key = {key}
""", 0o600)
    w.write("/etc/letsencrypt/renewal/%s.conf" % zone, f"""# renew_before_expiry = 30 days
version = 2.11.0
archive_dir = /etc/letsencrypt/archive/{zone}
cert = /etc/letsencrypt/live/{zone}/cert.pem
privkey = /etc/letsencrypt/live/{zone}/privkey.pem
chain = /etc/letsencrypt/live/{zone}/chain.pem
fullchain = /etc/letsencrypt/live/{zone}/fullchain.pem

# Options used in the renewal process
[renewalparams]
account = {hexs(rng, 32)}
authenticator = dns-cloudflare
dns_cloudflare_credentials = {ini}
dns_cloudflare_propagation_seconds = 30
server = https://acme-v02.api.letsencrypt.org/directory
key_type = ecdsa
""")


def curl_script(w, zone, zone_id, email, key, rng):
    w.write("/usr/local/bin/cf-purge-%s.sh" % zone, f"""#!/bin/bash
# Purge the Cloudflare cache of {zone} after a deploy.
set -euo pipefail
curl -fsS -X POST "https://api.cloudflare.com/client/v4/zones/{zone_id}/purge_cache" \\
  -H "X-Auth-Email: {email}" \\
  -H "X-Auth-Key: {key}" \\
  -H "Content-Type: application/json" \\
  --data '{{"purge_everything":true}}'
""", 0o750)


STYLES = ("wordpress", "certbot", "curl")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (root/, emulator-seed.json, manifest.json)")
    ap.add_argument("--customers", type=int, default=13, help="Cloudflare users (default 13)")
    ap.add_argument("--sites", type=int, default=40, help="zones and sites per customer, at most %d (default 40)" % USER_TOKEN_QUOTA)
    ap.add_argument("--seed", type=int, default=7, help="PRNG seed (same seed, same tree and keys)")
    ap.add_argument("--force", action="store_true", help="replace an existing OUT")
    args = ap.parse_args()
    if not 1 <= args.customers <= len(CUSTOMERS):
        sys.exit("--customers must be 1..%d" % len(CUSTOMERS))
    if not 1 <= args.sites <= USER_TOKEN_QUOTA:
        sys.exit("--sites must be 1..%d: apply creates user tokens and a user may own %d" % (USER_TOKEN_QUOTA, USER_TOKEN_QUOTA))
    if os.path.exists(args.out):
        if not args.force and os.listdir(args.out):
            sys.exit("%s exists and is not empty (use --force)" % args.out)
        shutil.rmtree(os.path.join(args.out, "root"), ignore_errors=True)
    os.makedirs(args.out, exist_ok=True)

    rng = random.Random(args.seed)
    w = Writer(os.path.join(args.out, "root"))
    seed = {"users": [], "accounts": [], "zones": []}
    used_keys = set()
    counts = dict.fromkeys(STYLES, 0)
    zone_names = set()
    site = 0
    for c in range(args.customers):
        customer = CUSTOMERS[c]
        user_id, account_id = hexs(rng, 32), hexs(rng, 32)
        # The e-mail's domain is not one of the zones: the planner ignores e-mail domains anyway.
        email = "hostmaster@%s-agency.example" % customer
        key = global_key(rng, used_keys)
        seed["users"].append({"id": user_id, "email": email, "global_key": key, "accounts": [account_id]})
        seed["accounts"].append({"id": account_id, "name": "%s (customer %d)" % (customer.capitalize(), c + 1)})
        words = rng.sample(WORDS, args.sites)
        for s in range(args.sites):
            zone = "%s-%s.%s" % (customer, words[s], TLDS[(c + s) % len(TLDS)])
            assert zone not in zone_names
            zone_names.add(zone)
            zone_id = hexs(rng, 32)
            seed["zones"].append({"id": zone_id, "name": zone, "account": account_id, "status": "active"})
            style = STYLES[site % len(STYLES)]
            site += 1
            counts[style] += 1
            if style == "wordpress":
                wordpress(w, zone, email, key, rng)
            elif style == "certbot":
                certbot(w, zone, email, key, rng)
            else:
                curl_script(w, zone, zone_id, email, key, rng)
    # A little of what else is on such a host, without keys.
    w.write("/etc/hostname", "web-shared-01\n")
    w.write("/etc/letsencrypt/cli.ini", "# certbot defaults\nmax-log-backups = 0\n")

    seed_path = os.path.join(args.out, "emulator-seed.json")
    fd = os.open(seed_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(seed, f, indent=1)
        f.write("\n")
    manifest = {"customers": args.customers, "sites_per_customer": args.sites, "tokens_expected": site,
                "styles": counts, "files": w.files, "seed": args.seed}
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print("apply tree: %d customers x %d sites = %d tokens expected (wordpress %d, certbot %d, curl %d); %d files in %s"
          % (args.customers, args.sites, site, counts["wordpress"], counts["certbot"], counts["curl"], w.files, w.root))


if __name__ == "__main__":
    main()
