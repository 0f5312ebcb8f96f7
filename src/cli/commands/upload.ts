/**
 * `posture upload [PATH...]`: validate and test a policy pack, bundle it, add it to the target's
 * active pack policy by policy (each policy added, or overriding the active one of its PolicyID;
 * globals by GlobalID; nothing removed — the rule of `posture scan --policies`, pack_layers.py), show
 * what that changes on the stored inventory (per policy: new failures, resolved findings, findings
 * an exception suppresses, new errors), then publish the result as the stack's active bundle and
 * write the re-evaluated compliance. `--replace` publishes the pack alone instead: the preview names
 * every policy that removes before anything is published. `--dry-run` stops after the preview.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { systemClock, type Clock } from '#core/types.ts';
import type { PythonWorker } from '#local/python-worker.ts';
import { ACTIVE_BUNDLE_KEY } from '#publish/active-bundle.ts';
import { ActivePackError } from '#publish/active-pack.ts';
import type { ApplyOutcome } from '#publish/apply-impact.ts';
import { diffBundles } from '#publish/bundle-diff.ts';
import { EngineCommandError } from '#publish/engine-json.ts';
import { computeImpact, type Impact } from '#publish/impact.ts';
import { mergePacks, type PackMerge } from '#publish/pack-layers.ts';
import { publishBundle, writtenCounts } from '#publish/publish-bundle.ts';
import { resourceTypeNames } from '#resources/index.ts';
import { BUILTIN_DIRS, defaultDelivery, startPackWorker, targetFrameworks, withActivePack, type AlertDelivery } from '../active-pack-worker.ts';
import { renderTable } from '../table.ts';
import type { Target, TargetOptions } from '../target.ts';
import { buildBundle } from './bundle.ts';
import { addFormatOptions, addTargetOptions, targetOrExit } from './options.ts';
import { notScannedNotes } from '#resources/panther-types.ts';

export interface UploadOptions extends TargetOptions {
  dryRun?: boolean;
  json?: boolean;
  minimumTests?: string;
  /** Publish the pack alone: every active policy it does not hold is removed. */
  replace?: boolean;
  /** Publish only if the active and the new bundle are still these (the console's previewed pair). */
  expect?: { fromHash: string; toHash: string };
}

/** runUpload's exit status when `expect` no longer holds: nothing was published. */
export const STALE_PREVIEW_EXIT = 3;

export interface UploadIo {
  out(line: string): void;
  err(line: string): void;
}

export interface UploadPorts {
  clock?: Clock;
  /** Delivers the alerts the writes opened or resolved. Default: none for a stack (its Alerts
   *  table stream delivers), a local runtime's delivery for an endpoint. */
  onAlerts?: AlertDelivery;
  /** The built-in pack of a local runtime (default: policies/). */
  builtinDirs?: string[];
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function impactRows(impact: Impact): string[][] {
  return impact.policies.map((p) => [
    p.policyId,
    p.change,
    String(p.evaluated),
    String(p.newFailures.length),
    String(p.resolved.length),
    String(p.suppressedByException.length),
    String(p.newErrors.length),
  ]);
}

export const IMPACT_HEADERS = ['POLICY', 'CHANGE', 'EVALUATED', 'NEW FAILURES', 'RESOLVED', 'SUPPRESSED BY EXCEPTION', 'NEW ERRORS'];

/** How the pack meets the active one: what it adds and overrides, and what a --replace removes. */
export interface PackLayering {
  mode: 'merge' | 'replace';
  added: string[];
  overridden: string[];
  removed: { count: number; policies: string[] };
}

const ids = (list: readonly string[]): string => (list.length ? ` (${list.join(', ')})` : '');

/** The preview line that says what the pack adds, overrides and removes. */
export function layeringLine(l: PackLayering): string {
  if (l.mode === 'replace') {
    return `--replace: the pack replaces the active pack: ${l.removed.count} removed${ids(l.removed.policies)}, ${l.added.length} added${ids(l.added)}`;
  }
  return `the pack adds to the active pack: ${l.added.length} added${ids(l.added)}, ${l.overridden.length} overriding an active policy${ids(l.overridden)}; 0 removed (--replace would publish the pack alone)`;
}

/**
 * `target` may be given as a function: the CLI resolves it only once the pack is valid, so a broken
 * pack is reported as such (exit 1) before any AWS call, whatever the target (undefined: it could
 * not be resolved and said why; exit 2).
 */
export async function runUpload(targetOrResolve: Target | (() => Promise<Target | undefined>), paths: string[], opts: UploadOptions, io: UploadIo, ports: UploadPorts = {}): Promise<number> {
  const clock = ports.clock ?? systemClock;
  let worker: PythonWorker | undefined;
  const packDir = await mkdtemp(join(tmpdir(), 'posture-upload-'));
  try {
    const packZip = join(packDir, 'pack.zip');
    // Validation, the pack's tests and the zip, exactly as `posture bundle` (its report on stderr), before any AWS call.
    if (buildBundle(paths, { out: packZip, minimumTests: opts.minimumTests, report: 'stderr' }) !== 0) {
      io.err('posture upload: the pack is invalid or its tests fail (see above); nothing was uploaded');
      return 1;
    }
    const target = typeof targetOrResolve === 'function' ? await targetOrResolve() : targetOrResolve;
    if (!target) return 2;
    return await withActivePack(
      target,
      async ({ baseline, label, bucket }, dir) => {
        let newZip = packZip;
        let merge: PackMerge | undefined;
        if (!opts.replace) {
          newZip = join(dir, 'merged.zip');
          merge = mergePacks(baseline, { zip: packZip }, newZip);
        }
        const diff = diffBundles(baseline, newZip);
        const removed = diff.policies.filter((p) => p.change === 'removed').map((p) => p.id);
        const layering: PackLayering = {
          mode: opts.replace ? 'replace' : 'merge',
          added: merge?.added ?? diff.policies.filter((p) => p.change === 'added').map((p) => p.id),
          overridden: merge?.overridden ?? [],
          removed: { count: removed.length, policies: removed },
        };
        if (opts.expect && (opts.expect.fromHash !== diff.oldHash || opts.expect.toHash !== diff.newHash)) {
          io.err(`posture upload: the bundles are no longer the previewed ones (${opts.expect.fromHash.slice(0, 12)} → ${opts.expect.toHash.slice(0, 12)}, now ${diff.oldHash.slice(0, 12)} → ${diff.newHash.slice(0, 12)}); nothing was uploaded`);
          return STALE_PREVIEW_EXIT;
        }
        if (diff.oldHash === diff.newHash) {
          const same = `bundle ${diff.newHash.slice(0, 12)} is already active (${label}); nothing to upload`;
          if (opts.json) io.out(JSON.stringify({ dryRun: Boolean(opts.dryRun), unchanged: true, contentHash: diff.newHash, pack: layering }, null, 2));
          else io.out(same);
          return 0;
        }

        const types = diff.affectedTypes ?? resourceTypeNames();
        worker = await startPackWorker({ zip: newZip }, targetFrameworks(target));
        for (const e of worker.ready.errors) io.err(`posture upload: ${e}`);
        // Said where a deployed pack is published: such policies load and are never evaluated.
        for (const note of notScannedNotes(worker.ready.targets)) io.err(`posture upload: note: ${note}`);
        const { impact, writes } = await computeImpact(
          { resources: target.resources, compliance: target.compliance, evaluator: worker, exceptions: target.exceptions, clock },
          diff,
          types,
        );

        // The preview, printed before anything is published.
        if (!opts.json) {
          const count = (c: string) => diff.policies.filter((p) => p.change === c).length;
          io.out(`bundle ${diff.oldHash.slice(0, 12)} (${label}) → ${diff.newHash.slice(0, 12)}: ${count('added')} added, ${count('changed')} changed, ${count('removed')} removed`);
          io.out(layeringLine(layering));
          io.out(`re-evaluated ${plural(impact.resources, 'stored resource')} of ${plural(impact.types.length, 'type')} (no rescans)`);
          io.out(impact.policies.length ? renderTable(IMPACT_HEADERS, impactRows(impact), 70) : 'no finding changes');
          const t = impact.totals;
          io.out(`total: ${plural(t.newFailures, 'new failure')}, ${t.resolved} resolved, ${t.suppressedByException} suppressed by an exception, ${plural(t.newErrors, 'new error')}`);
        }

        let uploaded: { bucket: string; key: string; versionId: string | null } | null = null;
        let written: ApplyOutcome | null = null;
        if (!opts.dryRun) {
          const published = await publishBundle(
            { s3: target.clients.get(S3Client), bucket, compliance: target.compliance, clock, onAlerts: ports.onAlerts ?? defaultDelivery(target) },
            await readFile(newZip),
            diff.newHash,
            writes,
          );
          uploaded = { bucket, key: ACTIVE_BUNDLE_KEY, versionId: published.versionId };
          written = published.written;
        }

        if (opts.json) {
          const summary = written && writtenCounts(written);
          io.out(JSON.stringify({ dryRun: Boolean(opts.dryRun), from: label, pack: layering, impact, uploaded, written: summary }, null, 2));
          return 0;
        }
        if (!uploaded || !written) io.out('dry run: nothing uploaded, nothing written');
        else {
          io.out(`uploaded s3://${uploaded.bucket}/${uploaded.key}${uploaded.versionId ? ` (version ${uploaded.versionId})` : ''}; the engine uses it within a minute`);
          io.out(
            `wrote ${plural(written.changed, 'compliance change')}, removed ${plural(written.removed, 'result')} of policies that no longer apply: ` +
              `${plural(written.opened.length, 'alert')} opened, ${written.resolved.length} resolved`,
          );
        }
        return 0;
      },
      ports.builtinDirs ?? BUILTIN_DIRS,
    );
  } catch (err) {
    if (!(err instanceof ActivePackError || err instanceof EngineCommandError)) throw err;
    io.err(`posture upload: ${err.message}`);
    return 2;
  } finally {
    await worker?.stop();
    await rm(packDir, { recursive: true, force: true });
  }
}

export function registerUpload(program: Command): void {
  const cmd = program.command('upload');
  addFormatOptions(cmd, ['text', 'json'], 'text');
  addTargetOptions(
    cmd
      .description(
        'validate, test and bundle policies, add them to the active pack (by PolicyID: added or overriding; nothing removed without --replace), show the impact on the stored findings, then publish',
      )
      .argument('[paths...]', 'directories or files holding policies (folders whose name contains "policies")')
      .option('--dry-run', 'compute and print the impact only: nothing is uploaded or written')
      .option('--replace', "publish the pack alone, replacing the whole active pack (default: add its policies to the active pack, overriding those of the same PolicyID); the preview lists what it removes")
      .option('--minimum-tests <n>', 'also fail policies with fewer unit tests')
      .addHelpText('after', '\n--format json (or --json): machine-readable output; the test report goes to stderr.'),
  ).action(async (paths: string[], opts: UploadOptions) => {
    process.exitCode = await runUpload(() => targetOrExit('upload', opts), paths, opts, { out: (l) => console.log(l), err: (l) => console.error(l) });
  });
}
