/** `posture cost --model`'s text: the organization-scale model of src/scan/scale-model.ts as lines. */
import type { ScaleModel } from '#scan/scale-model.ts';
import type { CostLine } from '#scan/cost.ts';
import { PRICE_ASSUMPTIONS, qty, usdText } from './cost.ts';

const round = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const kib = (bytes: number) => (bytes >= 1024 ** 2 ? `${round(bytes / 1024 ** 2)} MiB` : `${round(bytes / 1024)} KiB`);

function costLines(ls: readonly CostLine[], width: number): string[] {
  return ls.map((l) => `  ${l.item.padEnd(width)}  ${qty(Math.round(l.quantity * 10) / 10).padStart(14)} ${l.unit.padEnd(11)} ${usdText(l.usd).padStart(10)}`);
}

export function renderScaleModel(m: ScaleModel): string[] {
  const p = m.profile;
  const width = Math.max(...m.cost.steadyDay.map((l) => l.item.length));
  const limitValue = (v: number, unit: string) => (unit === 'bytes' ? kib(v) : `${round(v)} ${unit}`);
  return [
    `Organization-scale model: ${qty(m.accounts)} accounts × ${m.regions} regions, ${m.types.regional + m.types.global} resource types (${m.types.regional} regional, ${m.types.global} global)`,
    `Per-scope usage: ${m.profileSource}`,
    `  ${round(p.resourcesPerScope)} resources a scope; ${round(p.secondsPerScope, 3)} s + ${round(p.secondsPerResource, 4)} s a resource of ScanScope time; ${round(p.engineMsPerResource, 2)} engine ms, ${round(p.writeItemsPerChangedResource, 2)} items written a new or changed resource; ${round(p.readsPerScope, 1)} reads a scope + ${round(p.readsPerResource, 2)} a resource; ${round(p.pageSize, 0)} resources a page`,
    `  assumed: ${round(p.changedShare * 100)} % of resources change on a steady day; ${round(p.callLatencyMs, 0)} ms a member API call`,
    'A day:',
    `  scopes             ${qty(m.scopes)} (${qty(m.scopesPerAccount)} an account: ${m.types.regional} regional types × ${m.regions} regions + ${m.types.global} global)`,
    `  resources          ${qty(Math.round(m.resources))}`,
    `  Lambda             ScanScope ${qty(m.lambda.scanScopeInvocations)} invocations, ${qty(Math.round(m.lambda.scanScopeGbSeconds))} GB-s; engine ${qty(m.lambda.engineInvocations)} invocations, ${qty(Math.round(m.lambda.engineGbSeconds))} GB-s; PlanScan 1 invocation, ${round(m.lambda.planScanSeconds)} s`,
    `  Step Functions     ${qty(m.stepFunctions.childExecutions)} child executions (batches of ${qty(Math.ceil(m.stepFunctions.mapItems / Math.max(1, m.stepFunctions.childExecutions)))} scopes), ${m.stepFunctions.invocationsPerBatch} ScanScope invocation(s) a batch, ${qty(m.stepFunctions.transitions)} state transitions`,
    `  DynamoDB writes    first day ${qty(Math.round(m.dynamodb.firstDayWriteItems))} items; steady day ${qty(Math.round(m.dynamodb.steadyDayWriteItems))} (changed resources + one ledger entry a scope)`,
    `  DynamoDB reads     ${qty(Math.round(m.dynamodb.reads))}`,
    `  member API calls   ${qty(Math.round(m.memberApiCalls))}`,
    `  duration           ${round(m.duration.hours)} h at MaxConcurrency ${m.duration.concurrency} (${round(m.duration.scopeSeconds, 2)} s a scope, ${round(m.duration.batchSeconds)} s a batch)`,
    'Step Functions and Lambda limits:',
    ...m.limits.map((l) => `  ${l.ok ? 'ok  ' : 'OVER'} ${l.what}: ${limitValue(l.value, l.unit)} of ${limitValue(l.limit, l.unit)}`),
    "Member API rates in one account's home region (busiest scope × batches at once; ceiling: all describes in flight):",
    ...m.apiRates.map(
      (r) =>
        `  ${r.service.padEnd(20)} ${qty(Math.round(r.callsPerAccountRegion)).padStart(7)} calls/day  ${round(r.perSecond).padStart(6)}/s  ceiling ${round(r.ceilingPerSecond).padStart(5)}/s  ${
          r.limit ? `limit ${r.limit.perSecond}/s: ${r.status === 'ok' ? 'ok' : r.status === 'burst' ? 'bursts over it (adaptive retry backs off)' : 'throttled: adaptive retry slows the scope to it'}` : 'no published limit'
        }`,
    ),
    'Cost, steady day:',
    ...costLines(m.cost.steadyDay, width),
    `  ${'per day'.padEnd(width)}  ${''.padStart(26)} ${usdText(m.cost.steadyDayUsd).padStart(10)}`,
    `  ${'per 30 days'.padEnd(width)}  ${''.padStart(26)} ${usdText(m.cost.per30DaysUsd).padStart(10)}`,
    `  ${'first day'.padEnd(width)}  ${''.padStart(26)} ${usdText(m.cost.firstDayUsd).padStart(10)} (every resource and result written)`,
    'Prices assumed (USD, us-east-1 on-demand list prices; check yours):',
    ...PRICE_ASSUMPTIONS.map((p) => `  ${p.label}: $${p.usd} per ${p.per.toLocaleString('en-US')}`),
    'Limits: docs/scale.md and src/scan/aws-limits.ts (with their sources).',
  ];
}
