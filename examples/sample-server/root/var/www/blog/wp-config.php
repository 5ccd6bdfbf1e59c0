<?php
/**
 * The base configuration for WordPress
 *
 * @package WordPress
 */

// ** Database settings - You can get this info from your web host ** //
define( 'DB_NAME', 'blog' );
define( 'DB_USER', 'blog' );
define( 'DB_PASSWORD', 'hX4-pqT9wLz2mRvB' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );

define( 'AUTH_KEY',         '`J#p7sor0h.k!mbk[Z?E8h_:>5F4bnyfyTZ)]J*WaWg,A;E{*ApCLUJL~GsibYl:' );
define( 'SECURE_AUTH_KEY',  '2W|kitI3PTebt!6<|qEy|4Q5[#(WlNC}G1F,M^cBRmYH&Ed8kike:9D+N;l)DHHm' );
define( 'LOGGED_IN_KEY',    ',@V`lAS&stG]`InFjbcqQFc>),8),}kM5K6@c3h5(N#I[~Go*z{y+XxtECaVAiPp' );
define( 'NONCE_KEY',        'K-QZOiT|QJNQsDs2Uc)rDbcpP?X-Kwmo~sh0ShdDJ_/:#gavC#5{sb(@o<TS01`I' );

$table_prefix = 'wp_';

define( 'WP_HOME', 'https://blog.example.com' );
define( 'WP_SITEURL', 'https://blog.example.com' );

// Cloudflare plugin
define( 'CLOUDFLARE_EMAIL', 'admin@example.com' );
define( 'CLOUDFLARE_API_KEY', '6d447b57561a9bc4e7af4839fb94127f149a9' );
define( 'CLOUDFLARE_DOMAIN_NAME', 'example.com' );

define( 'WP_DEBUG', false );

/* That's all, stop editing! Happy publishing. */

if ( ! defined( 'ABSPATH' ) ) {
    define( 'ABSPATH', __DIR__ . '/' );
}

require_once ABSPATH . 'wp-settings.php';
