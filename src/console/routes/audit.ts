/** GET /api/audit: who changed what through the console, newest first (read permission). */
import { createRoute } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { AuditCursorError } from '#store/audit-store.ts';
import { allow, ERROR_RESPONSES, type ConsoleApp } from '../route-kit.ts';
import { auditPageSchema, auditQuerySchema } from '../contract/audit.ts';

const route = createRoute({
  method: 'get',
  path: '/audit',
  summary: 'The audit log: every change made through the console, newest first',
  request: { query: auditQuerySchema },
  responses: { 200: { description: 'One page of the log', content: { 'application/json': { schema: auditPageSchema } } }, ...ERROR_RESPONSES },
});

export function registerAudit(app: ConsoleApp): void {
  app.openapi(route, async (c) => {
    allow(c, 'read');
    const { limit, cursor } = c.req.valid('query');
    const page = await c.get('ports').audit.list({ limit, ...(cursor ? { cursor } : {}) }).catch((err: unknown) => {
      throw err instanceof AuditCursorError ? new HTTPException(400, { message: err.message }) : err;
    });
    return c.json(page, 200);
  });
}
