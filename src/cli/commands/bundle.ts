/** `posture bundle`: validates and tests policies in the Python engine, then writes the bundle zip the engine Lambda loads from S3. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { BUNDLE_WROTE_RE, engineTypeArgs, judgeTestRun, runEngineModule } from '../engine-runner.ts';

export interface BundleOptions {
  out: string;
  minimumTests?: string;
  /** Where the tests' report goes: the terminal (default), or stderr so stdout stays machine output. */
  report?: 'stdout' | 'stderr';
}

/**
 * Validates, tests and bundles; 0 only when the runner reported `N passed, 0 failed` (consistent
 * with its report), then `wrote FILE: …`, exited 0, and FILE exists. A path holding no policy is
 * an error of the runner (spec_tests), so `posture upload`, which bundles through here, never
 * publishes an empty pack.
 */
export function buildBundle(paths: string[], opts: BundleOptions): number {
  const args = [
    ...(paths.length ? paths : ['.']),
    '--out',
    opts.out,
    // The live registry plus the Panther-documented types it does not scan: any other type is invalid.
    ...engineTypeArgs(),
  ];
  if (opts.minimumTests) args.push('--minimum-tests', opts.minimumTests);
  const verdict = judgeTestRun(runEngineModule('posture_engine.bundle_cli', args, opts.report === 'stderr' ? 'stderr' : 'stdout'), { trailer: BUNDLE_WROTE_RE });
  let { code, error } = verdict;
  if (code === 0 && !existsSync(opts.out)) [code, error] = [1, `the bundler reported writing ${opts.out}, but it is not there`];
  if (error) console.error(`posture bundle: ${error}`);
  return code;
}

export function registerBundle(program: Command): void {
  program
    .command('bundle')
    .description('validate and test policies, then write a versioned bundle zip (manifest + specs + sources) for the engine Lambda')
    .argument('[paths...]', 'directories or files holding policies (folders whose name contains "policies")')
    .requiredOption('--out <file>', 'the zip to write (left unchanged when anything fails)')
    .option('--minimum-tests <n>', 'also fail policies with fewer unit tests')
    .action((paths: string[], opts: BundleOptions) => {
      process.exitCode = buildBundle(paths, opts);
    });
}
