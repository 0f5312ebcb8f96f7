/** The stack's configuration from CDK context: defaults, parsing, and one-line errors. */
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIT_ROLE_NAME } from '#accounts/account.ts';
import { assumableAuditRoleNames, readConfig } from '../../lib/config.ts';
import { chooseFrameworks } from '#compliance/frameworks/selection.ts';

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
      consoleDomain: undefined,
      frameworks: chooseFrameworks(['cis', 'fsbp']),
      historyDays: 90,
    });
  });

  it('takes -c posture:historyDays as whole days between 1 and 3650, naming the key otherwise', () => {
    expect(config({ 'posture:historyDays': '365' }).historyDays).toBe(365);
    expect(config({ 'posture:historyDays': 7 }).historyDays).toBe(7);
    expect(() => config({ 'posture:historyDays': '0' })).toThrow('CDK context "posture:historyDays": "0" is not a whole number of days between 1 and 3650');
    expect(() => config({ 'posture:historyDays': 'forever' })).toThrow(/^CDK context "posture:historyDays"/);
  });

  it('takes -c posture:frameworks as posture scan --frameworks does (a comma list or a list; all)', () => {
    expect(config({ 'posture:frameworks': 'FSBP, cis-3.0' }).frameworks.frameworks).toEqual(['cis-3.0', 'fsbp']);
    expect(config({ 'posture:frameworks': ['pci'] }).frameworks.frameworks).toEqual(['pci-4.0']);
    expect(config({ 'posture:frameworks': 'all' }).frameworks).toMatchObject({ all: true, deselectedKeys: [] });
    expect(() => config({ 'posture:frameworks': 'fsbp,nope' })).toThrow(/^CDK context "posture:frameworks": 'nope' is not a known framework; known: all, cis \(every version\)/);
    expect(() => config({ 'posture:frameworks': '' })).toThrow('CDK context "posture:frameworks": give at least one framework');
    expect(() => config({ 'posture:frameworks': 3 })).toThrow('CDK context "posture:frameworks": expected a comma-separated list');
  });

  it('takes the console domain with its us-east-1 certificate, both or neither', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789abc';
    expect(config({ consoleDomainName: 'posture.example.com', consoleCertificateArn: arn }).consoleDomain).toEqual({ name: 'posture.example.com', certificateArn: arn });
    expect(() => config({ consoleDomainName: 'posture.example.com' })).toThrow('CDK context "consoleDomainName": "posture.example.com" is not set without its pair');
    expect(() => config({ consoleCertificateArn: arn })).toThrow('CDK context "consoleCertificateArn"');
    expect(() => config({ consoleDomainName: 'posture.example.com', consoleCertificateArn: arn.replace('us-east-1', 'eu-west-1') })).toThrow(
      /"consoleCertificateArn": .* is not an ACM certificate ARN in us-east-1/,
    );
    expect(() => config({ consoleDomainName: 'Not A Domain', consoleCertificateArn: arn })).toThrow('"consoleDomainName": "Not A Domain" is not a lowercase DNS name');
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
