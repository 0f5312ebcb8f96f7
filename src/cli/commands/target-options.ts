/** The `--stack NAME | --endpoint URL [--region R]` options shared by the verbs that read state. */
import type { Command } from 'commander';
import { resolveTarget, TargetError, type Target, type TargetOptions } from '../target.ts';

export function addTargetOptions(cmd: Command, opts: { region?: boolean } = {}): Command {
  cmd
    .option('--stack <name>', 'a deployed Posture stack (read through its outputs with your AWS credentials)')
    .option('--endpoint <url>', 'a running local runtime (e.g. from posture demo --keep-running)');
  return opts.region === false ? cmd : cmd.option('--region <region>', 'the region of the stack (default: AWS_REGION or us-east-1)');
}

/** Resolves the target, or prints the one-line reason and sets exit code 2. */
export async function targetOrExit(verb: string, opts: TargetOptions): Promise<Target | undefined> {
  try {
    return await resolveTarget(opts);
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
    console.error(`posture ${verb}: ${err.message}`);
    process.exitCode = 2;
    return undefined;
  }
}

/** `--account 1,2 --account 3` → ['1','2','3'] */
export const collectList = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
