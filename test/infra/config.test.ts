/** The stack's configuration from CDK context: defaults, parsing, and one-line errors. */
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIT_ROLE_NAME } from '#accounts/account.ts';
import { assumableAuditRoleNames, readConfig } from '../../lib/config.ts';

const config = (context: Record<string, unknown>) => readConfig(new App({ context }));

describe('readConfig', () => {
  it('has the documented defaults', () => {
    expect(config({})).toEqual({
      organizationId: undefined,
      memberAccountIds: [],
      alertEmail: undefined,
      scanSchedule: 'cron(0 5 * * ? *)',
      scanMaxConcurrency: 10,
      auditRoleName: DEFAULT_AUDIT_ROLE_NAME,
      additionalAuditRoleNames: [],
      console: true,
    });
  });

  it('turns the console off with -c console=false (a string or a boolean)', () => {
    expect(config({ console: 'false' }).console).toBe(false);
    expect(config({ console: false }).console).toBe(false);
    expect(config({ console: 'TRUE' }).console).toBe(true);
    expect(() => config({ console: 'no' })).toThrow('CDK context "console": "no" is not true or false');
  });

  it('takes the audit role name and further assumable names (a comma list), the default first', () => {
    const c = config({ auditRoleName: 'OrgSecurityAudit', additionalAuditRoleNames: ' TeamAudit, OrgSecurityAudit,LegacyAudit,TeamAudit ' });
    expect(c.auditRoleName).toBe('OrgSecurityAudit');
    expect(c.additionalAuditRoleNames).toEqual(['TeamAudit', 'LegacyAudit']);
    expect(assumableAuditRoleNames(c)).toEqual(['OrgSecurityAudit', 'TeamAudit', 'LegacyAudit']);
    expect(config({ additionalAuditRoleNames: ['TeamAudit'] }).additionalAuditRoleNames).toEqual(['TeamAudit']);
  });

  it('parses -c strings: a comma list of accounts, a number', () => {
    const c = config({ memberAccountIds: ' 111111111111,222222222222,111111111111 ', scanMaxConcurrency: '40', scanSchedule: 'rate(12 hours)' });
    expect(c.memberAccountIds).toEqual(['111111111111', '222222222222']);
    expect(c.scanMaxConcurrency).toBe(40);
    expect(c.scanSchedule).toBe('rate(12 hours)');
    expect(config({ memberAccountIds: ['333333333333'] }).memberAccountIds).toEqual(['333333333333']);
  });

  it.each([
    [{ organizationId: 'org-1' }, /"organizationId"/],
    [{ memberAccountIds: '1234,111111111111' }, /"memberAccountIds": "1234"/],
    [{ alertEmail: 'not-an-email' }, /"alertEmail"/],
    [{ scanSchedule: '0 5 * * *' }, /"scanSchedule"/],
    [{ scanMaxConcurrency: '0' }, /"scanMaxConcurrency"/],
    [{ scanMaxConcurrency: 'ten' }, /"scanMaxConcurrency"/],
    [{ auditRoleName: 'has space' }, /"auditRoleName"/],
    [{ auditRoleName: 'path/Role' }, /"auditRoleName"/],
    [{ additionalAuditRoleNames: 'TeamAudit,bad name' }, /"additionalAuditRoleNames": "bad name"/],
  ])('rejects %j naming the context key', (context, message) => {
    expect(() => config(context)).toThrow(message);
  });
});
