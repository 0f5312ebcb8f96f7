/**
 * The console's engine port on a CLI target: a draft is written as a one-policy pack next to the
 * active pack's global helpers (python -m posture_engine.policy_export), then run exactly as the
 * CLI runs a pack — its tests by `posture test`'s runner, its evaluation by the Python worker,
 * its impact and publish by `posture upload` itself (runUpload, merged into the active pack; the
 * publish carries the previewed bundle hashes back and is refused if they moved).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ImpactPreview, PolicyDraft, PublishResult, TestResults } from '#console/contract/detections.ts';
import { impactPreviewSchema, publishResultSchema } from '#console/contract/detections.ts';
import { DraftError, StalePreviewError, type PolicyEngine } from '#console/policy-engine.ts';
import type { Resource } from '#core/resource.ts';
import type { Baseline } from '#publish/bundle-diff.ts';
import { EngineCommandError, runEngineJson } from '#publish/engine-json.ts';
import type { Impact } from '#publish/impact.ts';
import { startPackWorker, withActivePack } from './active-pack-worker.ts';
import { runUpload, STALE_PREVIEW_EXIT, type UploadOptions } from './commands/upload.ts';
import { engineTypeArgs, parseTestReport, runEngineModule } from './engine-runner.ts';
import type { Target } from './target.ts';

const packArgs = (pack: Baseline): string[] => ('zip' in pack ? ['--zip', pack.zip] : pack.dirs);

/** The spec's fields as the engine's loader returned them (validated there). */
const exportSchema = z.object({ policyId: z.string(), spec: z.record(z.string(), z.unknown()), source: z.string() });

/** Runs `fn` on a pack directory holding the draft and the active pack's globals (removed afterwards). */
function withDraftPack<T>(target: Target, draft: PolicyDraft, fn: (pack: string) => Promise<T>): Promise<T> {
  return withActivePack(target, async ({ baseline }, dir) => {
    // A folder name the loader accepts; the globals below it load with the draft.
    const pack = join(dir, 'console_policies');
    await mkdir(pack);
    runEngineJson('posture_engine.policy_export', [...packArgs(baseline), '--globals-out', join(pack, 'global_helpers')], z.object({ globals: z.array(z.string()) }), 'policy export');
    await writeFile(join(pack, draft.spec.Filename), draft.source);
    await writeFile(join(pack, `${draft.spec.Filename.replace(/\.py$/, '')}.json`), JSON.stringify(draft.spec));
    return fn(pack);
  });
}

/** runUpload with its output captured: its one JSON document, or the error its exit status means. */
async function upload(target: Target, pack: string, opts: UploadOptions): Promise<Record<string, unknown>> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runUpload(target, [pack], { ...opts, json: true }, { out: (l) => out.push(l), err: (l) => err.push(l) });
  const why = (err.at(-1) ?? `exit status ${code}`).replace(/^posture upload: /, '').replaceAll(`${pack}/`, '');
  if (code === STALE_PREVIEW_EXIT) throw new StalePreviewError(why);
  if (code === 1) throw new DraftError('the draft is invalid or its tests fail: run its tests to see why');
  if (code !== 0) throw new Error(`posture upload: ${why}`);
  return JSON.parse(out.join('\n')) as Record<string, unknown>;
}

function toPreview(doc: Record<string, unknown>): ImpactPreview {
  if (doc.unchanged === true) {
    const hash = String(doc.contentHash);
    return impactPreviewSchema.parse({ unchanged: true, from: 'the active pack', hash: { fromHash: hash, toHash: hash }, resources: 0, policies: [], totals: { newFailures: 0, resolved: 0, suppressedByException: 0, newErrors: 0 } });
  }
  const impact = doc.impact as Impact;
  return impactPreviewSchema.parse({
    unchanged: false,
    from: doc.from,
    hash: { fromHash: impact.fromHash, toHash: impact.toHash },
    resources: impact.resources,
    policies: impact.policies,
    totals: impact.totals,
  });
}

export function consolePolicyEngine(target: Target): PolicyEngine {
  return {
    async policy(policyId) {
      return withActivePack(target, async ({ baseline }) => {
        try {
          const doc = runEngineJson('posture_engine.policy_export', ['--policy', policyId, ...packArgs(baseline)], exportSchema, 'policy export');
          return { spec: doc.spec as PolicyDraft['spec'], source: doc.source };
        } catch (err) {
          if (err instanceof EngineCommandError && err.message.includes('no policy')) return null;
          throw err;
        }
      });
    },

    async runTests(draft): Promise<TestResults> {
      return withDraftPack(target, draft, async (pack) => {
        const run = runEngineModule('posture_engine.spec_tests', [pack, ...engineTypeArgs(), '--json', '--no-install'], 'none');
        if (run.error) throw new Error(`cannot run the policy engine (${run.error.message})`);
        const parsed = parseTestReport(run.stdout);
        if (!parsed.ok) throw new Error(`the policy test runner failed: ${parsed.problem}`);
        const r = parsed.report;
        const local = (s: string) => s.replaceAll(`${pack}/`, '');
        const cases = r.policies[draft.spec.PolicyID] ?? [];
        return {
          passed: cases.filter((c) => c.passed).length,
          failed: cases.filter((c) => !c.passed).length,
          cases: cases.map((c) => ({ name: c.name, expected: c.expected, passed: c.passed, status: c.status, title: c.title, problems: c.problems.map(local) })),
          errors: [...r.invalidSpecs.flatMap((i) => i.problems.map((p) => `${local(i.file)}: ${local(p)}`)), ...r.errors.map(local)],
        };
      });
    },

    async evaluate(draft, resources: readonly Resource[]) {
      return withDraftPack(target, draft, async (pack) => {
        const worker = await startPackWorker({ dirs: [pack] });
        try {
          if (worker.ready.errors.length) throw new DraftError(worker.ready.errors[0]!.replaceAll(`${pack}/`, ''));
          const results = await worker.evaluate(resources, target.resources);
          return results.filter((r) => r.policyId === draft.spec.PolicyID);
        } finally {
          await worker.stop();
        }
      });
    },

    async preview(draft) {
      return withDraftPack(target, draft, async (pack) => toPreview(await upload(target, pack, { dryRun: true })));
    },

    async publish(draft, confirm): Promise<PublishResult> {
      return withDraftPack(target, draft, async (pack) => {
        const doc = await upload(target, pack, { expect: confirm });
        if (doc.unchanged === true) return publishResultSchema.parse({ contentHash: doc.contentHash, versionId: null, written: { changed: 0, removed: 0, alertsOpened: 0, alertsResolved: 0 } });
        const uploaded = doc.uploaded as { versionId: string | null };
        return publishResultSchema.parse({ contentHash: (doc.impact as Impact).toHash, versionId: uploaded.versionId, written: doc.written });
      });
    },
  };
}
