/**
 * A resource's compliance as one word, from its stored (resource, policy) verdicts: what the
 * console's Cloud Resources filter and column show. Failing wins (an unsuppressed FAIL: a
 * suppressed one is an accepted risk, as in the findings and the overview), then error (a policy
 * could not decide), then passing; a resource no policy applies to has none. In #core because the
 * console's contract (bundled by the SPA) names the same words.
 */
import type { Status } from './types.ts';

export const RESOURCE_COMPLIANCE = ['passing', 'failing', 'error', 'none'] as const;
export type ResourceCompliance = (typeof RESOURCE_COMPLIANCE)[number];

export interface ResourceComplianceSummary {
  compliance: ResourceCompliance;
  pass: number;
  /** Unsuppressed failing verdicts. */
  fail: number;
  error: number;
  suppressed: number;
}

export function resourceCompliance(items: Iterable<{ status: Status; suppressed: boolean }>): ResourceComplianceSummary {
  const s = { pass: 0, fail: 0, error: 0, suppressed: 0 };
  for (const i of items) {
    if (i.status === 'PASS') s.pass++;
    else if (i.status === 'ERROR') s.error++;
    else if (i.suppressed) s.suppressed++;
    else s.fail++;
  }
  const compliance: ResourceCompliance = s.fail ? 'failing' : s.error ? 'error' : s.pass || s.suppressed ? 'passing' : 'none';
  return { compliance, ...s };
}
