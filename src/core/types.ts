/** Shapes shared by the scan, real-time, compliance and alert code. */
import type { Resource } from '#core/resource.ts';

export type Severity = 'Info' | 'Low' | 'Medium' | 'High' | 'Critical';
export const SEVERITIES: readonly Severity[] = ['Info', 'Low', 'Medium', 'High', 'Critical'];
export type Status = 'PASS' | 'FAIL' | 'ERROR';
/** A finding's status as filters name it: SUPPRESSED is a FAIL under an exception or suppression pattern, FAIL one that alerts. */
export const FINDING_STATUSES = ['PASS', 'FAIL', 'ERROR', 'SUPPRESSED'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** One (policy, resource) result from the Python engine. */
export interface PolicyResult {
  policyId: string;
  resourceId: string;
  resourceType: string;
  status: Status;
  errorMessage: string | null;
  severity: Severity;
  title: string | null;
  dedup: string | null;
  suppressed: boolean;
  /** The exception that suppressed a FAIL (set at ingest; null for the engine's suppression patterns). */
  suppressedBy?: string | null;
  alertContext?: unknown;
  description?: string | null;
  runbook?: string | null;
  reference?: string | null;
  destinations?: string[] | null;
  outputErrors?: string[];
}

/** Reads live stored resources by ID for policies' resource_lookup (the resource store implements it). */
export interface LookupSource {
  getMany(ids: readonly string[]): Promise<Map<string, Resource>>;
}

/** The policy engine port: a pure function of resources (and the loaded bundle), and of the stored
 *  resources its policies look up from `lookups` (without it, a lookup fails the evaluation). */
export interface Evaluator {
  evaluate(resources: readonly Resource[], lookups?: LookupSource): Promise<PolicyResult[]>;
}

/** What caused an evaluation: the daily scan, a CloudTrail event, `posture upload` of a policy
 *  bundle (`upload:<first 12 hex of its content hash>`), or `posture exceptions add|remove`
 *  (`exception:<exceptionId>`) — the last two re-evaluate stored resources. */
export type Trigger = 'scheduled' | `realtime:${string}` | `upload:${string}` | `exception:${string}`;

/** One scan scope: account × region × resource type ("global" region for global types). */
export interface Scope {
  accountId: string;
  region: string;
  resourceType: string;
}

export const scopeKey = (s: Scope): string => `${s.accountId}#${s.region}#${s.resourceType}`;

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
