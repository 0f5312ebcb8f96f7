/**
 * Destinations: GET /api/destinations (read); POST /api/destinations (add or update),
 * POST /api/destinations/{id}/test and DELETE /api/destinations/{id} (manageDestinations, audited).
 * The same domain calls as `posture destinations add|test|remove` (addDestination, sampleAlert +
 * DestinationSender, removeDestination): a URL or signing key goes to Secrets Manager and never
 * back to the browser or into the audit log. The Destinations table is small and read whole by design.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { addDestination, removeDestination } from '#alerts/destination-admin.ts';
import { DEFAULT_TOPIC_ID, DestinationError, secretName, type Destination } from '#alerts/destination-config.ts';
import { SecretCache } from '#alerts/destination-secrets.ts';
import { DestinationSender } from '#alerts/destination-sender.ts';
import { effectiveDestinations } from '#alerts/routing.ts';
import { sampleAlert } from '#alerts/test-alert.ts';
import { addDestinationSchema, addedSchema, destinationListSchema, removedSchema, testRequestSchema, testResultSchema, type DestinationRow } from '../contract/destinations.ts';
import { allow, audited, ERROR_RESPONSES, type ConsoleApp } from '../route-kit.ts';

const json = <S extends z.ZodType>(schema: S, description: string) => ({ 200: { description, content: { 'application/json': { schema } } }, ...ERROR_RESPONSES });
const idParam = z.object({ id: z.string().min(1) });

const row = (d: Destination): DestinationRow => ({
  destinationId: d.destinationId,
  type: d.type,
  minSeverity: d.minSeverity,
  default: d.default,
  description: d.description ?? null,
  where: d.secretArn ? secretName(d.destinationId) : (d.topicArn ?? ''),
  builtIn: d.destinationId === DEFAULT_TOPIC_ID,
});

/** A DestinationError (one line naming the destination and field) is the caller's: 400. */
async function usage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw err instanceof DestinationError ? new HTTPException(400, { message: err.message }) : err;
  }
}

const list = createRoute({ method: 'get', path: '/destinations', summary: 'Alert destinations (the built-in topic first); secrets are not read', responses: json(destinationListSchema, 'The destinations') });
const add = createRoute({
  method: 'post',
  path: '/destinations',
  summary: 'Adds or updates a destination; a URL goes to Secrets Manager',
  request: { body: { content: { 'application/json': { schema: addDestinationSchema } }, required: true } },
  responses: json(addedSchema, 'The destination'),
});
const test = createRoute({
  method: 'post',
  path: '/destinations/{id}/test',
  summary: 'Sends a sample alert to one destination (its minimum severity ignored), as posture destinations test does',
  request: { params: idParam, body: { content: { 'application/json': { schema: testRequestSchema } }, required: false } },
  responses: json(testResultSchema, 'Whether it was delivered'),
});
const remove = createRoute({ method: 'delete', path: '/destinations/{id}', summary: 'Removes a destination; its secret is scheduled for deletion', request: { params: idParam }, responses: json(removedSchema, 'Removed') });

export function registerDestinations(app: ConsoleApp): void {
  app.openapi(list, async (c) => {
    allow(c, 'read');
    const ports = c.get('ports');
    const loaded = await ports.destinations.load();
    return c.json({ destinations: effectiveDestinations(loaded.destinations, ports.alerting.topicArn).map(row), errors: loaded.errors }, 200);
  });

  app.openapi(add, async (c) => {
    allow(c, 'manageDestinations');
    const ports = c.get('ports');
    const input = c.req.valid('json');
    const r = await usage(() =>
      addDestination(
        { ...input, url: input.url || undefined, topicArn: input.topicArn || undefined, description: input.description || undefined },
        { store: ports.destinations, secrets: ports.alerting.secrets, now: ports.clock.now(), allowLoopbackHttp: ports.alerting.allowLoopbackHttp },
      ),
    );
    const secret = r.secret ? `; secret ${r.secret.created ? 'created' : r.secret.updated ? 'updated' : 'unchanged'}` : '';
    audited(c, r.destination.destinationId, `${r.destination.type} destination, min severity ${r.destination.minSeverity}${r.destination.default ? ', default' : ''}${secret}`);
    return c.json({ destination: row(r.destination), keyGenerated: r.secret?.keyGenerated ?? false }, 200);
  });

  app.openapi(test, async (c) => {
    allow(c, 'manageDestinations');
    const ports = c.get('ports');
    const { id } = c.req.valid('param');
    const severity = c.req.valid('json')?.severity ?? 'High';
    const d = effectiveDestinations((await ports.destinations.load()).destinations, ports.alerting.topicArn).find((x) => x.destinationId === id);
    if (!d) throw new HTTPException(404, { message: `id: no destination ${id}` });
    const sender = new DestinationSender({
      secrets: new SecretCache(ports.alerting.secrets),
      sns: ports.alerting.sns,
      defaultTopicArn: ports.alerting.topicArn,
      clock: ports.clock,
      allowLoopbackHttp: ports.alerting.allowLoopbackHttp,
    });
    let result: { delivered: boolean; attempts: number | null; error: string | null };
    try {
      const { attempts } = await sender.deliverTo(d, sampleAlert(ports.alerting.source, severity, ports.clock.now()));
      result = { delivered: true, attempts, error: null };
    } catch (err) {
      result = { delivered: false, attempts: null, error: err instanceof Error ? err.message : String(err) };
    }
    audited(c, id, `test alert (${severity}) ${result.delivered ? 'delivered' : 'not delivered'}`);
    return c.json(result, 200);
  });

  app.openapi(remove, async (c) => {
    allow(c, 'manageDestinations');
    const ports = c.get('ports');
    const { id } = c.req.valid('param');
    const r = await removeDestination(id, { store: ports.destinations, secrets: ports.alerting.secrets });
    if (!r.removed) throw new HTTPException(404, { message: `id: no destination ${id}${id === DEFAULT_TOPIC_ID ? ' override (the built-in topic cannot be removed)' : ''}` });
    audited(c, id, `removed${r.secretDeleted ? '; secret scheduled for deletion' : ''}`);
    return c.json({ removed: id, secretDeleted: r.secretDeleted ?? null }, 200);
  });
}
