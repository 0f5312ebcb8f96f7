import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Import rules: the layers of docs/architecture.md. A lower layer never imports a higher one, and
 * nothing outside the local runtime (src/local/), the CLI (src/cli/, bin/cli.ts) and tests imports
 * the emulator. The one allowance (stores import the entity models they persist) is in docs/architecture.md.
 */
// '#' starts a comment in these gitignore-style patterns: escaped.
const layer = (...names) => names.flatMap((n) => [`\\#${n}/*`, `**/src/${n}/*`, `../${n}/*`]);
const restrict = (files, forbidden, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }] },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', 'out/**', 'dist/**', '.venv/**', 'bench/results/**', 'bench/.peers-venv/**', 'python-runtime/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  restrict(['src/core/**'], layer('console', 'resources', 'compliance', 'store', 'scan', 'events', 'alerts', 'accounts', 'onboarding', 'publish', 'compose', 'aws', 'local', 'cli'), 'src/core is the shared vocabulary: it imports no other layer (docs/architecture.md)'),
  restrict(['src/resources/**'], layer('console', 'compliance', 'store', 'scan', 'events', 'alerts', 'accounts', 'onboarding', 'publish', 'compose', 'local', 'cli'), 'the registry sits below the domain: it imports only core and the AWS client port (docs/architecture.md)'),
  restrict(['src/compliance/**'], layer('console', 'store', 'scan', 'events', 'alerts', 'accounts', 'onboarding', 'publish', 'compose', 'aws', 'local', 'cli'), 'compliance rules are pure domain code: no stores, no AWS, no runtime (docs/architecture.md)'),
  // Stores persist the entities they validate on read: the Account, Destination and console audit-entry models (and nothing else of those folders).
  restrict(
    ['src/store/**'],
    [...layer('console', 'scan', 'events', 'alerts', 'accounts', 'onboarding', 'publish', 'compose', 'local', 'cli'), '!\\#accounts/account.ts', '!\\#alerts/destination-config.ts', '!\\#console/audit.ts'],
    'stores are adapters below the flows that use them; they may import only the entity models they persist (docs/architecture.md)',
  ),
  restrict(
    ['src/scan/**', 'src/events/**', 'src/alerts/**', 'src/accounts/**', 'src/onboarding/**', 'src/publish/**', 'src/compose/**', 'src/aws/**', 'lib/**', 'lambdas/**', 'bin/posture.ts'],
    layer('local', 'cli'),
    'the deployed path never imports the local runtime, the emulator or the CLI (docs/architecture.md)',
  ),
  restrict(
    ['src/scan/**', 'src/events/**', 'src/alerts/**', 'src/accounts/**', 'src/onboarding/**', 'src/publish/**', 'src/compose/**', 'src/aws/**'],
    layer('console', 'local', 'cli'),
    'the flows sit below the console API that uses them (docs/architecture.md)',
  ),
  restrict(['src/console/**'], layer('local', 'cli'), 'the console API runs in Lambda too: it never imports the local runtime or the CLI; runtimes pass it ports (docs/architecture.md)'),
  restrict(['src/local/**'], layer('cli'), 'the local runtime is a runtime, not a command: the CLI imports it, not the other way round (docs/architecture.md)'),
);
