/**
 * Calls to the deployed console API function as the HTTP API makes them once its JWT authorizer
 * verified the caller: an API Gateway v2 (payload 2.0) event with the token's claims, a JSON body.
 */
import { randomUUID } from 'node:crypto';
import type { Fleet } from './fleet.ts';
import { SECURITY_ACCOUNT_ID } from './context.ts';

export type Claims = Record<string, unknown>;

/** The claims of a Cognito access token of a user in `groups` (e.g. `[admin]`, as the authorizer passes them). */
export const groupClaims = (groups: string): Claims => ({ sub: `sub-${groups}`, 'cognito:username': `user-${groups}`, 'cognito:groups': groups, token_use: 'access' });

export function apiEvent(method: string, path: string, claims?: Claims, body?: unknown): Record<string, unknown> {
  return {
    version: '2.0',
    routeKey: 'ANY /api/{proxy+}',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'console.example.cloudfront.net', 'content-type': 'application/json', ...(claims ? { authorization: 'Bearer <verified by API Gateway>' } : {}) },
    requestContext: {
      accountId: SECURITY_ACCOUNT_ID,
      apiId: 'rehearsal',
      domainName: 'rehearsal.execute-api.us-east-1.amazonaws.com',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'rehearsal' },
      requestId: randomUUID(),
      routeKey: 'ANY /api/{proxy+}',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    pathParameters: { proxy: path.replace(/^\/api\//, '') },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
  };
}

/** Invokes the ConsoleApiFunction with that event; its status and JSON body. */
export async function callConsoleApi(fleet: Fleet, method: string, path: string, claims?: Claims, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const out = (await fleet.invoke(fleet.functionName('ConsoleApiFunction'), apiEvent(method, path, claims, body))) as { statusCode: number; body: string };
  return { status: out.statusCode, body: JSON.parse(out.body) as Record<string, unknown> };
}
