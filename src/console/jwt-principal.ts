/**
 * The deployed console's authentication: the HTTP API's JWT authorizer has already verified the
 * Cognito token (signature, issuer, audience, expiry); this reads the claims it passes on in the
 * API Gateway v2 event and maps them to a Principal. Pure, so the mapping is unit-tested.
 */
import { z } from 'zod';
import { roleFromGroups, type Principal } from './auth.ts';

const claimsSchema = z.object({
  sub: z.string().min(1),
  'cognito:username': z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  email: z.string().min(1).optional(),
  'cognito:groups': z.union([z.string(), z.array(z.string())]).optional(),
});

/** Where hono/aws-lambda's bindings (`{ event, lambdaContext }`) carry the authorizer's claims. */
const bindingsSchema = z.object({
  event: z.object({
    requestContext: z.object({ authorizer: z.object({ jwt: z.object({ claims: z.record(z.string(), z.unknown()) }) }) }),
  }),
});

/**
 * `cognito:groups` as the authorizer passes it: API Gateway flattens an array claim to a string
 * like "[admin viewer]" (a test invoke or another authorizer may pass a real array).
 */
export function parseGroups(claim: string | readonly string[] | undefined): string[] {
  if (claim === undefined) return [];
  const items = typeof claim === 'string' ? claim.replace(/^\[|\]$/g, '').split(/[\s,]+/) : claim;
  return items.map((g) => g.trim()).filter((g) => g !== '');
}

/** The caller from verified JWT claims; null (401) without a subject or without one of the three groups. */
export function principalFromClaims(claims: unknown): Principal | null {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return null;
  const c = parsed.data;
  const role = roleFromGroups(parseGroups(c['cognito:groups']));
  if (!role) return null;
  return { id: c.sub, name: c['cognito:username'] ?? c.username ?? c.email ?? c.sub, role };
}

/** The Lambda runtime's Authenticate (src/console/ports.ts): the claims of the request's event, if any. */
export function principalFromLambdaBindings(bindings: unknown): Principal | null {
  const parsed = bindingsSchema.safeParse(bindings);
  return parsed.success ? principalFromClaims(parsed.data.event.requestContext.authorizer.jwt.claims) : null;
}
