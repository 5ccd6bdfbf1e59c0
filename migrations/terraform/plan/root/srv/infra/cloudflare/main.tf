resource "cloudflare_record" "www" {
  zone_id = "023e105f4ecef8ad9ca31a8372d0c353" # example.com
  name    = "www"
  content = "192.0.2.10"
  type    = "A"
  proxied = true
}

resource "cloudflare_page_rule" "cache_static" {
  zone_id = "023e105f4ecef8ad9ca31a8372d0c353"
  target  = "www.example.com/static/*"
  actions {
    cache_level = "cache_everything"
  }
}
