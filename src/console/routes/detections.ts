/**
 * The Detections area (/api/policies…): the active pack's policies with their stored verdict
 * counts, one policy's spec and source, and the editor's actions on a draft — run its tests,
 * evaluate it on stored resources, preview the impact of publishing it and publish (a second
 * request carrying the preview's bundle hashes). Reading is `read`; everything that runs a draft's
 * code or publishes is `managePolicies`, and a publish is audited.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { catalogIndex, requirementsOf } from '#compliance/catalog.ts';
import { mapLimit } from '#core/errors.ts';
import { policyTemplate } from '#publish/policy-template.ts';
import {
  impactPreviewSchema,
  liveTestRequestSchema,
  liveTestResultsSchema,
  policyDetailSchema,
  policyDraftSchema,
  policyListSchema,
  publishRequestSchema,
  publishResultSchema,
  testResultsSchema,
} from '../contract/detections.ts';
import { DraftError, StalePreviewError } from '../policy-engine.ts';
import { allow, audited, ERROR_RESPONSES, type ConsoleApp } from '../route-kit.ts';

const COUNT_CONCURRENCY = 8;
const json = <S extends z.ZodType>(schema: S, description: string) => ({ 200: { description, content: { 'application/json': { schema } } }, ...ERROR_RESPONSES });
const body = <S extends z.ZodType>(schema: S) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const NOT_FOUND = { 404: { description: 'No such policy in the active pack', content: { 'application/json': { schema: z.object({ error: z.string() }) } } } };
const CONFLICT = { 409: { description: 'The active pack moved since the preview', content: { 'application/json': { schema: z.object({ error: z.string() }) } } } };

/** A draft the engine refuses is the caller's 400; a moved preview is a 409. */
const engineError = (err: unknown): never => {
  if (err instanceof DraftError) throw new HTTPException(400, { message: `draft: ${err.message}` });
  if (err instanceof StalePreviewError) throw new HTTPException(409, { message: `${err.message}; preview again` });
  throw err;
};

const policyIdParam = z.object({ policyId: z.string().min(1).max(256) });

const listRoute = createRoute({ method: 'get', path: '/policies', summary: "The active pack's policies: enabled, severity, types, frameworks, stored passing/failing counts", responses: json(policyListSchema, 'The policies') });
const templateRoute = createRoute({
  method: 'get',
  path: '/policies/template',
  summary: 'A new policy from the template, for one resource type',
  request: { query: z.object({ resourceType: z.string().regex(/^AWS\.[A-Za-z0-9]+(\.[A-Za-z0-9]+)+$/, 'must be a resource type like AWS.S3.Bucket') }) },
  responses: json(policyDraftSchema, 'The draft'),
});
const detailRoute = createRoute({ method: 'get', path: '/policies/{policyId}', summary: "One policy of the active pack: its spec's fields and Python source", request: { params: policyIdParam }, responses: { ...json(policyDetailSchema, 'The policy'), ...NOT_FOUND } });
const testRoute = createRoute({ method: 'post', path: '/policies/test', summary: "Run a draft's unit tests in the engine (posture test)", request: body(z.object({ draft: policyDraftSchema })), responses: json(testResultsSchema, 'PAT-style results') });
const liveRoute = createRoute({ method: 'post', path: '/policies/evaluate', summary: 'Evaluate a draft on one page of stored resources of one of its types', request: body(liveTestRequestSchema), responses: json(liveTestResultsSchema, 'Per-resource verdicts') });
const previewRoute = createRoute({ method: 'post', path: '/policies/preview', summary: 'What publishing the draft changes on the stored findings (posture upload --dry-run)', request: body(z.object({ draft: policyDraftSchema })), responses: json(impactPreviewSchema, 'The impact') });
const publishRoute = createRoute({ method: 'post', path: '/policies/publish', summary: "Publish the draft into the active pack, only if the bundles are still the preview's", request: body(publishRequestSchema), responses: { ...json(publishResultSchema, 'Published'), ...CONFLICT } });

export function registerDetections(app: ConsoleApp): void {
  app.openapi(listRoute, async (c) => {
    allow(c, 'read');
    const ports = c.get('ports');
    const catalog = await ports.catalog();
    const policies = await mapLimit(catalog.policies, COUNT_CONCURRENCY, async (p) => ({
      policyId: p.policyId,
      displayName: p.displayName,
      enabled: p.enabled,
      severity: p.severity,
      resourceTypes: p.resourceTypes,
      ...(await ports.compliance.countsForPolicy(p.policyId)),
      frameworks: [...new Set(requirementsOf(p).map((r) => r.frameworkId ?? r.framework))],
    }));
    return c.json({ source: catalog.source, policies }, 200);
  });

  app.openapi(templateRoute, (c) => {
    allow(c, 'read');
    return c.json(policyDraftSchema.parse(policyTemplate(c.req.valid('query').resourceType)), 200);
  });

  app.openapi(detailRoute, async (c) => {
    allow(c, 'read');
    const { policyId } = c.req.valid('param');
    const ports = c.get('ports');
    if (!catalogIndex(await ports.catalog()).has(policyId)) return c.json({ error: `no policy ${policyId} in the active pack` }, 404);
    const draft = await c.get('ports').policyEngine.policy(policyId);
    if (!draft) return c.json({ error: `no policy ${policyId} in the active pack` }, 404);
    return c.json({ policyId, ...draft, ...(await ports.compliance.countsForPolicy(policyId)) }, 200);
  });

  app.openapi(testRoute, async (c) => {
    allow(c, 'managePolicies');
    const { draft } = c.req.valid('json');
    return c.json(await c.get('ports').policyEngine.runTests(draft).catch(engineError), 200);
  });

  app.openapi(liveRoute, async (c) => {
    allow(c, 'managePolicies');
    const { draft, resourceType, limit, cursor } = c.req.valid('json');
    const ports = c.get('ports');
    const types = Array.isArray(draft.spec.ResourceTypes) ? (draft.spec.ResourceTypes as unknown[]).map(String) : [];
    const type = resourceType ?? types[0];
    if (!type) throw new HTTPException(400, { message: 'resourceType: is required for a policy of every type' });
    if (types.length && !types.includes(type)) throw new HTTPException(400, { message: `resourceType: ${type} is not one of the draft's ResourceTypes` });
    const page = await ports.resources.idPage({ index: 'byType', key: type }, { limit, ...(cursor ? { after: afterOf(cursor, type) } : {}) });
    const stored = [...(await ports.resources.getMany(page.ids)).values()];
    const evaluated = stored.length ? await c.get('ports').policyEngine.evaluate(draft, stored).catch(engineError) : [];
    const where = new Map(stored.map((r) => [r.ResourceId, r]));
    const results = evaluated.map((r) => ({
      resourceId: r.resourceId,
      accountId: where.get(r.resourceId)?.AccountId ?? '',
      region: where.get(r.resourceId)?.Region ?? '',
      status: r.status,
      title: r.title,
      errorMessage: r.errorMessage,
      suppressed: r.suppressed,
    }));
    return c.json({ resourceType: type, results, ...(page.next ? { next: cursorOf(type, page.next) } : {}) }, 200);
  });

  app.openapi(previewRoute, async (c) => {
    allow(c, 'managePolicies');
    const { draft } = c.req.valid('json');
    return c.json(await c.get('ports').policyEngine.preview(draft).catch(engineError), 200);
  });

  app.openapi(publishRoute, async (c) => {
    allow(c, 'managePolicies');
    const { draft, confirm } = c.req.valid('json');
    const result = await c.get('ports').policyEngine.publish(draft, confirm).catch(engineError);
    audited(c, draft.spec.PolicyID, `published bundle ${result.contentHash.slice(0, 12)} (was ${confirm.fromHash.slice(0, 12)}): ${result.written.changed} compliance changes, ${result.written.alertsOpened} alerts opened, ${result.written.alertsResolved} resolved`);
    return c.json(result, 200);
  });
}

/** The live test's page cursor: the type it pages and the last resource ID read (ResourceStore.idPage's `after`). */
function cursorOf(resourceType: string, after: string): string {
  return Buffer.from(JSON.stringify({ resourceType, after })).toString('base64url');
}

/** The `after` of a cursor this route issued for `resourceType`; anything else is a 400 naming it. */
function afterOf(cursor: string, resourceType: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const c = parsed as { resourceType?: unknown; after?: unknown } | undefined;
  if (!c || typeof c !== 'object' || c.resourceType !== resourceType || typeof c.after !== 'string') {
    throw new HTTPException(400, { message: `cursor: '${cursor.slice(0, 40)}' is not a cursor of ${resourceType}` });
  }
  return c.after;
}
