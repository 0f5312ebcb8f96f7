/** `posture bundle`: validates and tests policies in the Python engine, then writes the bundle zip the engine Lambda loads from S3. */
import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { join } from 'node:path';
import { engineEnv } from '#core/engine-env.ts';
import { projectRoot, pythonExecutable } from '#local/emulator.ts';
import { resourceTypeNames } from '#resources/index.ts';

export interface BundleOptions {
  out: string;
  minimumTests?: string;
  /** Where the tests' report goes: the terminal (default), or stderr so stdout stays machine output. */
  report?: 'stdout' | 'stderr';
}

export function buildBundle(paths: string[], opts: BundleOptions): number {
  const args = [
    '-m',
    'posture_engine.bundle_cli',
    ...(paths.length ? paths : ['.']),
    '--out',
    opts.out,
    // The live registry: specs naming a type no scanner produces are invalid.
    '--resource-types',
    resourceTypeNames().join(','),
  ];
  if (opts.minimumTests) args.push('--minimum-tests', opts.minimumTests);
  const r = spawnSync(pythonExecutable(), args, {
    stdio: opts.report === 'stderr' ? ['ignore', 2, 2] : 'inherit',
    env: engineEnv({ set: { PYTHONPATH: join(projectRoot, 'python-runtime') } }),
  });
  if (r.error) {
    console.error(`posture bundle: cannot run the policy engine (${r.error.message}); run npm ci to create .venv`);
    return 2;
  }
  return r.status ?? 1;
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
