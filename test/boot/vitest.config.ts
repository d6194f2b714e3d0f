import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The boot test only (npm run test:boot). Its files end in .boot.ts so the main config
// (test/**/*.test.ts) never picks them up. run.sh reads the JSON report for its closing line.
const work = process.env.TTYCONF_BOOT_WORK;

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/boot/**/*.boot.ts'],
    // Software emulation on 2 shared cores: generous limits, never a timing assertion.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    reporters: work ? ['verbose', ['json', { outputFile: join(work, 'vitest.json') }]] : ['verbose'],
  },
});
