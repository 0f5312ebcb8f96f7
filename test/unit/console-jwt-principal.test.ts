/** The deployed console's claim mapping: Cognito groups (string or array) → role, or no principal. */
import { describe, expect, it } from 'vitest';
import { parseGroups, principalFromClaims, principalFromLambdaBindings } from '#console/jwt-principal.ts';

const bindings = (claims: Record<string, unknown>) => ({ event: { requestContext: { authorizer: { jwt: { claims, scopes: null } } } }, lambdaContext: {} });

describe('parseGroups', () => {
  it.each([
    ['[admin viewer]', ['admin', 'viewer']],
    ['[analyst]', ['analyst']],
    ['admin,viewer', ['admin', 'viewer']],
    ['[]', []],
    ['', []],
  ])('reads the string claim %j', (claim, groups) => expect(parseGroups(claim)).toEqual(groups));

  it('reads an array claim and a missing one', () => {
    expect(parseGroups(['viewer', ' analyst '])).toEqual(['viewer', 'analyst']);
    expect(parseGroups(undefined)).toEqual([]);
  });
});

describe('principalFromClaims', () => {
  it('maps the most privileged group to the role, named by the Cognito username', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:username': 'alice', email: 'alice@example.com', 'cognito:groups': '[viewer admin]' })).toEqual({
      id: 'u-1',
      name: 'alice',
      role: 'admin',
    });
  });

  it('falls back to the access token username, then the email, then the subject', () => {
    expect(principalFromClaims({ sub: 'u-2', username: 'bob', 'cognito:groups': ['analyst'] })).toEqual({ id: 'u-2', name: 'bob', role: 'analyst' });
    expect(principalFromClaims({ sub: 'u-3', email: 'c@example.com', 'cognito:groups': '[viewer]' })?.name).toBe('c@example.com');
    expect(principalFromClaims({ sub: 'u-4', 'cognito:groups': '[viewer]' })?.name).toBe('u-4');
  });

  it('refuses a user in none of the three groups, without groups, or without a subject', () => {
    expect(principalFromClaims({ sub: 'u-5', 'cognito:groups': '[auditors]' })).toBeNull();
    expect(principalFromClaims({ sub: 'u-6' })).toBeNull();
    expect(principalFromClaims({ 'cognito:groups': '[admin]' })).toBeNull();
    expect(principalFromClaims(undefined)).toBeNull();
  });
});

describe('principalFromLambdaBindings', () => {
  it('reads the claims the JWT authorizer put in the API Gateway v2 event', () => {
    expect(principalFromLambdaBindings(bindings({ sub: 'u-7', 'cognito:username': 'dana', 'cognito:groups': '[analyst]' }))).toEqual({ id: 'u-7', name: 'dana', role: 'analyst' });
  });

  it('is null for an event without an authorizer (a route without one, or a local call)', () => {
    expect(principalFromLambdaBindings({ event: { requestContext: {} }, lambdaContext: {} })).toBeNull();
    expect(principalFromLambdaBindings(undefined)).toBeNull();
  });
});
