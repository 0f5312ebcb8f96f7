import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/** What every project shares. The root's globalSetup (one moto server) is not repeated per
 *  project: projects do not `extends` the root, and inherit the endpoint it provides. */
const shared = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks',
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
} satisfies TestProjectInlineConfiguration['test'];

// Files whose modules may be shared with the files before them in the same worker (isolate: false
// saves re-importing the AWS SDK and the app per file): no vi.mock, no fake timers, env and spies
// restored by the file itself, state per emulated account. Shuffle-checked (README "Tests").
const SHARED_MODULES = ['test/unit/**/*.test.ts', 'test/infra/**/*.test.ts', 'test/integration/resources/**/*.test.ts'];
// The console's browser tests share one SPA build (test/helpers/console-build.ts).
const CONSOLE_E2E = ['test/e2e/console-*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    // Two cores, and most of a test's time is spent waiting on moto, Python workers or Chromium
    // in other processes: two files at a time (vitest's default here would be cores - 1 = 1).
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'shared-modules', include: SHARED_MODULES, isolate: false } },
      { test: { ...shared, name: 'console-e2e', include: CONSOLE_E2E, globalSetup: ['test/helpers/console-build.ts'] } },
      {
        test: {
          ...shared,
          name: 'isolated',
          include: ['test/**/*.test.ts'],
          // The deployed-system rehearsal has its own emulator and synth: npm run test:deployed.
          exclude: ['test/deployed/**', '**/node_modules/**', ...SHARED_MODULES, ...CONSOLE_E2E],
        },
      },
    ],
  },
});
