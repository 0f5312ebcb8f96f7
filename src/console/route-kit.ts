/**
 * What every route module needs from the app: its environment type, `allow` (403 unless the role
 * may), `audited` (what the audit log records) and the error responses. Apart from app.ts so the
 * route modules that app.ts registers do not import it back (a cycle at module load).
 */
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { can, type ConsoleAction, type Principal } from './auth.ts';
import type { ConsolePorts } from './ports.ts';

export interface ConsoleEnv {
  Variables: {
    principal: Principal;
    ports: ConsolePorts;
    /** Set by a route that changed something: what the audit log records. */
    audit?: { target: string; summary: string };
  };
}

export type ConsoleApp = OpenAPIHono<ConsoleEnv>;
export type ConsoleContext = Context<ConsoleEnv>;

/** Refuses the request (403) unless the caller's role grants `action`. */
export function allow(c: ConsoleContext, action: ConsoleAction): Principal {
  const principal = c.get('principal');
  if (!can(principal.role, action)) throw new HTTPException(403, { message: `forbidden: the ${principal.role} role cannot ${action}` });
  return principal;
}

/** Marks the change a route made, for the audit log (recorded only if the request succeeds). */
export function audited(c: ConsoleContext, target: string, summary: string): void {
  c.set('audit', { target, summary });
}

const errorSchema = z.object({ error: z.string() });
export const ERROR_RESPONSES = {
  400: { description: 'Invalid request', content: { 'application/json': { schema: errorSchema } } },
  401: { description: 'Not signed in', content: { 'application/json': { schema: errorSchema } } },
  403: { description: 'The role does not allow this', content: { 'application/json': { schema: errorSchema } } },
} as const;
