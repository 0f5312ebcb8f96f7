/**
 * Shared IAM reading for the user, group, role and policy types: Marker paging, policy documents
 * (URL-decoded JSON strings) and CloudTrail ref helpers.
 */
import type { CloudTrailDetail } from './types.ts';

/** IAM returns policy documents URL-encoded (RFC 3986); a document that is already JSON (some
 *  emulators) is kept as is. */
export function decodePolicyDocument(doc: string): string {
  return doc.trimStart().startsWith('{') ? doc : decodeURIComponent(doc);
}

export interface MarkerPage<T> {
  items?: T[];
  IsTruncated?: boolean;
  Marker?: string;
}

/** Every item of a Marker-paged IAM call. */
export async function allIamPages<T>(fetch: (marker?: string) => Promise<MarkerPage<T>>): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    out.push(...(page.items ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}

/** Inline policy name → decoded document; null when there are none (Panther convention). */
export async function inlinePolicyDocuments(
  listNames: (marker?: string) => Promise<MarkerPage<string>>,
  getDocument: (name: string) => Promise<string | undefined>,
): Promise<Record<string, string> | null> {
  const names = await allIamPages(listNames);
  if (names.length === 0) return null;
  const docs = await Promise.all(names.map(async (name) => [name, decodePolicyDocument((await getDocument(name)) ?? '')] as const));
  return Object.fromEntries(docs);
}

/** `list` when it has entries, else null (assembled collections are null when empty). */
export const orNullList = <T>(list: T[]): T[] | null => (list.length > 0 ? list : null);

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** String request parameters of an event, by name. */
export function requestStrings(d: CloudTrailDetail, ...names: string[]): string[] {
  const req = d.requestParameters ?? {};
  return names.map((n) => req[n]).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** `responseElements[wrapper]` (e.g. `role` of CreateRole) when it is an object. */
export function responseObject(d: CloudTrailDetail, wrapper: string): Obj | null {
  const v = d.responseElements?.[wrapper];
  return isObj(v) ? v : null;
}
