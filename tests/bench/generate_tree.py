#!/usr/bin/env python3
"""Builds a realistic, deterministic server tree for the scan benchmark (issue 7, part 1).

The tree looks like a web/ops server: /etc configs (nginx, systemd units, letsencrypt, ddclient,
fail2ban), .env files, docker-compose files, Kubernetes manifests, PHP sites, logs of tens of MiB,
binaries, nested project folders with .git (including .git/objects) and .gitignore, node_modules,
many harmless mentions of "cloudflare" and many 32/40/64-hex ids and hashes, placeholders from
docs/detection.md, and Global API keys planted in every style the scanner supports.

It writes manifest.json next to the tree (OUT/manifest.json; the tree is OUT/root):
  planted: [{path, line, credential, state, style, expected}]   path as reported with --root OUT/root
  decoys: number of harmless look-alikes written (ids, hashes, placeholders, mentions)

Same --seed and sizes give byte-identical trees.

    python3 tests/bench/generate_tree.py --out /work/bench-tree              # ~1 GiB, ~100 000 files
    python3 tests/bench/generate_tree.py --out /tmp/bt --size-mb 50 --files 5000
"""

import argparse
import base64
import hashlib
import json
import os
import random
import shutil
import string
import sys
import zlib

MIB = 1024 * 1024

# Words the scanner treats as fill-ins (value_shape.cpp); a random key must not contain them.
FILL_IN_WORDS = ("your", "xxxx", "here", "example", "changeme", "change_me", "replace", "placeholder",
                 "redacted", "dummy", "secret_key", "insert", "todo", "<")


class Tree:
    def __init__(self, out, seed):
        self.out = out
        self.root = os.path.join(out, "root")
        self.rng = random.Random(seed)
        self.planted = []
        self.decoys = 0
        self.files = 0
        self.bytes = 0
        self.made_dirs = set()
        self.used_keys = set()

    # ---- writing -------------------------------------------------------------------------
    def write(self, path, data):
        """path: as reported (starts with /); data: str or bytes."""
        assert path.startswith("/")
        real = self.root + path
        d = os.path.dirname(real)
        if d not in self.made_dirs:
            os.makedirs(d, exist_ok=True)
            self.made_dirs.add(d)
        if isinstance(data, str):
            data = data.encode()
        with open(real, "wb") as f:
            f.write(data)
        self.files += 1
        self.bytes += len(data)

    def write_lines(self, path, lines):
        self.write(path, "".join(line + "\n" for line in lines))

    # ---- values --------------------------------------------------------------------------
    def hexs(self, n):
        return "%0*x" % (n, self.rng.getrandbits(4 * n))

    def legacy_key(self, length=None):
        while True:
            if length is None:
                n = self.rng.choice((37, 37, 37, 37, 37, 38, 39, 41, 43, 45))
            else:
                n = length
            k = self.hexs(n)
            if not k.startswith("0123456789abcdef") and len(set(k)) > 1 and k not in self.used_keys:
                self.used_keys.add(k)
                return k

    def new_key(self):
        alnum = string.ascii_letters + string.digits
        while True:
            body = "".join(self.rng.choice(alnum) for _ in range(40))
            if any(w in body.lower() for w in FILL_IN_WORDS):
                continue
            k = "cfk_" + body + "%08x" % (zlib.crc32(body.encode()) & 0xFFFFFFFF)
            if k not in self.used_keys:
                self.used_keys.add(k)
                return k

    def email(self):
        user = self.rng.choice(("ops", "admin", "hostmaster", "devops", "web", "it", "noc", "sre"))
        dom = self.rng.choice(("example.com", "example.org", "example.net", "shop.example", "acme.test"))
        return "%s%d@%s" % (user, self.rng.randrange(100), dom)

    def plant(self, path, line, style, state="active", expected=True, credential="global_key"):
        self.planted.append({"path": path, "line": line, "credential": credential, "state": state,
                             "style": style, "expected": expected})


# ---- decoy line pools (never reported by the scanner) -------------------------------------------

def decoy_lines(t, n):
    """Harmless lines with hex ids, hashes, and Cloudflare mentions. Returns (lines, decoys_per_line)."""
    r = t.rng
    out = []
    counts = []
    for _ in range(n):
        kind = r.randrange(12)
        if kind == 0:
            out.append('zone_id = "%s"  # cloudflare zone' % t.hexs(32)); counts.append(1)
        elif kind == 1:
            out.append('account_id: %s' % t.hexs(32)); counts.append(1)
        elif kind == 2:
            out.append('# commit %s' % t.hexs(40)); counts.append(1)
        elif kind == 3:
            out.append('%s  dist/app-%d.tar.gz' % (t.hexs(64), r.randrange(1000))); counts.append(1)
        elif kind == 4:
            out.append('checksum = "sha256:%s"' % t.hexs(64)); counts.append(1)
        elif kind == 5:
            out.append('# Served through Cloudflare; see https://www.cloudflare.com/ips/ for ranges'); counts.append(1)
        elif kind == 6:
            out.append('build_sha: "%s"' % t.hexs(40)); counts.append(1)
        elif kind == 7:
            out.append('set_real_ip_from %d.%d.%d.0/20;  # cloudflare' % (r.choice((173, 103, 104, 108, 141, 162, 172, 190, 197, 198)), r.randrange(256), r.randrange(256))); counts.append(1)
        elif kind == 8:
            out.append('request_id=%s cache=HIT cf_ray=%s-FRA' % (t.hexs(32), t.hexs(16))); counts.append(1)
        elif kind == 9:
            out.append('etag: W/"%s"' % t.hexs(40)); counts.append(1)
        elif kind == 10:
            out.append('# purge cache via the cloudflare dashboard (Caching > Configuration)'); counts.append(1)
        else:
            out.append('image: registry.example.com/app@sha256:%s' % t.hexs(64)); counts.append(1)
    return out, counts


WORDS = ("server", "listen", "location", "proxy_pass", "include", "return", "client", "worker", "upstream",
         "timeout", "buffer", "cache", "enable", "disable", "default", "host", "port", "user", "group", "path",
         "root", "index", "error", "access", "log", "level", "debug", "info", "warn", "module", "config",
         "value", "name", "type", "mode", "public", "private", "static", "function", "class", "return",
         "import", "export", "const", "let", "var", "self", "this", "true", "false", "null", "none",
         "request", "response", "status", "header", "body", "content", "length", "session", "token_ttl")


def code_lines(t, n, flavour):
    r = t.rng
    lines = []
    for _ in range(n):
        a, b, c = r.choice(WORDS), r.choice(WORDS), r.choice(WORDS)
        k = r.randrange(10)
        if flavour == "php":
            forms = ('    $%s_%s = $this->%s(\'%s\', %d);' % (a, b, c, a, r.randrange(100)),
                     '    if ($%s === null) { return $%s; }' % (a, b),
                     '    // %s the %s before %s' % (a, b, c),
                     '    \'%s.%s\' => \'%s\',' % (a, b, c),
                     '<div class="%s-%s"><?php echo esc_html($%s); ?></div>' % (a, b, c))
        elif flavour == "js":
            forms = ('  const %s%s = require(\'./%s\');' % (a, b.capitalize(), c),
                     '  %s.%s = function (%s) { return %s + %d; };' % (a, b, c, c, r.randrange(100)),
                     '  // %s: %s %s' % (a, b, c),
                     '  if (!%s) throw new Error(\'%s %s\');' % (a, b, c),
                     '  module.exports.%s = %s;' % (a, b))
        elif flavour == "py":
            forms = ('    %s_%s = self.%s(%d)' % (a, b, c, r.randrange(100)),
                     '    if not %s:\n        return %s' % (a, b),
                     '    # %s the %s' % (a, b),
                     'def %s_%s(%s, **kwargs):' % (a, b, c),
                     '    logger.%s("%s %%s", %s)' % (r.choice(("info", "debug")), b, c))
        elif flavour == "yaml":
            forms = ('  %s_%s: %s' % (a, b, c),
                     '    - %s' % a,
                     '  %s: %d' % (a, r.randrange(10000)),
                     '# %s %s %s' % (a, b, c),
                     '%s:' % a)
        else:  # conf
            forms = ('    %s_%s %s;' % (a, b, c),
                     '%s = %s' % (a, b),
                     '# %s %s %s' % (a, b, c),
                     '%s.%s=%d' % (a, b, r.randrange(1000)),
                     '[%s]' % a)
        lines.append(forms[k % len(forms)])
    return lines


def mix(t, lines, decoys, decoy_counts, ratio):
    """Inserts decoy lines among `lines` at about `ratio`; returns the new lines and decoys used."""
    r = t.rng
    out = []
    used = 0
    for line in lines:
        out.append(line)
        if r.random() < ratio:
            i = r.randrange(len(decoys))
            out.append(decoys[i])
            used += decoy_counts[i]
    return out, used


# ---- planted keys: one function per style; each returns (path, lines) and records the plant ----

def plant_styles(t, n_sets):
    r = t.rng
    placed = []

    def add(path, lines, key_line, style, state="active"):
        t.write_lines(path, lines)
        t.plant(path, key_line, style, state)

    for i in range(n_sets):
        host = "site%d" % i
        em = t.email()

        # 1. certbot INI
        k = t.legacy_key()
        add("/etc/letsencrypt/cloudflare-%s.ini" % host if i else "/etc/letsencrypt/cloudflare.ini",
            ["# Cloudflare API credentials used by Certbot", "dns_cloudflare_email = %s" % em,
             "dns_cloudflare_api_key = %s" % k], 3, "certbot_ini")

        # 2. acme.sh account.conf SAVED_CF_Key (+ a commented-out older key)
        k, k2 = t.legacy_key(), t.legacy_key()
        home = "/root" if i == 0 else "/home/u%d" % i
        lines = ["LOG_FILE='%s/.acme.sh/acme.sh.log'" % home, "#LOG_LEVEL=1", "", "AUTO_UPGRADE='1'",
                 "ACCOUNT_EMAIL='%s'" % em, "#SAVED_CF_Key='%s'" % k2, "SAVED_CF_Key='%s'" % k,
                 "SAVED_CF_Email='%s'" % em, "UPGRADE_HASH='%s'" % t.hexs(40),
                 "USER_PATH='/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'"]
        t.decoys += 1
        t.write_lines(home + "/.acme.sh/account.conf", lines)
        t.plant(home + "/.acme.sh/account.conf", 6, "acme_sh_account_conf_commented", "commented")
        t.plant(home + "/.acme.sh/account.conf", 7, "acme_sh_account_conf")

        # 3. export CF_Key in a shell profile
        k = t.legacy_key()
        add(home + "/.bashrc", ["# ~/.bashrc: executed by bash(1) for non-login shells.", '[ -z "$PS1" ] && return',
                                "HISTCONTROL=ignoreboth", "alias ll='ls -alF'", 'export CF_Email="%s"' % em,
                                'export CF_Key="%s"' % k, "export PATH=$HOME/bin:$PATH"], 6, "export_cf_key")

        # 4. systemd Environment=
        k = t.legacy_key()
        add("/etc/systemd/system/cf-ddns-%d.service" % i,
            ["[Unit]", "Description=Cloudflare dynamic DNS updater", "After=network-online.target", "",
             "[Service]", "Type=oneshot",
             'Environment="CF_API_KEY=%s" "CF_API_EMAIL=%s"' % (k, em),
             "ExecStart=/usr/local/bin/cf-ddns --zone example.com --record home%d" % i, "",
             "[Install]", "WantedBy=multi-user.target"], 7, "systemd_environment")

        # 5a. compose list (traefik)
        k = t.legacy_key()
        add("/opt/traefik%d/docker-compose.yml" % i,
            ["services:", "  traefik:", "    image: traefik:v2.11", "    restart: unless-stopped", "    command:",
             "      - --certificatesresolvers.cloudflare.acme.dnschallenge.provider=cloudflare",
             "      - --certificatesresolvers.cloudflare.acme.email=%s" % em,
             "    environment:", "      - CF_API_EMAIL=%s" % em, "      - CF_API_KEY=%s" % k,
             "    volumes:", "      - /var/run/docker.sock:/var/run/docker.sock:ro"], 10, "compose_list")

        # 5b. compose map (generic)
        k = t.legacy_key()
        add("/srv/app%d/docker-compose.yml" % i,
            ["version: '3.8'", "services:", "  app:", "    image: ghcr.io/example/app:1.%d" % i, "    environment:",
             "      APP_ENV: production", "      CLOUDFLARE_EMAIL: %s" % em, "      CLOUDFLARE_API_KEY: %s" % k,
             "      REDIS_URL: redis://redis:6379/0", "    ports:", '      - "80%02d:8080"' % (i % 100)], 8,
            "compose_map")

        # 6. .env (+ .gitignore that lists it, + a commented key)
        k, k2 = t.legacy_key(), t.legacy_key()
        t.write_lines("/srv/app%d/.gitignore" % i, [".env", "node_modules/", "*.log"])
        add("/srv/app%d/.env" % i, ["APP_ENV=production", "APP_URL=https://app%d.example.com" % i,
                                    "CLOUDFLARE_EMAIL=%s" % em, "CLOUDFLARE_API_KEY=%s" % k,
                                    "# CLOUDFLARE_API_KEY=%s" % k2, "REDIS_URL=redis://127.0.0.1:6379/0"], 4, "dotenv")
        t.plant("/srv/app%d/.env" % i, 5, "dotenv_commented", "commented")

        # 7. Kubernetes Secret, base64 data with an e-mail
        k = t.legacy_key()
        add("/srv/k8s/external-dns/cloudflare-secret-%d.yaml" % i,
            ["apiVersion: v1", "kind: Secret", "metadata:", "  name: cloudflare-api-key-%d" % i,
             "  namespace: external-dns", "type: Opaque", "data:",
             "  apiKey: %s" % base64.b64encode(k.encode()).decode(),
             "  email: %s" % base64.b64encode(em.encode()).decode()], 8, "k8s_secret_base64")

        # 8. PHP define (wp-config.php with the Cloudflare plugin)
        k = t.legacy_key()
        lines = ["<?php", "define( 'DB_NAME', 'wp%d' );" % i, "define( 'DB_USER', 'wp' );",
                 "define( 'DB_HOST', 'localhost' );", "define( 'AUTH_SALT', '%s' );" % t.hexs(64),
                 "define('CLOUDFLARE_DOMAIN_NAME', 'blog%d.example.com');" % i,
                 "define('CLOUDFLARE_EMAIL', '%s');" % em, "define('CLOUDFLARE_API_KEY', '%s');" % k,
                 "$table_prefix = 'wp_';", "require_once ABSPATH . 'wp-settings.php';"]
        t.decoys += 1
        add("/var/www/blog%d/wp-config.php" % i, lines, 8, "php_define")

        # 9. W3 Total Cache array
        k = t.legacy_key()
        add("/var/www/blog%d/wp-content/w3tc-config/master.php" % i,
            ["<?php", "", "return array(", "    'pgcache.enabled' => true,", "    'cloudflare.enabled' => true,",
             "    'cloudflare.email' => '%s'," % em, "    'cloudflare.key' => '%s'," % k,
             "    'cloudflare.zone_id' => '%s'," % t.hexs(32), "    'newrelic.api_key' => '%s'," % t.hexs(40), ");"],
            7, "w3tc_array")
        t.decoys += 2

        # 10. HCL terraform provider
        k = t.legacy_key()
        add("/srv/infra%d/cloudflare/provider.tf" % i,
            ["terraform {", "  required_providers {", "    cloudflare = {", '      source  = "cloudflare/cloudflare"',
             '      version = "~> 4.40"', "    }", "  }", "}", "", 'provider "cloudflare" {',
             '  email   = "%s"' % em, '  api_key = "%s"' % k, "}"], 12, "terraform_hcl")

        # 11. TOML wrangler
        k = t.new_key() if i % 2 else t.legacy_key()
        add(home + "/.wrangler/config/default.toml", ['email = "%s"' % em, 'api_key = "%s"' % k], 2, "wrangler_toml")

        # 12. YAML traefik (compose map under a traefik folder)
        k = t.legacy_key()
        add("/etc/traefik%d/traefik-env.yml" % i,
            ["# traefik DNS challenge credentials", "environment:", "  CF_API_EMAIL: %s" % em,
             "  CF_API_KEY: %s" % k], 4, "traefik_yaml")

        # 13. ddclient block
        k = t.legacy_key()
        add("/etc/ddclient/ddclient-%d.conf" % i,
            ["# Configuration file for ddclient", "daemon=300", "syslog=yes", "ssl=yes",
             "use=web, web=checkip.dyndns.org/, web-skip='IP Address'", "", "protocol=cloudflare, \\",
             "zone=example.com, \\", "ttl=1, \\", "login=%s, \\" % em, "password='%s' \\" % k,
             "home%d.example.com" % i], 11, "ddclient_block")

        # 14. curl script with X-Auth-Key header
        k = t.legacy_key()
        add("/usr/local/bin/cf-purge-%d" % i,
            ["#!/bin/bash", "# Purge everything for the zone", 'ZONE_ID="%s"' % t.hexs(32),
             'curl -sS -X POST "https://api.cloudflare.com/client/v4/zones/${ZONE_ID}/purge_cache" \\',
             '  -H "X-Auth-Email: %s" \\' % em, '  -H "X-Auth-Key: %s" \\' % k,
             '  -H "Content-Type: application/json" \\', "  --data '{\"purge_everything\":true}'"], 6, "curl_header")
        t.decoys += 1

        # 15. cfk_ key in a notes file (no name needed)
        k = t.new_key()
        add(home + "/notes/cloudflare-%d.txt" % i,
            ["Rolled the account keys on Monday.", "", "new global key (do not share):", k, "",
             "remember to update the ddns box"], 4, "cfk_notes")

        # 16. python-cloudflare cfg
        k = t.legacy_key()
        add(home + "/.cloudflare/cloudflare.cfg",
            ["[CloudFlare]", "email = %s" % em, "key = %s" % k, "certtoken = ", "extras ="], 3, "python_cloudflare_cfg")

        # 17. fail2ban jail.local
        k = t.legacy_key()
        add("/etc/fail2ban/jail-%d.local" % i,
            ["[DEFAULT]", "bantime = 1h", "", "[nginx-limit]", "enabled = true",
             "action = cloudflare[cfuser=\"%s\", cftoken=\"%s\"]" % (em, k), ""], 6, "fail2ban_action")

        # 18. commented-out key in a certbot ini
        k = t.legacy_key()
        add("/etc/letsencrypt/old/cloudflare-%d.ini" % i,
            ["# old credentials, replaced by a token", "# dns_cloudflare_email = %s" % em,
             "# dns_cloudflare_api_key = %s" % k, "dns_cloudflare_api_token = "], 3, "certbot_ini_commented",
            "commented")
        placed.append(i)

    # Keys that must NOT be found: skipped by design (binary, node_modules, .git/objects).
    k = t.legacy_key()
    path = "/srv/app0/node_modules/cf-client/test/fixtures.env"
    t.write_lines(path, ["CLOUDFLARE_EMAIL=test@example.com", "CLOUDFLARE_API_KEY=%s" % k])
    t.plant(path, 2, "node_modules", expected=False)
    k = t.legacy_key()
    blob = ("CLOUDFLARE_API_KEY=%s\n" % k).encode()
    obj = zlib.compress(b"blob %d\0" % len(blob) + blob)
    sha = hashlib.sha1(b"blob %d\0" % len(blob) + blob).hexdigest()
    path = "/srv/app0/.git/objects/%s/%s" % (sha[:2], sha[2:])
    t.write(path, obj)
    t.plant(path, 1, "git_objects", expected=False)
    k = t.legacy_key()
    path = "/usr/local/bin/cf-agent"
    t.write(path, b"\x7fELF\x02\x01\x01\x00" + bytes(t.rng.getrandbits(8) for _ in range(4000))
            + b"\nCLOUDFLARE_API_KEY=" + k.encode() + b"\n" + bytes(2000))
    t.plant(path, 1, "binary", expected=False)


def placeholders(t):
    """Doc placeholders and other look-alikes that must not be reported (docs/detection.md)."""
    files = {
        "/srv/app0/.env.example": ["CLOUDFLARE_EMAIL=you@example.com", "CLOUDFLARE_API_KEY=your-global-api-key-here"],
        "/etc/letsencrypt/cloudflare.ini.sample": ["dns_cloudflare_email = cloudflare@example.com",
                                                   "dns_cloudflare_api_key = 0123456789abcdef0123456789abcdef01234"],
        "/opt/lego/README.env": ["CLOUDFLARE_EMAIL=you@example.com",
                                 "CLOUDFLARE_API_KEY=b9841238feb177a84330febba8a83208921177bffe733"],
        "/opt/docs/cf-api.txt": ["X-Auth-Key: c2547eb745079dac9320b638f5e225cf483cc5cfdda41",
                                 "X-Auth-Email: user@example.com"],
        "/etc/fail2ban/action.d/cloudflare.conf": ["[Init]", 'cftoken = "%(cfapikey)s"', "cfuser = ",
                                                   "cfapikey = <your-key>"],
        "/etc/myapp/db.conf": ["[database]", "host = 10.0.0.5", "password = %s" % t.hexs(37)],
        "/srv/tools/zones.yml": ["cloudflare:", "  zone_id: %s" % t.hexs(32), "  account_id: %s" % t.hexs(32),
                                 "  build_id: %s" % t.hexs(37), "  CF_ACCESS_CLIENT_SECRET: %s" % t.hexs(64)],
        "/srv/app1/.env.dist": ["CF_API_KEY=changeme", "CF_API_EMAIL=", "CF_API_KEY_OLD=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    }
    for path, lines in files.items():
        t.write_lines(path, lines)
        t.decoys += len(lines)


# ---- bulk content -------------------------------------------------------------------------------

def log_lines_pool(t, n):
    r = t.rng
    agents = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
              "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "curl/8.5.0",
              "Googlebot/2.1 (+http://www.google.com/bot.html)", "Go-http-client/1.1")
    paths = ("/", "/wp-login.php", "/wp-content/uploads/2024/%02d/img-%d.jpg", "/api/v1/orders/%d", "/static/app.%s.js",
             "/cdn-cgi/trace", "/xmlrpc.php", "/feed/", "/products/item-%d")
    pool = []
    for _ in range(n):
        kind = r.randrange(4)
        ip = "%d.%d.%d.%d" % (r.randrange(1, 223), r.randrange(256), r.randrange(256), r.randrange(256))
        ts = "%02d/May/2025:%02d:%02d:%02d +0000" % (r.randrange(1, 29), r.randrange(24), r.randrange(60), r.randrange(60))
        p = r.choice(paths)
        if "%02d" in p:
            p = p % (r.randrange(1, 13), r.randrange(10000))
        elif "%d" in p:
            p = p % r.randrange(100000)
        elif "%s" in p:
            p = p % t.hexs(8)
        if kind < 2:
            pool.append('%s - - [%s] "GET %s HTTP/1.1" %d %d "-" "%s" cf-ray=%s-%s' % (
                ip, ts, p, r.choice((200, 200, 200, 301, 304, 404)), r.randrange(50000), r.choice(agents),
                t.hexs(16), r.choice(("FRA", "AMS", "CDG", "IAD"))))
        elif kind == 2:
            pool.append('May %2d %02d:%02d:%02d web01 php-fpm[%d]: [pool www] child %d exited with code 0 after %d.%03d seconds' % (
                r.randrange(1, 29), r.randrange(24), r.randrange(60), r.randrange(60), r.randrange(40000),
                r.randrange(40000), r.randrange(3000), r.randrange(1000)))
        else:
            pool.append('2025-05-%02dT%02d:%02d:%02dZ level=info msg="request done" request_id=%s duration_ms=%d status=%d' % (
                r.randrange(1, 29), r.randrange(24), r.randrange(60), r.randrange(60), t.hexs(32), r.randrange(900),
                r.choice((200, 201, 204, 500))))
    return pool


def write_logs(t, total_bytes, n_logs):
    pool = log_lines_pool(t, 20000)
    avg_line = sum(len(x) + 1 for x in pool) / len(pool)
    names = ("nginx/access.log", "nginx/error.log", "syslog", "php8.2-fpm.log", "app/app.log", "auth.log")
    r = t.rng
    sizes = [r.uniform(0.4, 1.6) for _ in range(n_logs)]
    scale = total_bytes / sum(sizes)
    planted = False
    for i in range(n_logs):
        size = int(sizes[i] * scale)
        n = max(1, int(size / avg_line))
        lines = r.choices(pool, k=n)
        path = "/var/log/%s%s" % (names[i % len(names)], "" if i < len(names) else ".%d" % (i // len(names)))
        # A debug log line with an X-Auth-Key header dict, in the first log that is under the 16 MiB cap.
        if not planted and size < 14 * MIB:
            k = t.legacy_key()
            at = n // 2
            lines = list(lines)
            lines[at] = ("2025-05-03T10:00:00Z level=debug msg=\"cloudflare request\" headers={'X-Auth-Email': '%s', "
                         "'X-Auth-Key': '%s'}" % (t.email(), k))
            planted = True
            t.write("/" + path.lstrip("/"), "\n".join(lines) + "\n")
            t.plant(path, at + 1, "debug_log_header")
        else:
            t.write(path, "\n".join(lines) + "\n")
        t.decoys += n  # every log line carries a 16-hex ray id, a 32-hex request id or none; counted per line


def write_binaries(t, total_bytes, n):
    r = t.rng
    each = max(4096, total_bytes // max(1, n))
    for i in range(n):
        size = int(each * r.uniform(0.5, 1.5))
        data = b"\x7fELF\x02\x01\x01\x00" + r.randbytes(size)
        t.write("/usr/local/lib/bin%d/%s" % (i % 20, "tool-%d.so" % i), data)


def write_git_repo(t, base, n_objects, avg_size):
    r = t.rng
    t.write_lines(base + "/.git/HEAD", ["ref: refs/heads/main"])
    t.write_lines(base + "/.git/config", ["[core]", "\trepositoryformatversion = 0", "\tbare = false",
                                          '[remote "origin"]', "\turl = git@github.com:example/app.git"])
    shas = []
    for _ in range(n_objects):
        payload = r.randbytes(max(64, int(avg_size * r.uniform(0.3, 1.7))))
        sha = hashlib.sha1(payload).hexdigest()
        shas.append(sha)
        t.write("%s/.git/objects/%s/%s" % (base, sha[:2], sha[2:]), zlib.compress(payload, 1))
    t.write_lines(base + "/.git/packed-refs", ["# pack-refs with: peeled fully-peeled sorted"]
                  + ["%s refs/tags/v1.%d" % (s, j) for j, s in enumerate(shas[:50])])
    t.write_lines(base + "/.git/ORIG_HEAD", [shas[0] if shas else t.hexs(40)])
    t.decoys += min(50, len(shas)) + 1


def write_node_modules(t, base, n_files, avg_size):
    r = t.rng
    pkgs = max(1, n_files // 12)
    lock = ['{', '  "name": "app",', '  "lockfileVersion": 3,', '  "packages": {']
    for p in range(pkgs):
        name = "pkg-%s-%d" % (r.choice(WORDS).replace("_", "-"), p)
        integ = base64.b64encode(r.randbytes(64)).decode()
        lock += ['    "node_modules/%s": {' % name, '      "version": "1.%d.%d",' % (r.randrange(20), r.randrange(20)),
                 '      "resolved": "https://registry.npmjs.org/%s/-/%s-1.0.0.tgz",' % (name, name),
                 '      "integrity": "sha512-%s"' % integ, "    },"]
        t.decoys += 1
        for f in range(12):
            lines = code_lines(t, max(5, int(avg_size / 45 * r.uniform(0.3, 1.7))), "js")
            t.write_lines("%s/node_modules/%s/%s" % (base, name, "index.js" if f == 0 else "lib/f%d.js" % f), lines)
    lock += ["  }", "}"]
    t.write_lines(base + "/package-lock.json", lock)


def write_project(t, base, n_files, avg_size, decoys, decoy_counts):
    r = t.rng
    flavours = (("php", "php"), ("js", "js"), ("py", "py"), ("yml", "yaml"), ("conf", "conf"), ("md", "conf"))
    t.write_lines(base + "/.gitignore", ["node_modules/", ".env", "vendor/", "*.log", "/build"])
    for f in range(n_files):
        ext, flav = r.choice(flavours)
        depth = r.randrange(1, 4)
        sub = "/".join("%s%d" % (r.choice(("src", "lib", "app", "config", "templates", "modules")), r.randrange(6))
                       for _ in range(depth))
        n = max(3, int(avg_size / 40 * r.uniform(0.2, 1.8)))
        lines = code_lines(t, n, flav)
        if r.random() < 0.15:  # about one source file in seven carries an id, a hash or a Cloudflare mention
            for _ in range(r.randrange(1, 4)):
                i = r.randrange(len(decoys))
                lines.insert(r.randrange(len(lines) + 1), decoys[i])
                t.decoys += decoy_counts[i]
        t.write_lines("%s/%s/file%d.%s" % (base, sub, f, ext), lines)


def write_etc(t, n_files, decoys, decoy_counts):
    r = t.rng
    # nginx with Cloudflare real-ip config
    ips = ["set_real_ip_from %d.%d.%d.0/20;" % (r.randrange(100, 200), r.randrange(256), r.randrange(256)) for _ in range(15)]
    t.write_lines("/etc/nginx/conf.d/cloudflare-realip.conf", ["# Cloudflare IP ranges"] + ips + ["real_ip_header CF-Connecting-IP;"])
    t.decoys += 1
    for i in range(n_files):
        kind = i % 5
        if kind == 0:
            path = "/etc/nginx/sites-available/site%d.conf" % i
            lines = ["server {", "    listen 443 ssl http2;", "    server_name site%d.example.com;" % i,
                     "    ssl_certificate /etc/letsencrypt/live/site%d.example.com/fullchain.pem;" % i,
                     "    location / {", "        proxy_pass http://127.0.0.1:%d;" % (8000 + i % 1000),
                     "        proxy_set_header CF-Connecting-IP $http_cf_connecting_ip;", "    }", "}"]
        elif kind == 1:
            path = "/etc/systemd/system/app%d.service" % i
            lines = ["[Unit]", "Description=App worker %d" % i, "[Service]", "User=www-data",
                     "Environment=APP_PORT=%d" % (9000 + i % 1000), "Environment=RELEASE=%s" % t.hexs(40),
                     "ExecStart=/usr/bin/node /srv/app/server.js", "[Install]", "WantedBy=multi-user.target"]
            t.decoys += 1
        elif kind == 2:
            path = "/etc/app.d/conf%d.ini" % i
            lines, used = mix(t, code_lines(t, r.randrange(10, 60), "conf"), decoys, decoy_counts, 0.1)
            t.decoys += used
        elif kind == 3:
            path = "/srv/k8s/apps/deploy-%d.yaml" % i
            lines = ["apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: web-%d" % i,
                     "  annotations:", "    checksum/config: %s" % t.hexs(64), "spec:", "  template:", "    spec:",
                     "      containers:", "        - name: web", "          image: nginx@sha256:%s" % t.hexs(64),
                     "          env:", "            - name: CF_ZONE_ID", '              value: "%s"' % t.hexs(32)]
            t.decoys += 3
        else:
            path = "/etc/cron.d/job%d" % i
            lines = ["# m h dom mon dow user command", "%d 3 * * * root /usr/local/bin/backup --id %s" % (i % 60, t.hexs(32))]
            t.decoys += 1
        t.write_lines(path, lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (tree in OUT/root, OUT/manifest.json)")
    ap.add_argument("--size-mb", type=float, default=1024, help="approximate total size (default 1024)")
    ap.add_argument("--files", type=int, default=100000, help="approximate number of files (default 100000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = ap.parse_args()

    out = os.path.abspath(args.out)
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    if out == repo or out.startswith(repo + os.sep):
        sys.exit("refusing to generate inside the repository: " + out)
    if os.path.exists(out):
        if not args.force:
            sys.exit("%s exists (use --force to replace it)" % out)
        shutil.rmtree(out)
    os.makedirs(out)

    t = Tree(out, args.seed)
    size = int(args.size_mb * MIB)
    files = args.files
    decoys, decoy_counts = decoy_lines(t, 5000)

    n_sets = max(1, min(20, files // 4000))
    plant_styles(t, n_sets)
    placeholders(t)
    write_etc(t, max(50, files // 20), decoys, decoy_counts)

    # Budget: logs 35 %, binaries 10 %, git objects 8 % of bytes / 15 % of files, node_modules 10 % / 35 %,
    # project text the rest.
    n_logs = max(2, round(size * 0.35 / (14 * MIB)))
    write_logs(t, int(size * 0.35), n_logs)
    write_binaries(t, int(size * 0.10), max(2, size // (2 * MIB) // 5))
    n_projects = max(2, files // 5000)
    git_files = int(files * 0.15)
    nm_files = int(files * 0.35)
    remaining_files = max(10, files - t.files - git_files - nm_files - 2000)
    remaining_bytes = max(MIB, size - t.bytes - int(size * 0.18))
    for p in range(n_projects):
        base = "/srv/app%d" % p if p < n_sets else "/home/dev/projects/proj%d" % p
        write_git_repo(t, base, git_files // n_projects, size * 0.08 / max(1, git_files))
        write_node_modules(t, base, nm_files // n_projects, size * 0.10 / max(1, nm_files))
        write_project(t, base, remaining_files // n_projects, remaining_bytes / max(1, remaining_files),
                      decoys, decoy_counts)

    manifest = {
        "format": "cfmigrate.bench-manifest/1",
        "seed": args.seed,
        "root": t.root,
        "files": t.files,
        "bytes": t.bytes,
        "planted": sorted(t.planted, key=lambda p: (p["path"], p["line"])),
        "expected_findings": sum(1 for p in t.planted if p["expected"]),
        "decoys": t.decoys,
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print("wrote %s: %d files, %.1f MiB, %d planted keys (%d expected), %d decoys" % (
        t.root, t.files, t.bytes / MIB, len(t.planted), manifest["expected_findings"], t.decoys))


if __name__ == "__main__":
    main()
