/**
 * Helpers shared by the RDS-API types of the coverage slice (DB snapshots, cluster snapshots and
 * the Aurora / DocumentDB / Neptune clusters): ARNs and the identifiers a CloudTrail event names.
 */
import { distinct, parseArn } from './trail-fields.ts';
import type { ScanTarget } from './types.ts';

/** `arn:<p>:rds:<region>:<account>:<kind>:<id>` (kind: `snapshot`, `cluster-snapshot`, `cluster`). */
export function rdsArn(target: ScanTarget, kind: string, id: string): string {
  return `arn:${target.partition}:rds:${target.region}:${target.accountId}:${kind}:${id}`;
}

/** The identifier in an RDS ARN of `kind` (`…:<kind>:<id>`), or undefined. */
export function rdsIdOfArn(value: string | undefined, kind: string): string | undefined {
  const arn = parseArn(value);
  if (arn?.service !== 'rds' || !arn.resource.startsWith(`${kind}:`)) return undefined;
  return arn.resource.slice(kind.length + 1) || undefined;
}

/** Distinct identifiers, lowercased as RDS stores them (an ARN given where an identifier is
 *  expected, as RDS accepts for snapshots and clusters, is reduced to its identifier). */
export function rdsIds(kind: string, values: readonly (string | undefined)[]): string[] {
  return distinct(values.map((v) => (rdsIdOfArn(v, kind) ?? (v?.startsWith('arn:') ? undefined : v))?.toLowerCase()));
}
