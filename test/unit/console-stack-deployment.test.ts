/**
 * `posture console --stack`: the connect wizard's deployed port built from the stack's outputs
 * (stackDeployment), the same values the Lambda reads from CONSOLE_ENV; a missing output is one
 * line naming it, raised by the wizard's request rather than at start-up.
 */
import { describe, expect, it } from 'vitest';
import { OUTPUTS } from '../../lib/outputs.ts';
import { createClients } from '../../src/aws/clients.ts';
import { consoleOnboarding, stackDeployment } from '../../src/cli/console-onboarding.ts';
import type { Target } from '../../src/cli/target.ts';
import { parseAccount } from '../../src/accounts/account.ts';

const outputs = {
  [OUTPUTS.stateMachineArn]: 'arn:aws:states:eu-west-1:999988887777:stateMachine:DailyScan',
  [OUTPUTS.eventBusArn]: 'arn:aws:events:eu-west-1:999988887777:event-bus/posture-central',
  [OUTPUTS.templatesBucket]: 'posture-member-templates',
  [OUTPUTS.auditRoleName]: 'OrgSecurityAudit',
  [OUTPUTS.additionalAuditRoleNames]: 'TeamAudit',
};
const stack = (o: Record<string, string>): Target =>
  ({ kind: 'stack', name: 'Posture', clients: createClients({ region: 'eu-west-1' }), securityAccountId: '999988887777', outputs: o, accounts: {} }) as unknown as Target;

describe('stackDeployment (posture console --stack)', () => {
  it("reads the wizard's deployment from the stack's outputs", () => {
    const target = stack(outputs);
    expect(stackDeployment(target)).toEqual({
      clients: target.clients,
      accounts: target.accounts,
      partition: 'aws',
      stateMachineArn: outputs[OUTPUTS.stateMachineArn],
      eventBusArn: outputs[OUTPUTS.eventBusArn],
      templatesBucket: 'posture-member-templates',
      auditRoleName: 'OrgSecurityAudit',
      assumableRoleNames: ['OrgSecurityAudit', 'TeamAudit'],
    });
    expect(stackDeployment(stack({ ...outputs, [OUTPUTS.additionalAuditRoleNames]: 'none' })).assumableRoleNames).toEqual(['OrgSecurityAudit']);
  });

  it('names a missing output in one line when the wizard needs it, not when the console starts', async () => {
    const { [OUTPUTS.templatesBucket]: _gone, ...older } = outputs;
    const port = consoleOnboarding(stack(older));
    await expect(port.memberSetup()).rejects.toThrow(`--stack Posture: output ${OUTPUTS.templatesBucket} is missing; update the stack (npx cdk deploy)`);
    await expect(port.verify(parseAccount({ accountId: '111122223333', name: 'x', externalId: 'posture-test-ext-1' }))).rejects.toThrow(OUTPUTS.templatesBucket);
  });
});
