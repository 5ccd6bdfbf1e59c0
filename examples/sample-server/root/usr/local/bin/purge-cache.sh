#!/bin/bash
# Purge the Cloudflare cache of example.com after a deploy.
set -euo pipefail
curl -fsS -X POST "https://api.cloudflare.com/client/v4/zones/5eb0d6f42bdfca0f5a91de9cc602284b/purge_cache" \
  -H "X-Auth-Email: admin@example.com" \
  -H "X-Auth-Key: 6d447b57561a9bc4e7af4839fb94127f149a9" \
  -H "Content-Type: application/json" \
  --data '{"purge_everything":true}'
