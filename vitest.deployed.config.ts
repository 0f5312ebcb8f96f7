import { defineConfig } from 'vitest/config';

/** `npm run test:deployed`: the synthesized stack deployed into moto and run (test/deployed/README.md). */
export default defineConfig({
  test: {
    include: ['test/deployed/**/*.test.ts'],
    globalSetup: ['test/deployed/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // One deployment, scenarios in order.
    fileParallelism: false,
    sequence: { concurrent: false },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
