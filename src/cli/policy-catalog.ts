/**
 * The policy catalog of a target's active pack: the uploaded bundle, else the built-in one (a
 * stack's built-in bundle, a local runtime's policies/), read by `python -m posture_engine.catalog`
 * so that the catalog is what the engine loads, and validated with the catalog's schema.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { PolicyCatalogSchema, type PolicyCatalog } from '#compliance/catalog.ts';
import { choiceEnv, type FrameworkChoice } from '#compliance/frameworks/selection.ts';
import { projectRoot } from '#core/paths.ts';
import type { Baseline } from '#publish/bundle-diff.ts';
import { activeBaseline, activePackVersion, type PackTarget } from '#publish/active-pack.ts';
import type { AwsClients } from '#aws/clients.ts';
import { runEngineModule } from './engine-runner.ts';
import type { Target } from './target.ts';
import { targetFrameworks } from './target-frameworks.ts';

export class CatalogError extends Error {}

/** The built-in pack, as the local runtime and the demo load it. */
export const BUILTIN_PACK_DIR = join(projectRoot, 'policies');
export const BUILTIN_PACK: Baseline = { dirs: [BUILTIN_PACK_DIR] };

/** The catalog of a pack (a bundle zip or pack directories); with a framework choice, the policies it leaves out say `selected: false`. */
export function readCatalog(pack: Baseline, choice?: FrameworkChoice): PolicyCatalog {
  const args = 'zip' in pack ? ['--zip', pack.zip] : pack.dirs;
  const run = runEngineModule('posture_engine.catalog', args, 'none', { env: choice ? choiceEnv(choice) : {} });
  if (run.error) throw new CatalogError(`cannot run the policy engine (${run.error.message}); run npm ci to create .venv`);
  if (run.status !== 0) throw new CatalogError(run.stderr.trim().split('\n').at(-1) || `posture_engine.catalog exited ${run.status ?? run.signal}`);
  let doc: unknown;
  try {
    doc = JSON.parse(run.stdout);
  } catch {
    throw new CatalogError('posture_engine.catalog printed no JSON');
  }
  const parsed = PolicyCatalogSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CatalogError(`policy catalog: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** The catalog of the pack the target evaluates with, and where it came from. */
export async function activeCatalog(target: Target): Promise<{ catalog: PolicyCatalog; label: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'posture-catalog-'));
  try {
    const active = await activeBaseline(target, target.clients.get(S3Client), dir, 'dirs' in BUILTIN_PACK ? BUILTIN_PACK.dirs : []).catch((err: Error) => {
      throw new CatalogError(err.message);
    });
    // As the target's engine reads it: the policies its framework choice leaves out are disabled.
    return { catalog: readCatalog(active.baseline, targetFrameworks(target)), label: active.label };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * activeCatalog for a long-running reader (`posture console`): the catalog is kept per active
 * pack version, so a request costs one HEAD of the active bundle instead of a download and a
 * Python run; a publish — from the console or `posture upload` in another terminal — changes the
 * version, and the next request reads the new pack. A failed read is not kept.
 */
export function cachedActiveCatalog<T extends PackTarget & { clients: AwsClients }>(target: T, read: (t: T) => Promise<{ catalog: PolicyCatalog; label: string }>): () => Promise<PolicyCatalog> {
  let kept: { version: string; catalog: Promise<PolicyCatalog> } | undefined;
  return async () => {
    const version = await activePackVersion(target, target.clients.get(S3Client)).catch((err: Error) => {
      throw new CatalogError(err.message);
    });
    if (kept?.version !== version) {
      const catalog = read(target).then((r) => r.catalog);
      const entry = { version, catalog };
      kept = entry;
      catalog.catch(() => {
        if (kept === entry) kept = undefined;
      });
    }
    return kept.catalog;
  };
}
