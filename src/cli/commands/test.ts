/**
 * `posture test`: runs policy unit tests in the Python engine with panther_analysis_tool `test`
 * semantics, validating ResourceTypes against the registry plus the Panther-documented types it
 * does not scan (panther-types.ts).
 */
import { Option, type Command } from 'commander';
import { engineTypeArgs, judgeTestRun, runEngineModule } from '../engine-runner.ts';
import { addFormatOptions, USAGE_EXIT } from './options.ts';

export interface TestOptions {
  filter?: string[];
  minimumTests?: string;
  skipDisabledTests?: boolean;
  json?: boolean;
  /** commander's negation of --no-install: false when the flag is given. */
  install?: boolean;
}

/**
 * Runs the pack's tests; 0 only when the runner's own last line `N passed, 0 failed` says so
 * (consistent with its report; with --json, its one JSON document on stdout) and it exited 0.
 * 1 on failures, invalid specs, a path without policies or a runner that ended without its
 * summary; 2 when the engine cannot be started or on a usage error (e.g. an unknown --filter field).
 */
export function runPolicyTests(paths: string[], opts: TestOptions): number {
  const args = [...(paths.length ? paths : ['.']), ...engineTypeArgs()];
  for (const f of opts.filter ?? []) args.push('--filter', f);
  if (opts.minimumTests) args.push('--minimum-tests', opts.minimumTests);
  if (opts.skipDisabledTests) args.push('--skip-disabled-tests');
  if (opts.json) args.push('--json');
  if (opts.install === false) args.push('--no-install');
  const run = runEngineModule('posture_engine.spec_tests', args, 'stdout', { network: true });
  // The runner's usage error (exit 2 before any test, e.g. an unknown --filter field): its one line on stderr says it.
  if (run.status === USAGE_EXIT && !run.stdout.trim()) return USAGE_EXIT;
  const verdict = judgeTestRun(run, { json: opts.json });
  if (verdict.error) console.error(`posture test: ${verdict.error}`);
  return verdict.code;
}

export function registerTest(program: Command): void {
  const cmd = program.command('test');
  addFormatOptions(cmd, ['text', 'json'], 'text');
  cmd
    .description('run the unit tests of policies (panther_analysis_tool test semantics)')
    .argument('[paths...]', 'directories or files holding policies (folders whose name contains "policies")')
    .addOption(
      new Option('--filter <key=values>', 'only specs whose KEY matches one of the comma-separated values (KEY!=V excludes); repeatable').argParser(
        (v: string, prev: string[] = []) => [...prev, v],
      ),
    )
    .option('--minimum-tests <n>', 'fail policies with fewer unit tests')
    .option('--skip-disabled-tests', 'do not run the tests of disabled policies')
    .addHelpText('after', '\n--format json (or --json) prints one JSON document on stdout (counts, per-policy results, invalid specs); the summary goes to stderr.')
    .option('--no-install', "do not install the packs' requirements.txt into .venv first")
    .action((paths: string[], opts: TestOptions) => {
      process.exitCode = runPolicyTests(paths, opts);
    });
}
