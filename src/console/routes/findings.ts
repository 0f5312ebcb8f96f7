/**
 * The Findings area's routes: the filtered, paginated list and its facets, one finding's detail,
 * the export of the filtered view (a download), and the exceptions (list; add and remove with the
 * manageExceptions permission, audited, applied to the stored compliance at once).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { ExceptionError, isActive, type PolicyException } from '#compliance/exceptions.ts';
import { FINDING_STATUSES, SEVERITIES } from '#core/types.ts';
import { addExceptions, removeException } from '#publish/exception-change.ts';
import { allow, audited, ERROR_RESPONSES, type ConsoleApp } from '../route-kit.ts';
import {
  addedExceptionsSchema,
  addExceptionsSchema,
  exceptionsListSchema,
  findingDetailSchema,
  findingKeySchema,
  findingsExportQuerySchema,
  findingsFacetsSchema,
  findingsPageSchema,
  findingsQuerySchema,
  removedExceptionSchema,
} from '../contract/findings.ts';
import { exportFindings, findingDetail, findingsFacets, findingsPage } from '../findings.ts';

const json = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { 'application/json': { schema } } });
const NOT_FOUND = { 404: json('No such item', z.object({ error: z.string() })) };

const listRoute = createRoute({
  method: 'get',
  path: '/findings',
  summary: 'One page of findings matching the filters, read through the Compliance indexes',
  request: { query: findingsQuerySchema },
  responses: { 200: json('A page of findings', findingsPageSchema), ...ERROR_RESPONSES },
});

const facetsRoute = createRoute({
  method: 'get',
  path: '/findings/facets',
  summary: 'The values the findings filters offer',
  responses: { 200: json('Accounts, policies, frameworks, severities, statuses', findingsFacetsSchema), ...ERROR_RESPONSES },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/findings/detail',
  summary: 'One finding: its resource, texts, last verification and history of transitions',
  request: { query: findingKeySchema },
  responses: { 200: json('The finding', findingDetailSchema), ...NOT_FOUND, ...ERROR_RESPONSES },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/findings/export',
  summary: 'The filtered findings as a CSV, ASFF (JSON) or OCSF (JSON lines) download',
  request: { query: findingsExportQuerySchema },
  responses: { 200: { description: 'The export (X-Posture-Truncated: true when capped)', content: { 'text/csv': { schema: z.string() }, 'application/json': { schema: z.string() }, 'application/x-ndjson': { schema: z.string() } } }, ...ERROR_RESPONSES },
});

const listExceptionsRoute = createRoute({
  method: 'get',
  path: '/exceptions',
  summary: 'Every exception (accepted risk), expired ones marked',
  responses: { 200: json('The exceptions', exceptionsListSchema), ...ERROR_RESPONSES },
});

const addExceptionsRoute = createRoute({
  method: 'post',
  path: '/exceptions',
  summary: 'Add one or more exceptions; the failing findings they cover are suppressed at once',
  request: { body: { content: { 'application/json': { schema: addExceptionsSchema } } } },
  responses: { 200: json('The exceptions added', addedExceptionsSchema), ...ERROR_RESPONSES },
});

const removeExceptionRoute = createRoute({
  method: 'delete',
  path: '/exceptions/{exceptionId}',
  summary: 'Remove an exception; the findings it suppressed alert again at once',
  request: { params: z.object({ exceptionId: z.string().min(1) }) },
  responses: { 200: json('Removed', removedExceptionSchema), ...NOT_FOUND, ...ERROR_RESPONSES },
});

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', asff: 'application/json', ocsf: 'application/x-ndjson' } as const;
const EXTENSIONS = { csv: 'csv', asff: 'asff.json', ocsf: 'ocsf.jsonl' } as const;

const row = (e: PolicyException, now: Date) => ({ ...e, active: isActive(e, now) });

export function registerFindings(app: ConsoleApp): void {
  app.openapi(listRoute, async (c) => {
    allow(c, 'read');
    const { limit, cursor, ...filter } = c.req.valid('query');
    return c.json(await findingsPage(c.get('ports'), filter, limit, cursor), 200);
  });

  app.openapi(facetsRoute, async (c) => {
    allow(c, 'read');
    return c.json({ ...(await findingsFacets(c.get('ports'))), severities: [...SEVERITIES], statuses: [...FINDING_STATUSES] }, 200);
  });

  app.openapi(detailRoute, async (c) => {
    allow(c, 'read');
    const { resourceId, policyId } = c.req.valid('query');
    const detail = await findingDetail(c.get('ports'), resourceId, policyId);
    if (!detail) return c.json({ error: `no finding of ${policyId} on ${resourceId}` }, 404);
    return c.json(detail, 200);
  });

  app.openapi(exportRoute, async (c) => {
    allow(c, 'read');
    const { format, ...filter } = c.req.valid('query');
    const out = await exportFindings(c.get('ports'), filter, format);
    const day = c.get('ports').clock.now().toISOString().slice(0, 10);
    return c.body(out.body, 200, {
      'Content-Type': CONTENT_TYPES[format],
      'Content-Disposition': `attachment; filename="posture-findings-${day}.${EXTENSIONS[format]}"`,
      'X-Posture-Rows': String(out.rows),
      'X-Posture-Truncated': String(out.truncated),
    });
  });

  // The Exceptions table is read whole by design: a few accepted risks (see src/store/tables.ts).
  app.openapi(listExceptionsRoute, async (c) => {
    allow(c, 'read');
    const ports = c.get('ports');
    const now = ports.clock.now();
    return c.json({ exceptions: (await ports.exceptions.list()).map((e) => row(e, now)) }, 200);
  });

  app.openapi(addExceptionsRoute, async (c) => {
    allow(c, 'manageExceptions');
    const ports = c.get('ports');
    const now = ports.clock.now();
    const { exceptions } = c.req.valid('json');
    const added = await ports.exceptionEngine((engine) => addExceptions({ exceptions: ports.exceptions, engine, now }, exceptions)).catch((err: unknown) => {
      throw err instanceof ExceptionError ? new HTTPException(400, { message: err.message }) : err;
    });
    audited(
      c,
      added.map((a) => a.exception.exceptionId).join(', '),
      added.map(({ exception: e, effect }) => `${e.exceptionId}: ${e.policyId} on ${e.resourcePattern} until ${e.expires}, owner ${e.owner} (covers ${effect.covered.length})`).join('; '),
    );
    return c.json(
      { added: added.map((a) => ({ exception: row(a.exception, now), covered: a.effect.covered.length, resolved: a.effect.resolved.length, policyEnabled: a.policyEnabled })) },
      200,
    );
  });

  app.openapi(removeExceptionRoute, async (c) => {
    allow(c, 'manageExceptions');
    const ports = c.get('ports');
    const { exceptionId } = c.req.valid('param');
    const removed = await ports.exceptionEngine((engine) => removeException({ exceptions: ports.exceptions, engine, now: ports.clock.now() }, exceptionId));
    if (!removed) return c.json({ error: `no exception ${exceptionId}` }, 404);
    const e = removed.exception;
    audited(c, exceptionId, `removed ${exceptionId}: ${e.policyId} on ${e.resourcePattern} (re-opened ${removed.effect.reopened.length})`);
    return c.json({ exceptionId, reopened: removed.effect.reopened.length, opened: removed.effect.opened.length }, 200);
  });
}
