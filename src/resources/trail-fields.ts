/** Reading resource names out of CloudTrail `requestParameters` / `responseElements`. */
import type { CloudTrailDetail } from './types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The non-empty string at `path` below `root`, or undefined. */
export function pick(root: unknown, ...path: string[]): string | undefined {
  let v: unknown = root;
  for (const key of path) {
    if (!isObj(v)) return undefined;
    v = v[key];
  }
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The non-empty string at `path` in the event's request parameters. */
export const req = (d: CloudTrailDetail, ...path: string[]): string | undefined => pick(d.requestParameters, ...path);

/** The non-empty string at `path` in the event's response elements. */
export const res = (d: CloudTrailDetail, ...path: string[]): string | undefined => pick(d.responseElements, ...path);

/** The distinct defined values, in order. */
export function distinct(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account, e.g. `cluster/name` or `db:name`. */
  resource: string;
}

/** The parts of an ARN, or undefined for anything else. */
export function parseArn(value: string | undefined): ParsedArn | undefined {
  if (!value?.startsWith('arn:')) return undefined;
  const parts = value.split(':');
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}
