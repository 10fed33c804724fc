/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The dashboard is served by `next start`; no image optimisation or telemetry is needed.
  poweredByHeader: false,
  // Loaded from node_modules at run time: node-pg-migrate reads its SQL files and loads them itself.
  serverExternalPackages: ["pg", "node-pg-migrate"],
};

module.exports = nextConfig;
