/** The console API function's own environment (CONSOLE_ENV): read once, each error names the variable. */
import { describe, expect, it } from 'vitest';
import { CONSOLE_ENV, readConsoleEnv } from '#lambda-runtime/env.ts';

const valid = {
  [CONSOLE_ENV.securityAccountId]: '123456789012',
  [CONSOLE_ENV.stateMachineArn]: 'arn:aws:states:eu-west-1:123456789012:stateMachine:DailyScan',
  [CONSOLE_ENV.policyBucket]: 'posture-policy-bucket',
};

describe('readConsoleEnv', () => {
  it('reads the account, the state machine and the policy bucket', () => {
    expect(readConsoleEnv(valid)).toEqual({
      securityAccountId: '123456789012',
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:DailyScan',
      policyBucket: 'posture-policy-bucket',
    });
  });

  it.each([
    [CONSOLE_ENV.securityAccountId, '1234', 'Lambda environment: SECURITY_ACCOUNT_ID: must be a 12-digit account ID'],
    [CONSOLE_ENV.stateMachineArn, 'DailyScan', 'Lambda environment: STATE_MACHINE_ARN: must be a state machine ARN'],
    [CONSOLE_ENV.policyBucket, undefined, 'Lambda environment: POLICY_BUCKET:'],
  ])('names %s when it is wrong or missing', (name, value, message) => {
    expect(() => readConsoleEnv({ ...valid, [name]: value })).toThrow(message);
  });
});
