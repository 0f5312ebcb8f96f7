/**
 * bench:console's estate: N resources and ~10 compliance results each (with the alerts their
 * FAILs opened) written straight into the emulator's tables with concurrent BatchWriteItem — a
 * scan would take hours at this size, and the console only reads what scans leave behind.
 * Shapes are the real ones: each resource is a registry type's documented example
 * (docs/resources/examples/) re-addressed to its account, region and name; each result's item and
 * alert come from the compliance domain's own transition rule (planTransition), with the built-in
 * pack's policies for the type (the catalog), padded to ~10 with bench policies where a type has
 * fewer. Deterministic for a given size (a seeded PRNG), so runs compare.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PolicyCatalog } from '../src/compliance/catalog.ts';
import { planTransition } from '../src/compliance/transition.ts';
import { mapLimit } from '../src/core/errors.ts';
import { projectRoot } from '../src/core/paths.ts';
import type { Resource } from '../src/core/resource.ts';
import { scopeKey, SEVERITIES, type PolicyResult, type Severity, type Status } from '../src/core/types.ts';
import { exampleFile } from '../src/local/doc-examples.ts';
import { EXAMPLE_ACCOUNT } from '../src/local/example-estate.ts';
import { REGISTRY } from '../src/resources/index.ts';
import { changeHash } from '../src/store/resource-store.ts';
import { HistoryStore, type VersionRecord } from '../src/store/history-store.ts';
import type { TableNames } from '../src/store/tables.ts';
import { summarize, summaryItem, dayOf, type SummaryItem } from '../src/compliance/daily-summary.ts';
import type { ComplianceItem } from '../src/compliance/model.ts';
import { addDays, DEFAULT_TREND_DAYS, WEEK_DAYS } from '../src/compliance/trend.ts';
import type { LedgerStore } from '../src/store/ledger-store.ts';
import type { SummaryStore } from '../src/store/summary-store.ts';

export interface SeedShape {
  resources: number;
  policiesPerResource: number;
  accounts: readonly string[];
  regions: readonly string[];
  /** Share of results that FAIL (each unsuppressed FAIL has an open alert). */
  failRatio: number;
  errorRatio: number;
  suppressedRatio: number;
}

export const DEFAULT_SHAPE: SeedShape = {
  resources: 100_000,
  policiesPerResource: 10,
  accounts: Array.from({ length: 12 }, (_, i) => `4100000000${String(i).padStart(2, '0')}`),
  regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
  failRatio: 0.12,
  errorRatio: 0.005,
  suppressedRatio: 0.1,
};

/** How common each type is in an estate (weight; types not named: 1). */
const TYPE_WEIGHTS: Record<string, number> = {
  'AWS.EC2.SecurityGroup': 14, 'AWS.EC2.Instance': 12, 'AWS.EC2.Volume': 10, 'AWS.IAM.Role': 10, 'AWS.S3.Bucket': 8,
  'AWS.IAM.Policy': 6, 'AWS.Lambda.Function': 6, 'AWS.CloudWatch.LogGroup': 6, 'AWS.EC2.NetworkACL': 4, 'AWS.IAM.User': 4,
  'AWS.EC2.VPC': 3, 'AWS.DynamoDB.Table': 3, 'AWS.RDS.Instance': 3, 'AWS.KMS.Key': 3,
};

export interface SeedCounts {
  resources: number;
  results: number;
  alerts: number;
  fail: number;
  /** Resource versions written into the history (every resource's first, SAMPLE_VERSIONS more for each sampled one). */
  historyRecords: number;
  /** What the daily summary counts of each result (summaryItem), as a scan's SummarizeScan reads them. */
  summaryItems: SummaryItem[];
  /** Every scope seeded (`account#region#type`). */
  scopes: Set<string>;
  /** Values spread over the estate, for requests to name: resource IDs (up to SAMPLES), every policy ID and type seeded. */
  samples: { resourceIds: string[]; policyIds: string[]; types: string[] };
}

const SAMPLES = 500;

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface TypePlan {
  type: string;
  global: boolean;
  template: string;
  policies: { policyId: string; severity: Severity; title: string | null }[];
}

function typePlans(catalog: PolicyCatalog, perResource: number): TypePlan[] {
  return REGISTRY.map((t) => {
    const own = catalog.policies
      .filter((p) => p.enabled && (p.resourceTypes.length === 0 || p.resourceTypes.includes(t.type)))
      .map((p) => ({ policyId: p.policyId, severity: p.severity, title: p.displayName }));
    const padding = Array.from({ length: Math.max(0, perResource - own.length) }, (_, i) => ({
      policyId: `Bench.${t.type.replaceAll('.', '')}.${i + 1}`,
      severity: SEVERITIES[i % SEVERITIES.length]!,
      title: `${t.type} bench check ${i + 1}`,
    }));
    return {
      type: t.type,
      global: t.scope === 'global',
      template: readFileSync(join(projectRoot, 'docs/resources', exampleFile(t.type)), 'utf8'),
      policies: [...own, ...padding].slice(0, perResource),
    };
  });
}

/** The stored item of a resource, as ResourceStore.put writes it (attributes inline: examples are far below its compression threshold). */
function resourceItem(resource: Resource, ts: string): Record<string, unknown> {
  return {
    resourceId: resource.ResourceId,
    resourceType: resource.ResourceType,
    accountId: resource.AccountId,
    region: resource.Region,
    scope: scopeKey({ accountId: resource.AccountId, region: resource.Region, resourceType: resource.ResourceType }),
    attributesHash: changeHash(resource),
    lastChanged: ts,
    observedAt: ts,
    firstSeen: ts,
    deleted: false,
    attributes: resource,
  };
}

type Put = { table: string; item: Record<string, unknown> };

/** Versions in the history of each sampled resource (the ones requests name), besides its first. */
const SAMPLE_VERSIONS = 20;

/**
 * The history a scan and real-time changes leave: a resource's first version, and for the sampled
 * resources SAMPLE_VERSIONS changes each (a tag, by a pipeline's assumed role), as ResourceStore writes them.
 */
function* historyItems(history: HistoryStore, resource: Resource, ts: string, sampled: boolean): Generator<Put> {
  const base = { kind: 'version' as const, resourceId: resource.ResourceId, resourceType: resource.ResourceType, accountId: resource.AccountId, region: resource.Region, attributesHash: changeHash(resource) };
  const first: VersionRecord = { ...base, observedAt: ts, recordedAt: ts, trigger: 'scheduled', provenance: { window: { from: null, to: ts } }, change: 'created' };
  yield { table: history.table, item: history.putOp(first, { field: 'attributes', value: resource }).Put.Item };
  if (!sampled) return;
  for (let v = 1; v <= SAMPLE_VERSIONS; v++) {
    const at = new Date(Date.parse(ts) + v * 60_000).toISOString();
    const changed = { ...resource, Tags: { ...(resource.Tags ?? {}), 'change-ticket': `CHG-${v}` } } as Resource;
    const actor = {
      eventID: `bench-${v}-${resource.ResourceId}`, eventName: 'CreateTags', eventSource: 'ec2.amazonaws.com', eventTime: at, awsRegion: 'us-east-1', via: 'eventbridge' as const,
      identityType: 'AssumedRole', arn: `arn:aws:sts::${resource.AccountId}:assumed-role/Admin/deploy-pipeline`, principalId: 'AROAEXAMPLE:deploy-pipeline', accountId: resource.AccountId,
      sessionIssuer: `arn:aws:iam::${resource.AccountId}:role/Admin`, invokedBy: null, sourceIPAddress: '203.0.113.7', userAgent: 'aws-cli/2.15.0',
    };
    const version: VersionRecord = {
      ...base, observedAt: at, recordedAt: at, trigger: 'realtime:CreateTags', provenance: { actors: [actor] }, change: 'changed',
      diff: { added: v === 1 ? [{ path: 'Tags.change-ticket', after: '"CHG-1"' }] : [], removed: [], changed: v === 1 ? [] : [{ path: 'Tags.change-ticket', before: `"CHG-${v - 1}"`, after: `"CHG-${v}"` }] },
    };
    yield { table: history.table, item: history.putOp(version, { field: 'attributes', value: changed }).Put.Item };
  }
}

/** The items of resource number `n` (its resource, its history, results, opened alerts). */
function* estateItems(shape: SeedShape, tables: TableNames, plans: TypePlan[], weights: number[], now: Date, counts: SeedCounts, history: HistoryStore): Generator<Put> {
  const total = weights.reduce((a, b) => a + b, 0);
  const rnd = prng(shape.resources * 31 + shape.policiesPerResource);
  for (let n = 0; n < shape.resources; n++) {
    let pick = rnd() * total;
    let plan = plans[0]!;
    for (let i = 0; i < plans.length; i++) {
      pick -= weights[i]!;
      if (pick < 0) {
        plan = plans[i]!;
        break;
      }
    }
    const accountId = shape.accounts[n % shape.accounts.length]!;
    const region = plan.global ? 'global' : shape.regions[Math.floor(n / shape.accounts.length) % shape.regions.length]!;
    const example = JSON.parse(plan.template.replaceAll(EXAMPLE_ACCOUNT, accountId).replaceAll('us-east-1', plan.global ? 'us-east-1' : region)) as Resource;
    const resource = { ...example, ResourceId: `${example.ResourceId}-b${n}`, AccountId: accountId, Region: region, Name: `${String(example.Name ?? plan.type)}-b${n}` } as Resource;
    const ts = new Date(now.getTime() - Math.floor(rnd() * 86_400_000)).toISOString();
    counts.resources++;
    const sampled = n % Math.max(1, Math.floor(shape.resources / SAMPLES)) === 0 && counts.samples.resourceIds.length < SAMPLES;
    if (sampled) counts.samples.resourceIds.push(resource.ResourceId);
    yield { table: tables.Resources, item: resourceItem(resource, ts) };
    for (const h of historyItems(history, resource, ts, sampled)) {
      counts.historyRecords++;
      yield h;
    }
    const ref = { resourceId: resource.ResourceId, resourceType: resource.ResourceType, accountId, region, scope: scopeKey({ accountId, region, resourceType: resource.ResourceType }) };
    counts.scopes.add(ref.scope);
    for (const policy of plan.policies) {
      const roll = rnd();
      const status: Status = roll < shape.errorRatio ? 'ERROR' : roll < shape.errorRatio + shape.failRatio ? 'FAIL' : 'PASS';
      const result: PolicyResult = {
        policyId: policy.policyId, resourceId: resource.ResourceId, resourceType: resource.ResourceType, status,
        errorMessage: status === 'ERROR' ? 'KeyError: Tags' : null, severity: policy.severity, title: policy.title, dedup: null,
        suppressed: status === 'FAIL' && rnd() < shape.suppressedRatio,
      };
      const plan_ = planTransition(undefined, result, { resource: ref, trigger: 'scheduled', now: new Date(ts), observedAt: ts });
      if (plan_.kind !== 'change') throw new Error(`seed: ${policy.policyId} on ${resource.ResourceId}: a first result planned '${plan_.kind}'`);
      counts.results++;
      counts.summaryItems.push(summaryItem(plan_.item as ComplianceItem));
      if (status === 'FAIL') counts.fail++;
      yield { table: tables.Compliance, item: plan_.item as unknown as Record<string, unknown> };
      if (plan_.opened) {
        counts.alerts++;
        yield { table: tables.Alerts, item: plan_.opened as unknown as Record<string, unknown> };
      }
    }
  }
}

const BATCH = 25; // BatchWriteItem's limit

/** Writes the estate with `concurrency` BatchWriteItem calls in flight; retries unprocessed items. */
export async function seedConsoleEstate(doc: DynamoDBDocumentClient, tables: TableNames, catalog: PolicyCatalog, shape: SeedShape, now: Date,
  opts: { concurrency?: number; onProgress?: (counts: SeedCounts) => void } = {}): Promise<SeedCounts> {
  const plans = typePlans(catalog, shape.policiesPerResource);
  const weights = plans.map((p) => TYPE_WEIGHTS[p.type] ?? 1);
  const counts: SeedCounts = {
    resources: 0, results: 0, alerts: 0, fail: 0, historyRecords: 0, summaryItems: [], scopes: new Set(),
    samples: { resourceIds: [], policyIds: [...new Set(plans.flatMap((p) => p.policies.map((x) => x.policyId)))], types: plans.map((p) => p.type) },
  };
  const items = estateItems(shape, tables, plans, weights, now, counts, new HistoryStore(doc, tables.ResourceHistory));
  let lastReport = 0;
  const worker = async () => {
    for (;;) {
      const batch: Put[] = [];
      for (let r = items.next(); !r.done; r = items.next()) {
        batch.push(r.value);
        if (batch.length === BATCH) break;
      }
      if (batch.length === 0) return;
      let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {};
      for (const p of batch) (request[p.table] ??= []).push({ PutRequest: { Item: p.item } });
      for (let attempt = 0; Object.keys(request).length; attempt++) {
        if (attempt > 8) throw new Error(`seed: BatchWriteItem left items unprocessed after ${attempt} attempts`);
        const out = await doc.send(new BatchWriteCommand({ RequestItems: request }));
        request = (out.UnprocessedItems ?? {}) as typeof request;
      }
      if (opts.onProgress && counts.resources - lastReport >= 10_000) {
        lastReport = counts.resources;
        opts.onProgress(counts);
      }
    }
  };
  await mapLimit(Array.from({ length: opts.concurrency ?? 4 }, (_, i) => i), opts.concurrency ?? 4, worker);
  return counts;
}

/**
 * What the scans that left the estate behind would also have left: the ledger entries of the
 * newest scheduled scan (every seeded scope read OK) and the daily summary of each day the
 * overview's trend reads (the window and the week before it), each day's rows summarised from the
 * seeded results by the summary's own rule (summarize) — so the overview reads at scale what it
 * reads in production.
 */
export async function seedScanHistory(stores: { ledger: LedgerStore; summaries: SummaryStore }, shape: SeedShape, counts: SeedCounts, now: Date): Promise<{ ledgerEntries: number; summaryRows: number }> {
  const today = dayOf(now);
  const scanId = `${today}-bench`;
  const at = new Date(now.getTime() - 3_600_000).toISOString();
  await mapLimit([...counts.scopes].sort(), 8, async (scope) => {
    const [accountId, region, resourceType] = scope.split('#') as [string, string, string];
    await stores.ledger.record({ scanId, scope, accountId, region, resourceType, startedAt: at, finishedAt: at, resourceCount: 0, changedCount: 0, deletedCount: 0, outcome: 'OK', message: null, trigger: 'scheduled' });
  });
  const rows = summarize({ day: today, compliance: counts.summaryItems, notEvaluated: [] });
  let written = 0;
  for (let i = 0; i < DEFAULT_TREND_DAYS + WEEK_DAYS; i++) {
    const day = addDays(today, -i);
    written += (await stores.summaries.replaceDay(day, shape.accounts, rows.map((r) => ({ ...r, day })))).written;
  }
  return { ledgerEntries: counts.scopes.size, summaryRows: written };
}
