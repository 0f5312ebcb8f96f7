/**
 * What the CLI verbs that re-evaluate stored compliance without a rescan share (`posture upload`,
 * `posture exceptions add|remove`): the target's active pack fetched into a temporary directory,
 * an engine worker on it, and the delivery of the alerts their writes open or resolve.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { projectRoot } from '#core/paths.ts';
import type { AlertItem } from '#compliance/model.ts';
import { PythonWorker } from '#local/python-worker.ts';
import { startLocalRuntime } from '#local/runtime.ts';
import { activeBaseline, type ActivePack } from '#publish/active-pack.ts';
import type { Baseline } from '#publish/bundle-diff.ts';
import { resourceTypeNames } from '#resources/index.ts';
import { unscannedPantherTypes } from '#resources/panther-types.ts';
import type { Target } from './target.ts';
import { choiceEnv, type FrameworkChoice } from '#compliance/frameworks/selection.ts';
export { targetFrameworks } from './target-frameworks.ts';

export type AlertDelivery = (opened: AlertItem[], resolved: AlertItem[]) => Promise<void>;

export const BUILTIN_DIRS = [join(projectRoot, 'policies')];

/** Runs `fn` with the target's active pack in a temporary directory, removed afterwards. */
export async function withActivePack<T>(target: Target, fn: (active: ActivePack, dir: string) => Promise<T>, builtinDirs = BUILTIN_DIRS): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'posture-pack-'));
  try {
    return await fn(await activeBaseline(target, target.clients.get(S3Client), dir, builtinDirs), dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * An engine worker evaluating with a pack (a bundle zip or policy directories); with the target's
 * framework choice, the policies it leaves out are disabled as in the target's own engine, so a
 * re-evaluation removes their stored results as it does a disabled policy's.
 */
export function startPackWorker(pack: Baseline, frameworks?: FrameworkChoice): Promise<PythonWorker> {
  return PythonWorker.start({
    ...('zip' in pack ? { bundleZip: pack.zip } : { policyDirs: pack.dirs }),
    resourceTypes: resourceTypeNames(),
    knownTypes: unscannedPantherTypes(),
    ...(frameworks ? { env: choiceEnv(frameworks) } : {}),
  });
}

/** Default delivery: none for a stack (its Alerts table stream delivers), a local runtime's dispatcher for an endpoint. */
export function defaultDelivery(target: Target): AlertDelivery | undefined {
  if (target.kind !== 'local') return undefined;
  return async (opened, resolved) => {
    const rt = await startLocalRuntime({ endpoint: target.name });
    try {
      await rt.deps.onAlerts?.(opened, resolved);
    } finally {
      await rt.close();
    }
  };
}
