/** The report's grouping of scopes not evaluated, its timestamps and its ARN line breaks, on hand-made values. */
import { describe, expect, it } from 'vitest';
import { groupNotEvaluated, type NotEvaluatedScope } from '../../src/cli/report/report-data.ts';
import { scopesHtml, MAX_REASONS } from '../../src/cli/report/scopes-html.ts';
import { age, timeWithAge, utcMinute } from '../../src/cli/report/time-html.ts';
import { breakable } from '../../src/cli/report/escape.ts';

const scope = (over: Partial<NotEvaluatedScope>): NotEvaluatedScope => ({
  accountId: '111122223333',
  region: 'us-east-1',
  resourceType: 'AWS.S3.Bucket',
  outcome: 'THROTTLED',
  message: 'Rate exceeded',
  ...over,
});

describe('scopes not evaluated, grouped', () => {
  it('groups by outcome, account and region with counts, types and reasons (most frequent first)', () => {
    const { groups, outcomes } = groupNotEvaluated([
      scope({ resourceType: 'AWS.EC2.VPC' }),
      scope({ resourceType: 'AWS.EC2.Instance', message: 'scan interrupted' }),
      scope({ resourceType: 'AWS.EC2.Volume' }),
      scope({ region: 'eu-west-1' }),
      scope({ accountId: '444455556666', outcome: 'ACCESS_DENIED', region: 'global', resourceType: 'AWS.IAM.User', message: null }),
      scope({ accountId: '000011112222', resourceType: 'AWS.EC2.VPC' }),
    ]);
    expect(groups.map((g) => [g.outcome, g.accountId, g.region, g.scopes, g.types, g.reasons])).toEqual([
      ['ACCESS_DENIED', '444455556666', 'global', 1, ['AWS.IAM.User'], [{ message: '', scopes: 1 }]],
      ['THROTTLED', '000011112222', 'us-east-1', 1, ['AWS.EC2.VPC'], [{ message: 'Rate exceeded', scopes: 1 }]],
      ['THROTTLED', '111122223333', 'eu-west-1', 1, ['AWS.S3.Bucket'], [{ message: 'Rate exceeded', scopes: 1 }]],
      [
        'THROTTLED',
        '111122223333',
        'us-east-1',
        3,
        ['AWS.EC2.Instance', 'AWS.EC2.VPC', 'AWS.EC2.Volume'],
        [
          { message: 'Rate exceeded', scopes: 2 },
          { message: 'scan interrupted', scopes: 1 },
        ],
      ],
    ]);
    expect(outcomes).toEqual([
      { outcome: 'THROTTLED', scopes: 5, accounts: 2 },
      { outcome: 'ACCESS_DENIED', scopes: 1, accounts: 1 },
    ]);
    expect(groupNotEvaluated([])).toEqual({ groups: [], outcomes: [] });
  });

  it('renders one row per group however many scopes, counts reasons beyond the first few, and keeps disabled regions apart', () => {
    const many = Array.from({ length: 400 }, (_, i) => scope({ resourceType: `AWS.T${i % 40}`, message: `reason ${i % (MAX_REASONS + 2)}` }));
    const html = scopesHtml([...many, scope({ region: 'me-south-1', resourceType: '*', outcome: 'REGION_DISABLED', message: 'opt-in' })], new Map([['111122223333', 'prod<x>']]));
    expect(html.match(/<tr data-outcome=/g)).toHaveLength(1);
    expect(html).toContain('<td class="num">400</td>');
    expect(html).toContain('<li><b>THROTTLED</b> 400 scopes in 1 account</li>');
    expect(html).toContain('and 2 other reasons');
    expect(html).toContain('<small>prod&lt;x&gt;</small>');
    expect(html).toContain('id="regions-disabled"');
    expect(html).not.toContain('REGION_DISABLED');
    expect(scopesHtml([])).toBe('<p class="empty-state">Every scope was read.</p>');
  });
});

describe('report timestamps', () => {
  const now = new Date('2026-12-05T02:31:40Z');
  it('prints the UTC minute and the age at generation', () => {
    expect(utcMinute('2026-12-05T02:31:59.999Z')).toBe('2026-12-05 02:31 UTC');
    expect(utcMinute(now)).toBe('2026-12-05 02:31 UTC');
    expect(utcMinute('not a date')).toBe('not a date');
    expect(age('2026-12-05T02:31:10Z', now)).toBe('just now');
    expect(age('2026-12-05T02:01:40Z', now)).toBe('30 min');
    expect(age('2026-12-04T02:31:40Z', now)).toBe('24 h');
    expect(age('2026-11-20T02:31:40Z', now)).toBe('15 days');
    expect(age('2026-06-05T02:31:40Z', now)).toBe('6 months');
    expect(age('2023-12-05T02:31:40Z', now)).toBe('3 years');
    expect(age('2026-12-06T00:00:00Z', now)).toBeNull();
    expect(timeWithAge('2026-11-20T02:31:40Z', now)).toBe(
      '<time datetime="2026-11-20T02:31:40Z" title="2026-11-20T02:31:40Z">2026-11-20 02:31 UTC</time> <small class="age">15 days old</small>',
    );
  });
});

describe('identifier line breaks', () => {
  it('allows a break only after ":" and "/", keeps the parts unbreakable, and escapes them', () => {
    expect(breakable('arn:aws:ec2:eu-west-1:1234:security-group/sg-1')).toBe(
      '<span>arn</span>:<wbr><span>aws</span>:<wbr><span>ec2</span>:<wbr><span>eu-west-1</span>:<wbr><span>1234</span>:<wbr><span>security-group</span>/<wbr><span>sg-1</span>',
    );
    expect(breakable('arn:aws:s3:::<b>')).toBe('<span>arn</span>:<wbr><span>aws</span>:<wbr><span>s3</span>:<wbr>:<wbr>:<wbr><span>&lt;b&gt;</span>');
  });
});
