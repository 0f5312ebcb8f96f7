/** GET /api/overview: the Overview page (src/console/overview.ts computes it with the CLI's domain code). */
import { createRoute } from '@hono/zod-openapi';
import { allow, ERROR_RESPONSES, type ConsoleApp } from '../route-kit.ts';
import { overviewSchema } from '../contract/overview.ts';
import { computeOverview } from '../overview.ts';

const route = createRoute({
  method: 'get',
  path: '/overview',
  summary: 'Pass rate, failing by severity, accounts, top failing policies, scopes not evaluated, the 30-day trend and framework status',
  responses: { 200: { description: 'The overview', content: { 'application/json': { schema: overviewSchema } } }, ...ERROR_RESPONSES },
});

export function registerOverview(app: ConsoleApp): void {
  app.openapi(route, async (c) => {
    allow(c, 'read');
    return c.json(await computeOverview(c.get('ports')), 200);
  });
}
