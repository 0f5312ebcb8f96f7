/**
 * bench:console — the console API at scale (issue #16 item 6): 100,000 resources and 1,000,000
 * compliance results (with their alerts) seeded into the emulator's tables (bench/console-seed.ts),
 * then the console started as `posture console --endpoint` starts it (resolveTarget + startConsole:
 * createConsoleApp with the ports of src/cli/console-ports.ts, over HTTP with the session cookie),
 * and each row of bench/console-requests.ts timed over ≥ 50 requests (p50/p95/max). Findings and
 * resource pages must answer within 300 ms at p95; a route that answers 404 (or the SPA's HTML:
 * not an API route) is `missing` and fails the run, as does a row that could not finish its
 * requests within its time budget. Last line: one JSON object (also bench/results/console.json).
 *
 * Each request's placeholders are filled from the estate, cycling through accounts and resources;
 * one warm-up request per distinct value goes first (reported), because the emulator sorts an
 * index partition on its first read (src/local/moto_server.py, patch 13), which DynamoDB does not.
 * Knobs: BENCH_RESOURCES (100000), BENCH_POLICIES (10), BENCH_REQUESTS (60), BENCH_ROW_BUDGET_S (240),
 * BENCH_REQUEST_TIMEOUT_S (120). The JSON also times the emulator's own answer to the findings
 * page's index read (Query byAccount, FAIL#, Limit 50), so the figure exists before the route does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { parseAccount } from '../src/accounts/account.ts';
import { createClients } from '../src/aws/clients.ts';
import { startConsole } from '../src/cli/commands/console.ts';
import { DEFAULT_CONSOLE_DIR, SESSION_COOKIE } from '../src/cli/console-server.ts';
import { BUILTIN_PACK, readCatalog } from '../src/cli/policy-catalog.ts';
import { resolveTarget } from '../src/cli/target.ts';
import { projectRoot } from '../src/core/paths.ts';
import { bootstrapLocal } from '../src/local/bootstrap.ts';
import { startEmulator } from '../src/local/emulator.ts';
import { EMULATOR_CLIENT_OPTIONS } from '../src/local/emulator-retry.ts';
import { EMULATOR_CREDENTIALS } from '../src/local/runtime.ts';
import { AccountStore } from '../src/store/account-store.ts';
import { documentClient } from '../src/store/dynamo.ts';
import { CONSOLE_REQUESTS, type ConsoleBenchRequest } from './console-requests.ts';
import { DEFAULT_SHAPE, seedConsoleEstate, seedScanHistory, type SeedShape } from './console-seed.ts';
import { LedgerStore } from '../src/store/ledger-store.ts';
import { SummaryStore } from '../src/store/summary-store.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const TARGET_P95_MS = 300;
/** The rows the scale target applies to (the issue names the findings and resource pages; the overview is measured and reported). */
const TARGETED = new Set(['findingsPage', 'resourcePage']);
const MIN_REQUESTS = 50;
const REQUESTS = Math.max(MIN_REQUESTS, Number(process.env.BENCH_REQUESTS ?? 60));
const ROW_BUDGET_MS = Number(process.env.BENCH_ROW_BUDGET_S ?? 240) * 1000;
/** One request longer than this is abandoned (the row is 'timeout'). */
const REQUEST_TIMEOUT_MS = Number(process.env.BENCH_REQUEST_TIMEOUT_S ?? 120) * 1000;
const SHAPE: SeedShape = {
  ...DEFAULT_SHAPE,
  resources: Number(process.env.BENCH_RESOURCES ?? DEFAULT_SHAPE.resources),
  policiesPerResource: Number(process.env.BENCH_POLICIES ?? DEFAULT_SHAPE.policiesPerResource),
};

const log = (msg: string) => process.stderr.write(`bench:console ${msg}\n`);
const rssMb = (pid: number): number => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (ms: number): number => Math.round(ms * 10) / 10;

interface RowResult {
  path: string;
  requests: number;
  p50Ms?: number;
  p95Ms?: number;
  maxMs?: number;
  warmup?: { requests: number; maxMs: number };
  targetMs: number | null;
  status: 'ok' | 'missing' | 'slow' | 'incomplete' | 'timeout' | 'error';
  error?: string;
}

/** The path of request `n` of a row: placeholders filled from the estate, cycling. */
function fill(path: string, n: number, estate: { accounts: readonly string[]; resourceIds: readonly string[]; policyIds: readonly string[]; types: readonly string[] }): string {
  const at = <T>(list: readonly T[]) => list[n % list.length]!;
  return path
    .replaceAll('{account}', encodeURIComponent(at(estate.accounts)))
    .replaceAll('{resourceId}', encodeURIComponent(at(estate.resourceIds)))
    .replaceAll('{policyId}', encodeURIComponent(at(estate.policyIds)))
    .replaceAll('{resourceType}', encodeURIComponent(at(estate.types)));
}

/** Warm-up requests of a row: one per index partition its placeholders name (an account, a
 *  policy, a type), whose first read the emulator sorts; a resource ID is a key read and needs none. */
function distinctValues(path: string, estate: { accounts: readonly string[]; policyIds: readonly string[]; types: readonly string[] }): number {
  const sizes = [
    path.includes('{account}') ? estate.accounts.length : 1,
    path.includes('{policyId}') ? estate.policyIds.length : 1,
    path.includes('{resourceType}') ? estate.types.length : 1,
  ];
  return Math.min(REQUESTS, Math.max(...sizes));
}

async function timeRow(origin: string, cookie: string, row: ConsoleBenchRequest, estate: Parameters<typeof fill>[2]): Promise<RowResult> {
  const targetMs = TARGETED.has(row.name) ? TARGET_P95_MS : null;
  const get = async (n: number): Promise<{ ms: number; missing: boolean }> => {
    const path = fill(row.path, n, estate);
    const t0 = performance.now();
    const res = await fetch(`${origin}${path}`, { headers: { cookie }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = await res.text();
    const ms = performance.now() - t0;
    // An unknown /api path falls through to the SPA (HTML 200) or is a 404: either way, no route.
    const missing = res.status === 404 || !(res.headers.get('content-type') ?? '').includes('application/json');
    if (!missing && res.status !== 200) throw new Error(`${path}: HTTP ${res.status}: ${body.slice(0, 200)}`);
    return { ms, missing };
  };
  const base = { path: row.path, targetMs };
  try {
    const warm = distinctValues(row.path, estate);
    const warmTimes: number[] = [];
    for (let n = 0; n < warm; n++) {
      const r = await get(REQUESTS + n); // resource IDs past the measured ones: those stay unread
      if (r.missing) return { ...base, requests: 0, status: 'missing' };
      warmTimes.push(r.ms);
    }
    const times: number[] = [];
    const started = performance.now();
    for (let n = 0; n < REQUESTS && performance.now() - started < ROW_BUDGET_MS; n++) times.push((await get(n)).ms);
    times.sort((a, b) => a - b);
    const figures = { p50Ms: round(pct(times, 50)), p95Ms: round(pct(times, 95)), maxMs: round(times.at(-1)!) };
    const status = times.length < REQUESTS ? 'incomplete' : targetMs !== null && figures.p95Ms > targetMs ? 'slow' : 'ok';
    return { ...base, requests: times.length, ...figures, warmup: { requests: warm, maxMs: round(Math.max(...warmTimes)) }, status };
  } catch (err) {
    const timeout = err instanceof Error && err.name === 'TimeoutError';
    return { ...base, requests: 0, status: timeout ? 'timeout' : 'error', error: timeout ? `a request took over ${REQUEST_TIMEOUT_MS / 1000} s` : err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The read a filtered findings page makes, straight to the emulator: one account's failing results
 * on Compliance's byAccount index, a page of 50 (the first read of each account warms its
 * partition, as above). What the emulator itself costs, whatever the route adds.
 */
async function timeIndexQuery(ddb: DynamoDBClient, table: string, accounts: readonly string[]): Promise<{ requests: number; p50Ms: number; p95Ms: number; maxMs: number; firstReadMaxMs: number }> {
  const query = (n: number) =>
    ddb.send(new QueryCommand({ TableName: table, IndexName: 'byAccount', Limit: 50, KeyConditionExpression: 'accountId = :a AND begins_with(statusKey, :f)', ExpressionAttributeValues: { ':a': { S: accounts[n % accounts.length]! }, ':f': { S: 'FAIL#' } } }));
  const first: number[] = [];
  for (let n = 0; n < accounts.length; n++) {
    const t0 = performance.now();
    await query(n);
    first.push(performance.now() - t0);
  }
  const times: number[] = [];
  for (let n = 0; n < REQUESTS; n++) {
    const t0 = performance.now();
    const out = await query(n);
    times.push(performance.now() - t0);
    if (!out.Items?.length) throw new Error(`byAccount query of ${accounts[n % accounts.length]} found no FAIL results: the seed is not what the bench reads`);
  }
  times.sort((a, b) => a - b);
  return { requests: times.length, p50Ms: round(pct(times, 50)), p95Ms: round(pct(times, 95)), maxMs: round(times.at(-1)!), firstReadMaxMs: round(Math.max(...first)) };
}

async function main(): Promise<void> {
  if (!existsSync(join(DEFAULT_CONSOLE_DIR, 'index.html'))) {
    log('building the console app (dist/console) that posture console serves');
    execFileSync('npm', ['run', '--silent', 'build:console'], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const emulator = await startEmulator({ timeoutMs: 60_000 });
  try {
    const clients = createClients({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: EMULATOR_CREDENTIALS, ...EMULATOR_CLIENT_OPTIONS });
    const doc = documentClient(clients);
    const infra = await bootstrapLocal(clients, '123456789012');
    const accounts = new AccountStore(doc, infra.tables.Accounts);
    for (const accountId of SHAPE.accounts) await accounts.put(parseAccount({ accountId, name: `bench-${accountId}`, externalId: `bench-${accountId}` }));

    const catalog = readCatalog(BUILTIN_PACK);
    const rssBefore = rssMb(emulator.pid);
    const seedStart = performance.now();
    const counts = await seedConsoleEstate(doc, infra.tables, catalog, SHAPE, new Date(), {
      concurrency: 6,
      onProgress: (c) => log(`seeded ${c.resources} resources, ${c.results} results, ${c.alerts} alerts (${Math.round((performance.now() - seedStart) / 1000)} s, moto ${rssMb(emulator.pid)} MB)`),
    });
    const history = await seedScanHistory({ ledger: new LedgerStore(doc, infra.tables.ScanLedger), summaries: new SummaryStore(doc, infra.tables.DailySummary) }, SHAPE, counts, new Date());
    log(`seeded the newest scan's ${history.ledgerEntries} ledger entries and ${history.summaryRows} daily summary rows`);
    const seedS = Math.round((performance.now() - seedStart) / 100) / 10;
    const rssAfterSeed = rssMb(emulator.pid);
    log(`seeded ${counts.resources} resources, ${counts.results} results, ${counts.alerts} alerts in ${seedS} s; moto RSS ${rssAfterSeed} MB`);
    const indexQuery = await timeIndexQuery(clients.get(DynamoDBClient), infra.tables.Compliance, SHAPE.accounts);
    log(`emulator index query: ${JSON.stringify(indexQuery)}`);

    const target = await resolveTarget({ endpoint: emulator.endpoint, region: 'us-east-1' });
    let signIn = '';
    const server = await startConsole(target, { port: 0, role: 'viewer' }, (line) => (signIn = line.replace(/^Console: /, '')));
    try {
      const res = await fetch(signIn, { redirect: 'manual' });
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      if (!cookie.startsWith(`${SESSION_COOKIE}=`)) throw new Error(`sign-in gave no session cookie (HTTP ${res.status})`);
      const estate = { accounts: SHAPE.accounts, ...counts.samples };
      const rows: Record<string, RowResult> = {};
      // Targeted rows first: a request abandoned at its timeout (the overview at this scale) goes on
      // running in the console behind it and would load the emulator under the rows timed after it.
      const ordered = [...CONSOLE_REQUESTS].sort((a, b) => Number(TARGETED.has(b.name)) - Number(TARGETED.has(a.name)));
      for (const row of ordered) {
        log(`timing ${row.name}: ${row.path}`);
        rows[row.name] = await timeRow(server.url, cookie, row, estate);
        log(`${row.name}: ${JSON.stringify(rows[row.name])}`);
      }
      const missing = Object.entries(rows).filter(([, r]) => r.status === 'missing').map(([n]) => n);
      const result = {
        bench: 'console',
        ok: Object.values(rows).every((r) => r.status === 'ok'),
        targetP95Ms: TARGET_P95_MS,
        missing,
        seeded: { resources: counts.resources, results: counts.results, alerts: counts.alerts, failing: counts.fail, historyRecords: counts.historyRecords, accounts: SHAPE.accounts.length, regions: SHAPE.regions.length, ledgerEntries: history.ledgerEntries, summaryRows: history.summaryRows, seconds: seedS },
        motoRssMb: { beforeSeed: rssBefore, afterSeed: rssAfterSeed, end: rssMb(emulator.pid) },
        emulatorIndexQuery: indexQuery,
        requests: rows,
      };
      await mkdir(join(projectRoot, 'bench/results'), { recursive: true });
      await writeFile(join(projectRoot, 'bench/results/console.json'), `${JSON.stringify(result, null, 2)}\n`);
      console.log(JSON.stringify(result));
      if (!result.ok) process.exitCode = 1;
    } finally {
      await server.close();
    }
  } finally {
    await emulator.stop();
  }
}

await main();
