<?php
// ** Database settings ** //
define( 'DB_NAME', 'wp_example' );
define( 'DB_HOST', 'localhost' );

$table_prefix = 'wp_';

define( 'WP_HOME', 'https://www.example.com' );

// Cloudflare plugin
define( 'CLOUDFLARE_EMAIL', 'admin@example.com' );
define( 'CLOUDFLARE_API_KEY', 'TOKEN' );
define( 'CLOUDFLARE_DOMAIN_NAME', 'example.com' );

if ( ! defined( 'ABSPATH' ) ) {
    define( 'ABSPATH', __DIR__ . '/' );
}

require_once ABSPATH . 'wp-settings.php';
