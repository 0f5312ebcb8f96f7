/**
 * Helpers shared by the EC2-family types (AMI, Instance, NetworkACL, Volume, VPC) and their
 * neighbours: ARNs, top-level AWS fields, NextToken paging, and the resource
 * IDs a CloudTrail event names.
 */
import type { StaticStructureSchema } from '@smithy/types';
import { shape, tagMap } from './shape.ts';
import type { CloudTrailDetail, ScanTarget } from './types.ts';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

type Tags = readonly { Key?: string; Value?: string }[] | undefined | null;

/** `arn:<partition>:ec2:<region>:<account>:<kind>/<id>`. */
export function ec2Arn(target: ScanTarget, account: string, kind: string, id: string): string {
  return `arn:${target.partition}:ec2:${target.region}:${account}:${kind}/${id}`;
}

/** Every modeled member of an AWS shape (null when unset), for spreading at the top level of a
 *  resource. `Tags` is left out: the common `Tags` key carries them as a map. */
export function awsFields(schema: StaticStructureSchema, value: object): Obj {
  const out = shape(schema, value) as Obj;
  delete out.Tags;
  return out;
}

/** A nested AWS object (a VPC's route table, a volume's snapshot) with its `Tags` as a map or
 *  null, as Panther models nested EC2 objects. */
export function withTagMap(schema: StaticStructureSchema, value: { Tags?: Tags }): Obj {
  const out = shape(schema, value) as Obj;
  out.Tags = tagMap(value.Tags);
  return out;
}

/** Items sorted by a string key, so that assembled collections hash the same on every scan. */
export function sortedBy<T>(items: readonly T[], key: (t: T) => string | undefined): T[] {
  return [...items].sort((a, b) => (key(a) ?? '').localeCompare(key(b) ?? ''));
}

/** Every item of a NextToken-paged call (stops if an endpoint repeats its token). */
export async function allPages<T>(fetch: (token?: string) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(page.items ?? []));
    token = page.next && page.next !== token ? page.next : undefined;
  } while (token);
  return out;
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/**
 * The resource IDs with `prefix` (e.g. `i-`) that an event names under one of `keys`
 * (case-insensitive), anywhere in requestParameters and responseElements. This covers the ways
 * CloudTrail renders EC2 calls: flat (`{instanceId}`), as item lists
 * (`instancesSet.items[].instanceId`, `resourcesSet.items[].resourceId`), wrapped in a
 * `<Action>Request` object with PascalCase members (`ModifyInstanceMetadataOptionsRequest.InstanceId`)
 * and as `{content, tag}` pairs (`CreateFlowLogsRequest.ResourceId`).
 */
export function idsIn(d: CloudTrailDetail, keys: readonly string[], prefix: string): string[] {
  const wanted = new Set(keys.map((k) => k.toLowerCase()));
  const pattern = new RegExp(`^${prefix.replace(/[-.]/g, '\\$&')}[0-9a-f]{8,17}$`);
  const found = new Set<string>();
  const visit = (v: unknown, keyed: boolean, depth: number): void => {
    if (depth > 10 || v === null || v === undefined) return;
    if (typeof v === 'string') {
      if (keyed && pattern.test(v)) found.add(v);
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x, keyed, depth + 1);
    } else if (isObj(v)) {
      for (const [k, x] of Object.entries(v)) {
        visit(x, wanted.has(k.toLowerCase()) || (keyed && (k === 'content' || k === 'items')), depth + 1);
      }
    }
  };
  visit(d.requestParameters, false, 0);
  visit(d.responseElements, false, 0);
  return [...found].sort();
}
