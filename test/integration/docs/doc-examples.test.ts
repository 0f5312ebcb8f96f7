/**
 * The checked-in example resources are current with the scanner: the documentation estate is
 * seeded on a fresh moto server, scanned again with the registry's list/describe and normalised,
 * and must equal docs/resources/examples/ byte for byte (else run `npm run docs:examples`).
 *
 * The same scan — every registry type listed, described, and described again from a bare ref as a
 * real-time rescan does — records every command the scanners send, and proves the member role's
 * extra actions (beyond SecurityAudit, derived from the registry's `iamActions`) are each needed
 * by one of them: an action granted that no scanner calls fails here.
 */
import { describe, expect, it } from 'vitest';
import { readDocExamples } from '../../../src/cli/resource-examples.ts';
import { generateDocExamples } from '../../../src/local/doc-examples.ts';
import { iamActions } from '../../../src/resources/index.ts';

/** SDK service ID (lowercased, no spaces) → IAM prefix, where they differ. */
const IAM_PREFIX: Record<string, string> = { efs: 'elasticfilesystem', cognitoidentityprovider: 'cognito-idp', cloudwatchlogs: 'logs', elasticloadbalancingv2: 'elasticloadbalancing', sfn: 'states', eventbridge: 'events' };

/**
 * Permissions AWS requires for a call beyond the call's own action (the API reference's
 * "additional permissions"): wafv2:ListResourcesForWebACL also checks the protected service's
 * own list permission for these resource types.
 */
function dependentActions(action: string, input: unknown): string[] {
  if (action !== 'wafv2:ListResourcesForWebACL') return [];
  const byType: Record<string, string> = {
    AMPLIFY: 'amplify:ListResourcesForWebACL',
    APP_RUNNER_SERVICE: 'apprunner:ListAssociatedServicesForWebAcl',
    COGNITO_USER_POOL: 'cognito-idp:ListResourcesForWebACL',
  };
  const dependent = byType[(input as { ResourceType?: string } | undefined)?.ResourceType ?? ''];
  return dependent ? [dependent] : [];
}

describe('npm run docs:examples', () => {
  it('reproduces the checked-in examples from a fresh scan of moto, and every extra action of the member role is called by a scanner', async () => {
    const called = new Set<string>();
    // Its own emulator: the estate lives in moto's default account, which must start empty.
    const generated = await generateDocExamples(undefined, (serviceId, operation, input) => {
      const service = serviceId.toLowerCase().replace(/\s+/g, '');
      const action = `${IAM_PREFIX[service] ?? service}:${operation}`;
      called.add(action);
      for (const d of dependentActions(action, input)) called.add(d);
    });
    const checkedIn = readDocExamples();
    expect([...generated.keys()].sort()).toEqual([...checkedIn.keys()].sort());
    for (const [type, json] of generated) expect(json, `${type} (run npm run docs:examples)`).toBe(checkedIn.get(type));

    const granted = iamActions();
    expect(granted.length).toBeGreaterThan(0);
    const unused = granted.filter((a) => !called.has(a));
    expect(unused, `granted to the member role beyond SecurityAudit, but no scanner calls them (remove them from the type's iamActions): ${unused.join(', ')}`).toEqual([]);
  }, 180_000);
});
