import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The CLI tests run the bundled CLI as a user would; build it once before any test runs.
    globalSetup: ["test/setup/build.ts"],
    testTimeout: 30_000,
  },
});
