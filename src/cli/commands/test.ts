/** `posture test`: runs policy unit tests in the Python engine, validating ResourceTypes against the registry. */
import { spawnSync } from 'node:child_process';
import { Option, type Command } from 'commander';
import { join } from 'node:path';
import { engineEnv } from '#core/engine-env.ts';
import { projectRoot, pythonExecutable } from '#local/emulator.ts';
import { resourceTypeNames } from '#resources/index.ts';

export interface TestOptions {
  filter?: string[];
  minimumTests?: string;
  skipDisabledTests?: boolean;
  json?: boolean;
  /** commander's negation of --no-install: false when the flag is given. */
  install?: boolean;
}

export function runPolicyTests(paths: string[], opts: TestOptions): number {
  const args = ['-m', 'posture_engine.test_cli', ...(paths.length ? paths : ['.']), '--resource-types', resourceTypeNames().join(',')];
  for (const f of opts.filter ?? []) args.push('--filter', f);
  if (opts.minimumTests) args.push('--minimum-tests', opts.minimumTests);
  if (opts.skipDisabledTests) args.push('--skip-disabled-tests');
  if (opts.json) args.push('--json');
  if (opts.install === false) args.push('--no-install');
  const r = spawnSync(pythonExecutable(), args, {
    stdio: 'inherit',
    // pip may install the pack's requirements.txt: proxy and index settings pass too.
    env: engineEnv({ network: true, set: { PYTHONPATH: join(projectRoot, 'python-runtime') } }),
  });
  if (r.error) {
    console.error(`posture test: cannot run the policy engine (${r.error.message}); run npm ci to create .venv`);
    return 2;
  }
  return r.status ?? 1;
}

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('run the unit tests of policies (panther_analysis_tool test semantics)')
    .argument('[paths...]', 'directories or files holding policies (folders whose name contains "policies")')
    .addOption(
      new Option('--filter <key=values>', 'only specs whose KEY matches one of the comma-separated values (KEY!=V excludes); repeatable').argParser(
        (v: string, prev: string[] = []) => [...prev, v],
      ),
    )
    .option('--minimum-tests <n>', 'fail policies with fewer unit tests')
    .option('--skip-disabled-tests', 'do not run the tests of disabled policies')
    .option('--json', 'machine-readable output')
    .option('--no-install', "do not install the packs' requirements.txt into .venv first")
    .action((paths: string[], opts: TestOptions) => {
      process.exitCode = runPolicyTests(paths, opts);
    });
}
