import { describe, expect, it } from 'vitest';
import { parseScanOptions } from '../../src/cli/scan.ts';

describe('posture scan --role-arn', () => {
  it('assumes the role (with its path) in its own account by default', () => {
    const o = parseScanOptions({ out: 'o', roleArn: 'arn:aws:iam::123456789012:role/security/PostureAudit' });
    expect(o).toMatchObject({ roleName: 'security/PostureAudit', accounts: ['123456789012'] });
  });

  it('assumes the same role in each of --accounts or the Organization', () => {
    expect(parseScanOptions({ out: 'o', roleArn: 'arn:aws:iam::123456789012:role/Audit', accounts: '111111111111,222222222222' })).toMatchObject({
      roleName: 'Audit',
      accounts: ['111111111111', '222222222222'],
    });
    expect(parseScanOptions({ out: 'o', roleArn: 'arn:aws:iam::123456789012:role/Audit', organization: true })).toMatchObject({ roleName: 'Audit', organization: true, accounts: undefined });
  });

  it('rejects a malformed ARN and a conflicting --role-name with one line', () => {
    expect(() => parseScanOptions({ out: 'o', roleArn: 'arn:aws:iam::123:role/x' })).toThrow(/^--role-arn: 'arn:aws:iam::123:role\/x' is not an IAM role ARN/);
    expect(() => parseScanOptions({ out: 'o', roleArn: 'arn:aws:iam::123456789012:role/A', roleName: 'B' })).toThrow(/^give either --role-arn or --role-name, not both$/);
  });
});
