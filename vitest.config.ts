import { defineConfig } from 'vitest/config';

// TTYCONF_REPORT=FILE also writes vitest's JSON report there (.ci/run counts from it).
const report = process.env.TTYCONF_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30000,
    hookTimeout: 60000,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
