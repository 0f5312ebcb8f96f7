/** The console API function's own environment (CONSOLE_ENV): read once, each error names the variable. */
import { describe, expect, it } from 'vitest';
import { CONSOLE_ENV, readConsoleEnv } from '#lambda-runtime/env.ts';

const valid = {
  [CONSOLE_ENV.securityAccountId]: '123456789012',
  [CONSOLE_ENV.stateMachineArn]: 'arn:aws:states:eu-west-1:123456789012:stateMachine:DailyScan',
  [CONSOLE_ENV.policyBucket]: 'posture-policy-bucket',
  [CONSOLE_ENV.eventBusArn]: 'arn:aws:events:eu-west-1:123456789012:event-bus/posture-central',
  [CONSOLE_ENV.templatesBucket]: 'posture-member-templates',
  [CONSOLE_ENV.assumableAuditRoleNames]: 'OrgSecurityAudit,TeamAudit',
};

describe('readConsoleEnv', () => {
  it('reads the account, the state machine, the policy bucket and what the connect wizard needs', () => {
    expect(readConsoleEnv(valid)).toEqual({
      securityAccountId: '123456789012',
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:DailyScan',
      policyBucket: 'posture-policy-bucket',
      eventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/posture-central',
      templatesBucket: 'posture-member-templates',
      assumableAuditRoleNames: ['OrgSecurityAudit', 'TeamAudit'],
    });
  });

  it.each([
    [CONSOLE_ENV.securityAccountId, '1234', 'Lambda environment: SECURITY_ACCOUNT_ID: must be a 12-digit account ID'],
    [CONSOLE_ENV.stateMachineArn, 'DailyScan', 'Lambda environment: STATE_MACHINE_ARN: must be a state machine ARN'],
    [CONSOLE_ENV.policyBucket, undefined, 'Lambda environment: POLICY_BUCKET:'],
    [CONSOLE_ENV.eventBusArn, 'posture-central', 'Lambda environment: CENTRAL_EVENT_BUS_ARN: must be an event bus ARN'],
    [CONSOLE_ENV.templatesBucket, '', 'Lambda environment: MEMBER_TEMPLATES_BUCKET:'],
    [CONSOLE_ENV.assumableAuditRoleNames, 'OrgSecurityAudit,role/with-path', 'Lambda environment: ASSUMABLE_AUDIT_ROLE_NAMES: must be comma-separated IAM role names'],
    [CONSOLE_ENV.assumableAuditRoleNames, undefined, 'Lambda environment: ASSUMABLE_AUDIT_ROLE_NAMES:'],
  ])('names %s when it is wrong or missing', (name, value, message) => {
    expect(() => readConsoleEnv({ ...valid, [name]: value })).toThrow(message);
  });
});
