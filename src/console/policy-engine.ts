/**
 * The engine port of the Detections area: what the policy editor needs from the Python engine,
 * which runs differently per runtime (locally the engine runner and the Python worker,
 * src/cli/console-policy-engine.ts; deployed the engine function). Every method takes the draft
 * as the editor holds it; none changes anything except `publish`.
 */
import type { PolicyResult } from '#core/types.ts';
import type { Resource } from '#core/resource.ts';
import type { ImpactPreview, PolicyDraft, PublishResult, TestResults } from './contract/detections.ts';

/** The draft is not a valid policy pack (an invalid spec, a bad file name): a 400 naming it. */
export class DraftError extends Error {}
/** The active pack or the draft moved since the preview: publish refused (409); preview again. */
export class StalePreviewError extends Error {}

export interface PolicyEngine {
  /** The policy's spec and source in the active pack; null: the pack holds no such policy. */
  policy(policyId: string): Promise<PolicyDraft | null>;
  /** The draft's unit tests, run by the engine's test runner (`posture test`). */
  runTests(draft: PolicyDraft): Promise<TestResults>;
  /** The draft evaluated on stored resources (resource_lookup reads the resource store). */
  evaluate(draft: PolicyDraft, resources: readonly Resource[]): Promise<PolicyResult[]>;
  /** What publishing the draft into the active pack changes (`posture upload --dry-run`). */
  preview(draft: PolicyDraft): Promise<ImpactPreview>;
  /** Publishes the draft into the active pack (`posture upload`) if the bundles are still the previewed ones. */
  publish(draft: PolicyDraft, confirm: ImpactPreview['hash']): Promise<PublishResult>;
}
