/**
 * The change digest (`posture changes`): an estate's history records of a window, grouped by
 * resource — its versions (what changed, in a line), the actors behind them (each caller once,
 * with its calls, source IPs and times) or the scan windows in which a scan found the change, and
 * the verdicts the changes moved (the alerts they opened or resolved). Pure: the CLI reads the
 * records (src/store/history-store.ts, the byAccount feed) and renders what this returns.
 */
import type { FindingRecord, HistoryRecord, StructuralDiff, VersionChange, VersionRecord } from '#core/history.ts';
import { actorName, type Actor } from '#core/provenance.ts';

/** Paths named in a version's summary line; the rest are counted. */
export const SUMMARY_PATHS = 3;

export interface DigestVersion {
  observedAt: string;
  change: VersionChange;
  trigger: string;
  /** "3 paths: + IpPermissions[1], ~ Description, - Tags.Env" (changed), else the change itself. */
  summary: string;
}

/** One caller across a resource's records: each event once. */
export interface DigestActor {
  name: string;
  eventNames: string[];
  sourceIPs: string[];
  /** eventTime of each of its events, oldest first. */
  times: string[];
}

export interface DigestFinding {
  observedAt: string;
  policyId: string;
  severity: FindingRecord['severity'];
  title: string | null;
  fromStatus: FindingRecord['fromStatus'];
  toStatus: FindingRecord['toStatus'];
  alert?: 'opened' | 'resolved';
}

export interface ResourceChanges {
  resourceId: string;
  resourceType: string;
  accountId: string;
  region: string;
  /** Oldest first; empty when only verdicts moved (a policy upload or an exception re-evaluated it). */
  versions: DigestVersion[];
  actors: DigestActor[];
  /** Events beyond those a record kept (Provenance.moreActors), summed over its versions. */
  moreActors: number;
  /** The windows of the changes only a scan found: after `from` (null: first seen), by `to`. */
  scanWindows: { from: string | null; to: string }[];
  findings: DigestFinding[];
}

export interface ChangeDigest {
  resources: ResourceChanges[];
  totals: { resources: number; versions: number; findingsOpened: number; findingsResolved: number; actors: number };
}

export interface DigestFilter {
  /** Only these resource types (empty or absent: all). */
  types?: readonly string[];
}

const sign = { added: '+', removed: '-', changed: '~' } as const;

/** A diff in one line: how many paths, and the first few with + (added), - (removed), ~ (changed). */
export function diffSummary(diff: StructuralDiff | undefined): string {
  if (!diff) return 'no diff recorded';
  const entries = (['changed', 'added', 'removed'] as const).flatMap((k) => diff[k].map((e) => `${sign[k]} ${e.path}`));
  const total = entries.length + (diff.more ?? 0);
  if (total === 0) return 'no attribute changed';
  const shown = entries.slice(0, SUMMARY_PATHS).join(', ');
  const rest = total - Math.min(entries.length, SUMMARY_PATHS);
  return `${total} path${total === 1 ? '' : 's'}: ${shown}${rest ? `, and ${rest} more` : ''}`;
}

function versionLine(v: VersionRecord): DigestVersion {
  const summary = v.change === 'changed' || (v.change === 'recreated' && v.diff) ? diffSummary(v.diff) : v.change;
  return { observedAt: v.observedAt, change: v.change, trigger: v.trigger, summary };
}

const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** Each caller once (by actorName), each event once (by eventID), in order of first event. */
function actorsOf(records: readonly HistoryRecord[]): DigestActor[] {
  const events = new Map<string, Actor>();
  for (const r of records) for (const a of r.provenance?.actors ?? []) if (!events.has(a.eventID)) events.set(a.eventID, a);
  const ordered = [...events.values()].sort((a, b) => a.eventTime.localeCompare(b.eventTime) || a.eventID.localeCompare(b.eventID));
  const byName = new Map<string, Actor[]>();
  for (const a of ordered) byName.set(actorName(a), [...(byName.get(actorName(a)) ?? []), a]);
  return [...byName].map(([name, list]) => ({
    name,
    eventNames: sortedUnique(list.map((a) => a.eventName)),
    sourceIPs: sortedUnique(list.flatMap((a) => (a.sourceIPAddress ? [a.sourceIPAddress] : []))),
    times: list.map((a) => a.eventTime),
  }));
}

const byTime = (a: { observedAt: string }, b: { observedAt: string }): number => a.observedAt.localeCompare(b.observedAt);

/** The digest of `records` (any order, any accounts): one entry per resource, resources by account, type, ID. */
export function changeDigest(records: readonly HistoryRecord[], filter: DigestFilter = {}): ChangeDigest {
  const types = filter.types?.length ? new Set(filter.types) : undefined;
  const groups = new Map<string, HistoryRecord[]>();
  for (const r of records) {
    if (types && !types.has(r.resourceType)) continue;
    groups.set(r.resourceId, [...(groups.get(r.resourceId) ?? []), r]);
  }
  const resources: ResourceChanges[] = [...groups.values()].map((list) => {
    const sorted = [...list].sort(byTime);
    const newest = sorted.at(-1)!;
    const versions = sorted.filter((r): r is VersionRecord => r.kind === 'version');
    const findings = sorted.filter((r): r is FindingRecord => r.kind === 'finding');
    const windows = versions.flatMap((v) => (v.provenance?.actors?.length || !v.provenance?.window ? [] : [v.provenance.window]));
    return {
      resourceId: newest.resourceId,
      resourceType: newest.resourceType,
      accountId: newest.accountId,
      region: newest.region,
      versions: versions.map(versionLine),
      actors: actorsOf(sorted),
      moreActors: versions.reduce((n, v) => n + (v.provenance?.moreActors ?? 0), 0),
      scanWindows: windows,
      findings: findings.map((f) => ({
        observedAt: f.observedAt,
        policyId: f.policyId,
        severity: f.severity,
        title: f.title,
        fromStatus: f.fromStatus,
        toStatus: f.toStatus,
        ...(f.alert ? { alert: f.alert } : {}),
      })),
    };
  });
  resources.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.resourceType.localeCompare(b.resourceType) || a.resourceId.localeCompare(b.resourceId));
  const findings = resources.flatMap((r) => r.findings);
  return {
    resources,
    totals: {
      resources: resources.length,
      versions: resources.reduce((n, r) => n + r.versions.length, 0),
      findingsOpened: findings.filter((f) => f.alert === 'opened').length,
      findingsResolved: findings.filter((f) => f.alert === 'resolved').length,
      actors: new Set(resources.flatMap((r) => r.actors.map((a) => a.name))).size,
    },
  };
}
