/** GET /api/resources, /api/resource, /api/resource/unit-test, /api/resource/history: the Cloud Resources area (read permission; src/console/resources.ts reads). */
import { createRoute } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { allow, ERROR_RESPONSES, type ConsoleApp } from '../route-kit.ts';
import { resourceDetailSchema, resourceHistoryQuerySchema, resourceHistorySchema, resourceIdQuerySchema, resourceListQuerySchema, resourcePageSchema, unitTestQuerySchema, unitTestSchema } from '../contract/resources.ts';
import { CursorError, listResources, resourceDetail, resourceHistory, resourceUnitTest } from '../resources.ts';

const json = <S>(description: string, schema: S) => ({ description, content: { 'application/json': { schema } } });
const errorOf = ERROR_RESPONSES[400].content;

const listRoute = createRoute({
  method: 'get',
  path: '/resources',
  summary: 'Stored resources filtered by type, account, region and compliance, one page at a time',
  request: { query: resourceListQuerySchema },
  responses: { 200: json('One page of resources', resourcePageSchema), ...ERROR_RESPONSES },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/resource',
  summary: 'One stored resource: its attributes, its result per policy and when it was last verified',
  request: { query: resourceIdQuerySchema },
  responses: { 200: json('The resource', resourceDetailSchema), ...ERROR_RESPONSES, 404: { description: 'No such stored resource', content: errorOf } },
});

const unitTestRoute = createRoute({
  method: 'get',
  path: '/resource/unit-test',
  summary: "The resource as a unit test of one policy (ExpectedResult: the policy's current result), YAML for the spec's Tests list",
  request: { query: unitTestQuerySchema },
  responses: {
    200: json('The Tests entry', unitTestSchema),
    ...ERROR_RESPONSES,
    404: { description: 'No such resource, or no result of the policy for it', content: errorOf },
    409: { description: 'The policy errored on the resource: no result to expect', content: errorOf },
  },
});

const historyRoute = createRoute({
  method: 'get',
  path: '/resource/history',
  summary: "One page of a resource's history, newest first: its versions with their diffs and causes (CloudTrail actors, or the scan window), and the verdict transitions",
  request: { query: resourceHistoryQuerySchema },
  responses: { 200: json('One page of records', resourceHistorySchema), ...ERROR_RESPONSES, 404: { description: 'No such resource, and no history of it', content: errorOf } },
});

export function registerResources(app: ConsoleApp): void {
  app.openapi(listRoute, async (c) => {
    allow(c, 'read');
    const page = await listResources(c.get('ports'), c.req.valid('query')).catch((err: unknown) => {
      throw err instanceof CursorError ? new HTTPException(400, { message: err.message }) : err;
    });
    return c.json(page, 200);
  });
  app.openapi(detailRoute, async (c) => {
    allow(c, 'read');
    return c.json(await resourceDetail(c.get('ports'), c.req.valid('query').id), 200);
  });
  app.openapi(unitTestRoute, async (c) => {
    allow(c, 'read');
    const q = c.req.valid('query');
    return c.json(await resourceUnitTest(c.get('ports'), q.id, q.policyId, q.name), 200);
  });
  app.openapi(historyRoute, async (c) => {
    allow(c, 'read');
    const page = await resourceHistory(c.get('ports'), c.req.valid('query')).catch((err: unknown) => {
      throw err instanceof CursorError ? new HTTPException(400, { message: err.message }) : err;
    });
    return c.json(page, 200);
  });
}
