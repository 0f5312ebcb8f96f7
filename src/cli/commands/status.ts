/**
 * `posture status`: is the system healthy? The last scheduled scan (scopes OK / not evaluated by
 * outcome, with reasons), the compliance pass rate and its change since a week earlier (from the
 * daily summary), the last DailyScan execution of a deployed stack, messages parked on
 * each dead-letter queue, open alerts. Exit 0: nothing needs attention; 1: something does (scopes
 * not evaluated in the last scan, parked messages, a failed / timed-out / aborted last execution,
 * no scan although accounts are onboarded); 2: usage or target error.
 */
import type { Command } from 'commander';
import { gatherStatus, renderStatus, STATUS_EXIT, StatusError, type StatusReport, type StatusTarget } from '../status.ts';
import type { TargetOptions } from '../target.ts';
import { addFormatOptions, addTargetOptions, targetOrExit } from './options.ts';

export interface StatusIo {
  out(line: string): void;
}

/** Prints the status of `target`; returns the exit code. */
export async function status(target: StatusTarget, opts: { json?: boolean }, io: StatusIo = { out: (l) => console.log(l) }): Promise<{ code: number; report: StatusReport }> {
  const report = await gatherStatus(target);
  const code = report.attention.length ? STATUS_EXIT.attention : STATUS_EXIT.ok;
  if (opts.json) io.out(JSON.stringify({ ...report, ok: code === STATUS_EXIT.ok }));
  else for (const line of renderStatus(report)) io.out(line);
  return { code, report };
}

export function registerStatus(program: Command): void {
  const cmd = program.command('status');
  addFormatOptions(cmd, ['text', 'json'], 'text');
  addTargetOptions(
    cmd
      .description(
        'health of the system: last scan (scopes OK / not evaluated), compliance pass rate vs 7 days ago, last DailyScan execution, parked messages per DLQ, open alerts ' +
          `(exit ${STATUS_EXIT.attention} when something needs attention, ${STATUS_EXIT.usage} on a usage or target error)`,
      ),
  ).action(async (opts: TargetOptions & { json?: boolean }) => {
    const target = await targetOrExit('status', opts);
    if (!target) return;
    try {
      process.exitCode = (await status(target, opts)).code;
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
      console.error(`posture status: ${err.message}`);
      process.exitCode = STATUS_EXIT.usage;
    }
  });
}
