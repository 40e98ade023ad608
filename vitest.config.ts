import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start real servers on 127.0.0.1; keep them bounded.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The JSON report lets .ci/run print one plain "N passed, N failed" closing line.
    reporters: ["default", ["json", { outputFile: "test/artifacts/vitest-results.json" }]],
  },
});
