import { describe, expect, it } from 'vitest';
import { alertSubject, type AlertPayload } from '../../src/alerts/alert-payload.ts';
import { alertTransition } from '../../src/alerts/stream.ts';
import { excludesResource, parseAccount } from '../../src/accounts/account.ts';
import { RoleAssumer } from '../../src/accounts/credentials.ts';
import { createClients } from '../../src/aws/clients.ts';
import type { AlertItem } from '../../src/compliance/model.ts';

const alert = (status: AlertItem['status']): AlertItem => ({
  alertKey: 'P#r',
  openedAt: '2026-11-22T10:00:00.000Z#r',
  status,
  policyId: 'P',
  resourceId: 'r',
  resourceType: 'AWS.S3.Bucket',
  accountId: '111111111111',
  region: 'us-east-1',
  severity: 'High',
  title: 'T',
  trigger: 'scheduled',
  dedup: null,
  description: null,
  runbook: null,
  reference: null,
});

describe('alert outbox stream', () => {
  it('delivers new open alerts and open → resolved changes, nothing else', () => {
    expect(alertTransition('INSERT', undefined, alert('OPEN'))).toMatchObject({ status: 'OPEN' });
    expect(alertTransition('MODIFY', alert('OPEN'), alert('RESOLVED'))).toMatchObject({ status: 'RESOLVED' });
    expect(alertTransition('MODIFY', alert('RESOLVED'), alert('RESOLVED'))).toBeUndefined();
    expect(alertTransition('MODIFY', alert('OPEN'), alert('OPEN'))).toBeUndefined();
    expect(alertTransition('REMOVE', alert('OPEN'), undefined)).toBeUndefined();
  });

  it('keeps SNS subjects within 100 printable ASCII characters', () => {
    const payload = { kind: 'opened', severity: 'Critical', title: `Bucket ✓ ${'x'.repeat(200)}` } as AlertPayload;
    const s = alertSubject(payload);
    expect(s.length).toBeLessThanOrEqual(100);
    expect(s).toMatch(/^\[Posture Critical\] Bucket \? x+\.\.\.$/);
    expect(alertSubject({ ...payload, kind: 'resolved', title: 'short' })).toBe('[Posture Critical] RESOLVED: short');
  });
});

describe('account validation', () => {
  const ok = { accountId: '123456789012', name: 'prod', externalId: 'ext-123' };

  it('fills defaults; the role name stays absent (the deployment\'s auditRoleName is assumed) unless the account has its own', () => {
    const a = parseAccount(ok);
    expect(a).toMatchObject({ enabled: true, excludeRegions: [], excludeTypes: [], excludeResources: [] });
    expect(a).not.toHaveProperty('roleName');
    expect(parseAccount({ ...ok, roleName: 'TeamAudit' }).roleName).toBe('TeamAudit');
  });

  it('the role assumed is the account\'s own name, else the deployment\'s', () => {
    const access = new RoleAssumer({ base: createClients({ region: 'us-east-1' }), partition: 'aws', defaultRoleName: 'OrgSecurityAudit' });
    expect(access.roleArn(parseAccount(ok))).toBe('arn:aws:iam::123456789012:role/OrgSecurityAudit');
    expect(access.roleArn(parseAccount({ ...ok, roleName: 'TeamAudit' }))).toBe('arn:aws:iam::123456789012:role/TeamAudit');
    expect(access.roleArn(parseAccount({ ...ok, roleName: 'security/TeamAudit' }))).toBe('arn:aws:iam::123456789012:role/security/TeamAudit');
  });

  it.each([
    [{ ...ok, accountId: '12345' }, /^account 12345: accountId: must be a 12-digit AWS account ID$/],
    [{ ...ok, excludeRegions: ['eu-west-1', 'mars-1'] }, /^account 123456789012: excludeRegions\.1: must be a region name like eu-west-1$/],
    [{ ...ok, excludeResources: ['arn:aws:s3:::(unclosed'] }, /^account 123456789012: excludeResources\.0: must be a valid regular expression$/],
    [{ ...ok, externalId: 'has spaces in it' }, /^account 123456789012: externalId: allowed characters/],
  ])('rejects %j with one line naming the field', (input, message) => {
    expect(() => parseAccount(input)).toThrow(message);
  });

  it('applies resource-ID exclusions as regular expressions', () => {
    const a = parseAccount({ ...ok, excludeResources: ['^arn:aws:s3:::sandbox-'] });
    expect(excludesResource(a, 'arn:aws:s3:::sandbox-tmp')).toBe(true);
    expect(excludesResource(a, 'arn:aws:s3:::prod-data')).toBe(false);
  });
});
