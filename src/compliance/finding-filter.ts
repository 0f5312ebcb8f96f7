/**
 * Which findings a filter keeps: the rules `posture findings` / `posture report` apply (policy,
 * minimum severity, status with SUPPRESSED a status of its own) and the console's further fields
 * (account, region, resource type, framework, free text). One definition for the CLI and the console.
 */
import { FINDING_STATUSES, SEVERITIES, type FindingStatus, type Severity } from '#core/types.ts';
import type { Finding } from './findings.ts';

export { FINDING_STATUSES, type FindingStatus };

/** FAIL = failing and not suppressed; SUPPRESSED = failing under an exception or a suppression pattern. */
export const findingStatus = (f: Pick<Finding, 'status' | 'suppressed'>): FindingStatus => (f.status === 'FAIL' && f.suppressed ? 'SUPPRESSED' : f.status);

export interface FindingsFilter {
  policy?: string[];
  /** Minimum severity. */
  severity?: Severity;
  status?: string[];
  account?: string[];
  region?: string[];
  resourceType?: string[];
  /** Policy IDs of the framework asked for (resolved from the active pack's catalog); empty: none qualifies. */
  frameworkPolicies?: ReadonlySet<string>;
  /** Case-insensitive substring of the resource ID, policy ID or title. */
  text?: string;
}

const inList = (list: readonly string[] | undefined, v: string): boolean => !list?.length || list.includes(v);

export function matchesFinding(f: Finding, filter: FindingsFilter): boolean {
  const min = filter.severity ? SEVERITIES.indexOf(filter.severity) : 0;
  const text = filter.text?.trim().toLowerCase();
  return (
    inList(filter.policy, f.policyId) &&
    SEVERITIES.indexOf(f.severity) >= min &&
    inList(filter.status, findingStatus(f)) &&
    inList(filter.account, f.accountId) &&
    inList(filter.region, f.region) &&
    inList(filter.resourceType, f.resourceType) &&
    (!filter.frameworkPolicies || filter.frameworkPolicies.has(f.policyId)) &&
    (!text || [f.resourceId, f.policyId, f.title ?? ''].some((s) => s.toLowerCase().includes(text)))
  );
}

export const filterFindings = (findings: readonly Finding[], filter: FindingsFilter): Finding[] => findings.filter((f) => matchesFinding(f, filter));
