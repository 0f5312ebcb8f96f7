/**
 * Cloud Accounts: GET /api/accounts (read); the Connect-an-account wizard's POST
 * /api/accounts/setup, /api/accounts/verify and POST /api/accounts (manageAccounts; set-up and
 * creation are audited — never the ExternalId); GET /api/accounts/scans/{runId}: a baseline
 * scan's state and what the ledger holds of it so far (read).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { collectFindings } from '#compliance/findings.ts';
import { summarizeScan } from '#compliance/scan-summary.ts';
import { accountRow, candidateAccount, listAccounts, memberSetup } from '../accounts.ts';
import {
  accountListSchema,
  createdSchema,
  FAILING_LISTED,
  newAccountSchema,
  scanProgressSchema,
  setupRequestSchema,
  setupSchema,
  verifySchema,
} from '../contract/accounts.ts';
import { allow, audited, ERROR_RESPONSES, type ConsoleApp } from '../route-kit.ts';

const json = <S extends z.ZodType>(schema: S, description: string) => ({ 200: { description, content: { 'application/json': { schema } } }, ...ERROR_RESPONSES });
const body = <S extends z.ZodType>(schema: S) => ({ body: { content: { 'application/json': { schema } }, required: true } });

/** The domain's one-line validation error as a 400. */
function invalid<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new HTTPException(400, { message: err instanceof Error ? err.message : String(err) });
  }
}

const list = createRoute({ method: 'get', path: '/accounts', summary: 'Onboarded accounts: last scan, scopes not evaluated, real-time canaries', responses: json(accountListSchema, 'The accounts') });
const setup = createRoute({
  method: 'post',
  path: '/accounts/setup',
  summary: "The wizard's role set-up: an ExternalId, the member templates with the parameters filled, the quick-create link, a manual role's permissions",
  request: body(setupRequestSchema),
  responses: json(setupSchema, 'The set-up'),
});
const verify = createRoute({
  method: 'post',
  path: '/accounts/verify',
  summary: 'The checks of posture accounts verify, for the account the wizard describes (nothing is stored)',
  request: body(newAccountSchema),
  responses: json(verifySchema, 'Each check'),
});
const create = createRoute({
  method: 'post',
  path: '/accounts',
  summary: 'Onboards the account and starts its baseline scan',
  request: body(newAccountSchema),
  responses: json(createdSchema, 'The account and its baseline scan run'),
});
const progress = createRoute({
  method: 'get',
  path: '/accounts/scans/{runId}',
  summary: "A baseline scan's state and the ledger entries recorded so far",
  request: { params: z.object({ runId: z.string().min(1) }) },
  responses: json(scanProgressSchema, 'The run'),
});

export function registerAccounts(app: ConsoleApp): void {
  app.openapi(list, async (c) => {
    allow(c, 'read');
    return c.json({ accounts: await listAccounts(c.get('ports')) }, 200);
  });

  app.openapi(setup, async (c) => {
    allow(c, 'manageAccounts');
    const input = c.req.valid('json');
    const ports = c.get('ports');
    invalid(() => candidateAccount({ ...input, externalId: input.externalId ?? 'validation-only' }));
    const s = await memberSetup(ports, ports.onboarding, input);
    audited(c, input.accountId, `member template published for ${input.name} (${input.accountId})`);
    return c.json(s, 200);
  });

  app.openapi(verify, async (c) => {
    allow(c, 'manageAccounts');
    const account = invalid(() => candidateAccount(c.req.valid('json')));
    const checks = await c.get('ports').onboarding.verify(account);
    return c.json({ ok: !checks.some((x) => x.status === 'fail'), checks }, 200);
  });

  app.openapi(create, async (c) => {
    allow(c, 'manageAccounts');
    const ports = c.get('ports');
    const account = invalid(() => candidateAccount(c.req.valid('json')));
    if (await ports.accounts.get(account.accountId)) throw new HTTPException(409, { message: `account ${account.accountId}: already onboarded` });
    await ports.accounts.put(account);
    const run = await ports.onboarding.startScan(account.accountId);
    const ex = [account.excludeRegions.length && `${account.excludeRegions.length} region(s)`, account.excludeTypes.length && `${account.excludeTypes.length} type(s)`, account.excludeResources.length && `${account.excludeResources.length} resource pattern(s)`].filter(Boolean);
    audited(c, account.accountId, `onboarded ${account.name} (${account.accountId})${ex.length ? `, excluding ${ex.join(', ')}` : ''}; baseline scan ${run.runId}`);
    return c.json({ account: await accountRow(ports, account), run }, 200);
  });

  app.openapi(progress, async (c) => {
    allow(c, 'read');
    const ports = c.get('ports');
    const run = await ports.onboarding.scanRun(c.req.valid('param').runId);
    if (!run) throw new HTTPException(404, { message: `scan run ${c.req.valid('param').runId}: not found` });
    const entries = run.scanId ? await ports.ledger.forScanOf(run.scanId, run.accountId) : [];
    let findings = null;
    if (run.state === 'SUCCEEDED') {
      const all = (await collectFindings(ports, [run.accountId])).filter((f) => !f.suppressed);
      const failing = all.filter((f) => f.status === 'FAIL');
      findings = { pass: all.filter((f) => f.status === 'PASS').length, fail: failing.length, failing: failing.slice(0, FAILING_LISTED).map((f) => ({ policyId: f.policyId, resourceId: f.resourceId, severity: f.severity })) };
    }
    return c.json({ run, recorded: run.scanId && entries.length ? summarizeScan(run.scanId, entries) : null, findings }, 200);
  });
}
