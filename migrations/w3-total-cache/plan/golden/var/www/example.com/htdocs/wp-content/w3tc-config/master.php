<?php exit; ?>{
    "version": "2.7.5",
    "pgcache.enabled": true,
    "cdnfsd.enabled": true,
    "cdnfsd.engine": "cloudflare",
    "cloudflare.email": "admin@example.com",
    "cloudflare.key": "TOKEN",
    "cloudflare.zone_id": "023e105f4ecef8ad9ca31a8372d0c353",
    "cloudflare.zone_name": "example.com",
    "cloudflare.timelimit.api_request": 30
}
