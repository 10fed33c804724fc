/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The dashboard is served by `next start`; no image optimisation or telemetry is needed.
  poweredByHeader: false,
};

module.exports = nextConfig;
