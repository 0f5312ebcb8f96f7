/** Runs the `posture` CLI from the checkout in a child process (`node --import tsx bin/cli.ts`, without npx's start-up). */
import { spawn } from 'node:child_process';
import { projectRoot } from '../../src/core/paths.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a process to its end, collecting its output (the exit code is null when a signal ended it). */
export function runProcess(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function runPosture(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return runProcess(process.execPath, ['--import', 'tsx', 'bin/cli.ts', ...args], { cwd: projectRoot, env });
}
