/**
 * The target's active policy pack: the bundle `posture upload` published (ACTIVE_BUNDLE_KEY of the
 * policy bucket), else what the engine falls back to — the built-in bundle of a deployed stack (its
 * output), the built-in directories of a local runtime. Uploads diff and merge against it,
 * exceptions check their policy in it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { OUTPUTS } from '../../lib/outputs.ts';
import { ACTIVE_BUNDLE_KEY, objectVersion, parseS3Url, readObject } from './active-bundle.ts';
import type { Baseline } from './bundle-diff.ts';

/** What of a CLI target this needs (src/cli/target.ts). */
export interface PackTarget {
  kind: 'stack' | 'local';
  name: string;
  bucket: string;
  outputs: Record<string, string>;
}

export interface ActivePack {
  baseline: Baseline;
  /** For messages: where the active pack comes from. */
  label: string;
  /** The policy bucket, where an upload publishes. */
  bucket: string;
}

export class ActivePackError extends Error {}

function policyBucket(target: PackTarget): string {
  const bucket = target.kind === 'stack' ? target.outputs[OUTPUTS.policyBucket] : target.bucket;
  if (!bucket) throw new ActivePackError(`--stack ${target.name}: output ${OUTPUTS.policyBucket} is missing; deploy this version of the stack first`);
  return bucket;
}

/**
 * Which pack is active, without downloading it (HEADs only): changes whenever activeBaseline's
 * answer would — an upload or console publish (new ETag/version), the active bundle removed, a
 * redeployed built-in bundle. Lets a long-running reader keep what it derived from the pack.
 */
export async function activePackVersion(target: PackTarget, s3: S3Client): Promise<string> {
  const bucket = policyBucket(target);
  const active = await objectVersion(s3, { bucket, key: ACTIVE_BUNDLE_KEY });
  if (active) return `active:${active}`;
  if (target.kind === 'local') return 'builtin-dirs';
  const url = target.outputs[OUTPUTS.builtinPolicyBundle];
  if (!url) return 'builtin:none';
  return `builtin:${url}:${(await objectVersion(s3, parseS3Url(url, `output ${OUTPUTS.builtinPolicyBundle}`))) ?? 'gone'}`;
}

/** The active pack, its bundle written under `dir` when it is one (the caller removes `dir`). */
export async function activeBaseline(target: PackTarget, s3: S3Client, dir: string, builtinDirs: string[]): Promise<ActivePack> {
  const bucket = policyBucket(target);
  const active = await readObject(s3, { bucket, key: ACTIVE_BUNDLE_KEY });
  if (active) {
    const zip = join(dir, 'active.zip');
    await writeFile(zip, active);
    return { baseline: { zip }, label: `s3://${bucket}/${ACTIVE_BUNDLE_KEY}`, bucket };
  }
  if (target.kind === 'local') return { baseline: { dirs: builtinDirs }, label: 'the built-in pack', bucket };
  const url = target.outputs[OUTPUTS.builtinPolicyBundle];
  if (!url) throw new ActivePackError(`--stack ${target.name}: output ${OUTPUTS.builtinPolicyBundle} is missing; deploy this version of the stack first`);
  const at = parseS3Url(url, `output ${OUTPUTS.builtinPolicyBundle}`);
  const data = await readObject(s3, at);
  if (!data) throw new ActivePackError(`--stack ${target.name}: the built-in bundle ${url} is gone; redeploy the stack`);
  const zip = join(dir, 'builtin.zip');
  await writeFile(zip, data);
  return { baseline: { zip }, label: 'the built-in bundle', bucket };
}
