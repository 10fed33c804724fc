import { defineConfig } from "vitest/config";
import path from "node:path";

/**
 * Integration tests against the built app (`next start` as a child process),
 * run by `npm test` after `next build`. Sequential: each suite owns its ports.
 */
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      "server-only": path.resolve(__dirname, "lib/testing/server-only-stub.ts"),
    },
  },
  test: {
    include: ["e2e/integration/**/*.test.ts"],
    environment: "node",
    testTimeout: 90_000,
    hookTimeout: 90_000,
    pool: "forks",
    fileParallelism: false,
  },
});
