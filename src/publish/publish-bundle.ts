/**
 * Publishing a bundle whose impact was computed (computeImpact): it becomes the active bundle (the
 * engine picks it up by its ETag within BUNDLE_TTL_SECONDS), then the re-evaluation is written
 * through the compliance path. The one sequence of `posture upload` and the console's Save.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Clock } from '#core/types.ts';
import type { AlertItem } from '#compliance/model.ts';
import type { ComplianceStore } from '#store/compliance-store.ts';
import { writeActiveBundle } from './active-bundle.ts';
import { applyImpact, uploadTrigger, type ApplyOutcome } from './apply-impact.ts';
import type { ResourceWrite } from './impact.ts';

export interface PublishPorts {
  s3: S3Client;
  /** The policy bucket (its ACTIVE_BUNDLE_KEY). */
  bucket: string;
  compliance: Pick<ComplianceStore, 'apply' | 'removePairs'>;
  clock: Clock;
  /** Delivers what the writes opened or resolved; none where the Alerts table stream delivers. */
  onAlerts?: (opened: AlertItem[], resolved: AlertItem[]) => Promise<void>;
}

export interface Published {
  versionId: string | null;
  written: ApplyOutcome;
}

export async function publishBundle(ports: PublishPorts, data: Uint8Array, contentHash: string, writes: readonly ResourceWrite[]): Promise<Published> {
  const versionId = await writeActiveBundle(ports.s3, ports.bucket, data, contentHash);
  const written = await applyImpact(ports.compliance, writes, uploadTrigger(contentHash), ports.clock.now(), ports.onAlerts);
  return { versionId: versionId ?? null, written };
}

/** What a publish wrote, counted (the upload's JSON document, the console's publish result). */
export const writtenCounts = (w: ApplyOutcome) => ({ changed: w.changed, removed: w.removed, alertsOpened: w.opened.length, alertsResolved: w.resolved.length });
