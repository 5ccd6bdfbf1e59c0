terraform {
  required_providers {
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = "~> 4.40"
    }
  }
}

provider "cloudflare" {
  email   = "admin@example.com"
  api_key = "0f3a5c7e9b1d2f4a6c8e0b2d4f6a8c0e1a3c5"
}
