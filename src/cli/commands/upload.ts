/**
 * `posture upload [PATH...]`: validate and test a policy pack, bundle it, show what it changes on
 * the stored inventory (per policy: new failures, resolved findings, new errors), then publish it
 * as the stack's active bundle and write the re-evaluated compliance. `--dry-run` stops after the
 * impact: nothing is uploaded or written.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { OUTPUTS } from '../../../lib/outputs.ts';
import { systemClock, type Clock } from '#core/types.ts';
import { projectRoot } from '#core/paths.ts';
import { PythonWorker } from '#local/python-worker.ts';
import { startLocalRuntime } from '#local/runtime.ts';
import { ACTIVE_BUNDLE_KEY, parseS3Url, readObject, writeActiveBundle } from '#publish/active-bundle.ts';
import { applyImpact, uploadTrigger, type ApplyOutcome } from '#publish/apply-impact.ts';
import { BundleDiffError, diffBundles, type Baseline } from '#publish/bundle-diff.ts';
import { computeImpact, type Impact } from '#publish/impact.ts';
import { resourceTypeNames } from '#resources/index.ts';
import type { AlertItem } from '#compliance/model.ts';
import { renderTable } from '../table.ts';
import type { Target, TargetOptions } from '../target.ts';
import { buildBundle } from './bundle.ts';
import { addTargetOptions, targetOrExit } from './target-options.ts';

export interface UploadOptions extends TargetOptions {
  dryRun?: boolean;
  json?: boolean;
  minimumTests?: string;
}

export interface UploadIo {
  out(line: string): void;
  err(line: string): void;
}

export interface UploadPorts {
  clock?: Clock;
  /** Delivers the alerts the writes opened or resolved. Default: none for a stack (its Alerts
   *  table stream delivers), a local runtime's delivery for an endpoint. */
  onAlerts?: (opened: AlertItem[], resolved: AlertItem[]) => Promise<void>;
  /** The built-in pack of a local runtime (default: policies/). */
  builtinDirs?: string[];
}

class UploadError extends Error {}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The active bundle to compare with: the uploaded one, else what the engine falls back to. Exported for the policy catalog (to move to src/publish/active-pack.ts). */
export async function activeBaseline(target: Target, s3: S3Client, dir: string, builtinDirs: string[]): Promise<{ baseline: Baseline; label: string; bucket: string }> {
  const bucket = target.kind === 'stack' ? target.outputs[OUTPUTS.policyBucket] : target.bucket;
  if (!bucket) throw new UploadError(`--stack ${target.name}: output ${OUTPUTS.policyBucket} is missing; deploy this version of the stack first`);
  const active = await readObject(s3, { bucket, key: ACTIVE_BUNDLE_KEY });
  if (active) {
    const zip = join(dir, 'active.zip');
    await writeFile(zip, active);
    return { baseline: { zip }, label: `s3://${bucket}/${ACTIVE_BUNDLE_KEY}`, bucket };
  }
  if (target.kind === 'local') return { baseline: { dirs: builtinDirs }, label: 'the built-in pack', bucket };
  const url = target.outputs[OUTPUTS.builtinPolicyBundle];
  if (!url) throw new UploadError(`--stack ${target.name}: output ${OUTPUTS.builtinPolicyBundle} is missing; deploy this version of the stack first`);
  const at = parseS3Url(url, `output ${OUTPUTS.builtinPolicyBundle}`);
  const data = await readObject(s3, at);
  if (!data) throw new UploadError(`--stack ${target.name}: the built-in bundle ${url} is gone; redeploy the stack`);
  const zip = join(dir, 'builtin.zip');
  await writeFile(zip, data);
  return { baseline: { zip }, label: 'the built-in bundle', bucket };
}

export function impactRows(impact: Impact): string[][] {
  return impact.policies.map((p) => [p.policyId, p.change, String(p.evaluated), String(p.newFailures.length), String(p.resolved.length), String(p.newErrors.length)]);
}

export const IMPACT_HEADERS = ['POLICY', 'CHANGE', 'EVALUATED', 'NEW FAILURES', 'RESOLVED', 'NEW ERRORS'];

export async function runUpload(target: Target, paths: string[], opts: UploadOptions, io: UploadIo, ports: UploadPorts = {}): Promise<number> {
  const clock = ports.clock ?? systemClock;
  const dir = await mkdtemp(join(tmpdir(), 'posture-upload-'));
  let worker: PythonWorker | undefined;
  try {
    const newZip = join(dir, 'bundle.zip');
    // Validation, the pack's tests and the zip, exactly as `posture bundle` (its report on stderr).
    if (buildBundle(paths, { out: newZip, minimumTests: opts.minimumTests, report: 'stderr' }) !== 0) {
      io.err('posture upload: the pack is invalid or its tests fail (see above); nothing was uploaded');
      return 1;
    }
    const s3 = target.clients.get(S3Client);
    const { baseline, label, bucket } = await activeBaseline(target, s3, dir, ports.builtinDirs ?? [join(projectRoot, 'policies')]);
    const diff = diffBundles(baseline, newZip);
    if (diff.oldHash === diff.newHash) {
      const same = `bundle ${diff.newHash.slice(0, 12)} is already active (${label}); nothing to upload`;
      if (opts.json) io.out(JSON.stringify({ dryRun: Boolean(opts.dryRun), unchanged: true, contentHash: diff.newHash }, null, 2));
      else io.out(same);
      return 0;
    }

    const types = diff.affectedTypes ?? resourceTypeNames();
    worker = await PythonWorker.start({ bundleZip: newZip, resourceTypes: resourceTypeNames() });
    for (const e of worker.ready.errors) io.err(`posture upload: ${e}`);
    const { impact, writes } = await computeImpact(
      { resources: target.resources, compliance: target.compliance, evaluator: worker, exceptions: target.exceptions, clock },
      diff,
      types,
    );

    let uploaded: { bucket: string; key: string; versionId: string | null } | null = null;
    let written: ApplyOutcome | null = null;
    if (!opts.dryRun) {
      const versionId = await writeActiveBundle(s3, bucket, await readFile(newZip), diff.newHash);
      uploaded = { bucket, key: ACTIVE_BUNDLE_KEY, versionId: versionId ?? null };
      const onAlerts = ports.onAlerts ?? (target.kind === 'local' ? localDelivery(target.name) : undefined);
      written = await applyImpact(target.compliance, writes, uploadTrigger(diff.newHash), clock.now(), onAlerts);
    }

    if (opts.json) {
      const summary = written && { changed: written.changed, removed: written.removed, alertsOpened: written.opened.length, alertsResolved: written.resolved.length };
      io.out(JSON.stringify({ dryRun: Boolean(opts.dryRun), from: label, impact, uploaded, written: summary }, null, 2));
      return 0;
    }
    const count = (c: string) => diff.policies.filter((p) => p.change === c).length;
    io.out(`bundle ${diff.oldHash.slice(0, 12)} (${label}) → ${diff.newHash.slice(0, 12)}: ${count('added')} added, ${count('changed')} changed, ${count('removed')} removed`);
    io.out(`re-evaluated ${plural(impact.resources, 'stored resource')} of ${plural(impact.types.length, 'type')} (no rescans)`);
    io.out(impact.policies.length ? renderTable(IMPACT_HEADERS, impactRows(impact), 70) : 'no finding changes');
    io.out(`total: ${plural(impact.totals.newFailures, 'new failure')}, ${impact.totals.resolved} resolved, ${plural(impact.totals.newErrors, 'new error')}`);
    if (!uploaded || !written) io.out('dry run: nothing uploaded, nothing written');
    else {
      io.out(`uploaded s3://${uploaded.bucket}/${uploaded.key}${uploaded.versionId ? ` (version ${uploaded.versionId})` : ''}; the engine uses it within a minute`);
      io.out(
        `wrote ${plural(written.changed, 'compliance change')}, removed ${plural(written.removed, 'result')} of policies that no longer apply: ` +
          `${plural(written.opened.length, 'alert')} opened, ${written.resolved.length} resolved`,
      );
    }
    return 0;
  } catch (err) {
    if (!(err instanceof UploadError || err instanceof BundleDiffError)) throw err;
    io.err(`posture upload: ${err.message}`);
    return 2;
  } finally {
    await worker?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A local runtime has no Alerts stream: deliver through its dispatcher, as its scans do. */
function localDelivery(endpoint: string): (opened: AlertItem[], resolved: AlertItem[]) => Promise<void> {
  return async (opened, resolved) => {
    const rt = await startLocalRuntime({ endpoint });
    try {
      await rt.deps.onAlerts?.(opened, resolved);
    } finally {
      await rt.close();
    }
  };
}

export function registerUpload(program: Command): void {
  addTargetOptions(
    program
      .command('upload')
      .description('validate, test and bundle policies, show their impact on the stored findings, then publish them to the stack')
      .argument('[paths...]', 'directories or files holding policies (folders whose name contains "policies")')
      .option('--dry-run', 'compute and print the impact only: nothing is uploaded or written')
      .option('--minimum-tests <n>', 'also fail policies with fewer unit tests')
      .option('--json', 'machine-readable output (the test report goes to stderr)'),
  ).action(async (paths: string[], opts: UploadOptions) => {
    const target = await targetOrExit('upload', opts);
    if (!target) return;
    process.exitCode = await runUpload(target, paths, opts, { out: (l) => console.log(l), err: (l) => console.error(l) });
  });
}
