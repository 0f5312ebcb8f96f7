/**
 * A stored resource as a policy unit test: the Panther `Tests:` list entry (Name, ExpectedResult,
 * Resource) with the policy's current verdict as the expectation, in the YAML a spec holds and
 * `posture test` runs. Shared by `posture resources get --as-test` and the console's "Copy as unit test".
 */
import { stringify } from 'yaml';
import type { Resource } from '#core/resource.ts';
import type { ComplianceItem } from './model.ts';

/** The expectation a verdict gives a test: a PASS is true, a FAIL (suppressed or not) false; an ERROR has none. */
export function expectedResult(item: Pick<ComplianceItem, 'status'>): boolean | null {
  return item.status === 'ERROR' ? null : item.status === 'PASS';
}

/** A one-entry YAML list, ready to paste under `Tests:` (indent it to the spec's list level). */
export function unitTestYaml(name: string, expected: boolean, resource: Resource): string {
  return stringify([{ Name: name, ExpectedResult: expected, Resource: resource }], { lineWidth: 0, aliasDuplicateObjects: false });
}
