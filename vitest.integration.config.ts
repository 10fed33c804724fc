import { defineConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * Integration tests against the built app (`next start` as a child process),
 * run by `npm test` after `next build`. Same aliases as the unit config;
 * sequential, because each suite owns its ports.
 */
export default defineConfig({
  resolve: base.resolve,
  test: {
    include: ["e2e/integration/**/*.test.ts"],
    environment: "node",
    testTimeout: 90_000,
    hookTimeout: 90_000,
    pool: "forks",
    fileParallelism: false,
  },
});
