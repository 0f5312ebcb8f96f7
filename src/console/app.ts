/**
 * The console API: one Hono app that runs unchanged in Lambda (lambdas/console-api.ts, behind the
 * HTTP API's JWT authorizer) and in Node (`posture console`). Every route is declared with zod
 * schemas through @hono/zod-openapi, so requests are validated and /api/openapi.json documents them.
 *
 * Middleware, in order: authenticate (401 without a principal), then each route checks its
 * permission with `allow(c, action)` (403), and a change that succeeded is written to the audit log
 * with what the route put in `c.var.audit`.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { principalSchema } from './auth.ts';
import { ERROR_RESPONSES, type ConsoleApp, type ConsoleEnv } from './route-kit.ts';
import type { Authenticate, ConsolePorts } from './ports.ts';
import { registerRoutes } from './routes/index.ts';

export { allow, audited, ERROR_RESPONSES, type ConsoleApp, type ConsoleContext, type ConsoleEnv } from './route-kit.ts';

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  summary: 'The signed-in user and role',
  responses: { 200: { description: 'The caller', content: { 'application/json': { schema: principalSchema } } }, ...ERROR_RESPONSES },
});

export function createConsoleApp(ports: ConsolePorts, authenticate: Authenticate): ConsoleApp {
  const app = new OpenAPIHono<ConsoleEnv>({
    // A request that fails its zod schema is a 400 with one line naming the field.
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        return c.json({ error: `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}` }, 400);
      }
      return undefined;
    },
  }).basePath('/api');

  app.onError((err, c) => {
    if (err instanceof HTTPException) return c.json({ error: err.message }, err.status);
    console.error(`console api: ${c.req.method} ${c.req.path}: ${err instanceof Error ? err.message : String(err)}`);
    return c.json({ error: 'internal error' }, 500);
  });

  app.use('*', async (c, next) => {
    const principal = await authenticate(c.req.raw, c.env);
    if (!principal) return c.json({ error: 'not signed in' }, 401);
    c.set('principal', principal);
    c.set('ports', ports);
    await next();
    const audit = c.get('audit');
    if (c.req.method !== 'GET' && c.res.status < 400 && audit) {
      await ports.audit.record({
        at: ports.clock.now().toISOString(),
        actor: principal,
        action: `${c.req.method} ${c.req.path}`,
        target: audit.target,
        summary: audit.summary,
      });
    }
  });

  app.openapi(meRoute, (c) => c.json(c.get('principal'), 200));
  registerRoutes(app);
  app.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'Posture console API', version: '1' } });
  return app;
}
