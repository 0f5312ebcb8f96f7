/** Findings joined with the policy catalog: framework requirements in ASFF, OCSF and CSV, within ASFF's limits. */
import { describe, expect, it } from 'vitest';
import { joinCatalog, requirementsOf, type CatalogEntry, type PolicyCatalog } from '../../src/compliance/catalog.ts';
import { ASFF_MAX_REQUIREMENTS, CSV_COLUMNS, toAsff, toCsv, toOcsf } from '../../src/compliance/finding-formats.ts';
import type { Finding } from '../../src/compliance/findings.ts';
import { asffLimitProblem } from '../../src/cli/securityhub-export.ts';
import { aFinding } from '../helpers/finding.ts';

const ctx = { partition: 'aws', region: 'us-east-1', securityAccountId: '999999999999' };
const NOW = new Date('2026-06-15T12:00:00Z');

const entry = (over: Partial<CatalogEntry> = {}): CatalogEntry => ({
  policyId: 'AWS.EC2.VPC.FlowLogs',
  displayName: 'VPC Flow Logs Disabled',
  severity: 'Medium',
  resourceTypes: ['AWS.EC2.VPC'],
  enabled: true,
  reports: { 'CIS AWS Foundations 3.0': ['3.7'], 'AWS Foundational Security Best Practices': ['EC2.6'], 'ACME Internal': ['NET-1'] },
  description: 'No flow log.',
  runbook: 'Create a flow log:\naws ec2 create-flow-logs --resource-ids VPC, "then" check it',
  reference: 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html',
  ...over,
});
const catalog = (...policies: CatalogEntry[]): PolicyCatalog => ({ source: 'test', policies });

const stored = (over: Partial<Finding> = {}): Finding => aFinding({
  resourceId: 'vpc-1',
  resourceType: 'AWS.EC2.VPC',
  policyId: 'AWS.EC2.VPC.FlowLogs',
  ...over,
});

const [joined] = joinCatalog([stored()], catalog(entry()));
const CIS_37 = 'CIS AWS Foundations Benchmark v3.0.0/3.7';
const FSBP_6 = 'AWS Foundational Security Best Practices v1.0.0/EC2.6';

describe('joinCatalog', () => {
  it('adds the requirements under canonical names and fills texts the stored verdict lacks', () => {
    expect(joined!.requirements).toEqual([
      { framework: 'CIS AWS Foundations Benchmark v3.0.0', frameworkId: 'cis-3.0', control: '3.7', known: true },
      { framework: 'AWS Foundational Security Best Practices v1.0.0', frameworkId: 'fsbp', control: 'EC2.6', known: true },
      { framework: 'ACME Internal', frameworkId: null, control: 'NET-1', known: false },
    ]);
    expect(joined).toMatchObject({ title: 'VPC Flow Logs Disabled', description: 'No flow log.', reference: entry().reference });
    // A verdict's own texts win (a policy's title() is per resource).
    expect(joinCatalog([stored({ title: 'vpc-1 has no flow log' })], catalog(entry()))[0]!.title).toBe('vpc-1 has no flow log');
    // A policy the catalog does not know (removed since) keeps its verdict, with no requirements.
    expect(joinCatalog([stored({ policyId: 'Gone' })], catalog(entry()))[0]!.requirements).toEqual([]);
  });

  it('marks a control ID its framework does not list as unknown', () => {
    expect(requirementsOf({ reports: { 'CIS AWS Foundations 3.0': ['3.10'] } })[0]!.known).toBe(false);
  });
});

describe('ASFF', () => {
  it('carries Compliance.Status and RelatedRequirements as Security Hub spells them', () => {
    const a = toAsff(joined!, ctx);
    expect(a.Compliance).toEqual({ Status: 'FAILED', RelatedRequirements: [CIS_37, FSBP_6, 'ACME Internal/NET-1'] });
    expect(toAsff({ ...joined!, status: 'PASS' }, ctx).Compliance.Status).toBe('PASSED');
    expect(toAsff({ ...joined!, status: 'ERROR', errorMessage: 'boom' }, ctx).Compliance).toMatchObject({ Status: 'NOT_AVAILABLE', RelatedRequirements: [CIS_37, FSBP_6, 'ACME Internal/NET-1'] });
    expect(toAsff(stored(), ctx).Compliance).toEqual({ Status: 'FAILED' });
  });

  it('keeps RelatedRequirements within 32 entries, so the import path accepts the finding', () => {
    const many = joinCatalog([stored()], catalog(entry({ reports: { 'ACME Internal': Array.from({ length: 40 }, (_, i) => `C-${i}`) } })))[0]!;
    const a = toAsff(many, ctx);
    expect(a.Compliance.RelatedRequirements).toHaveLength(ASFF_MAX_REQUIREMENTS);
    expect(asffLimitProblem(a)).toBeNull();
    expect(asffLimitProblem({ ...a, Compliance: { Status: 'FAILED', RelatedRequirements: Array.from({ length: 33 }, () => 'x') } })).toMatch(/33 Compliance.RelatedRequirements/);
    expect(asffLimitProblem({ ...a, Description: 'x'.repeat(250 * 1024) })).toMatch(/over the 245760-byte limit/);
  });
});

describe('OCSF', () => {
  it('names the standards, requirements and control of the finding\'s frameworks', () => {
    const ev = toOcsf(joined!, { partition: 'aws', now: NOW });
    expect(ev.compliance).toEqual({
      standards: ['CIS AWS Foundations Benchmark v3.0.0', 'AWS Foundational Security Best Practices v1.0.0', 'ACME Internal'],
      requirements: [CIS_37, FSBP_6, 'ACME Internal/NET-1'],
      control: '3.7',
      status_id: 3,
      status: 'Fail',
    });
    expect(ev.unmapped.policyId).toBe('AWS.EC2.VPC.FlowLogs');
    expect(toOcsf({ ...joined!, status: 'PASS' }, { partition: 'aws', now: NOW }).compliance).toMatchObject({ status_id: 1, status: 'Pass' });
  });

  it('a policy mapped to no framework is its own standard and control', () => {
    expect(toOcsf(stored(), { partition: 'aws', now: NOW }).compliance).toEqual({ standards: ['Posture policies'], control: 'AWS.EC2.VPC.FlowLogs', status_id: 3, status: 'Fail' });
  });
});

describe('CSV', () => {
  it('adds runbook, reference and frameworks columns, quoted where needed', () => {
    expect(CSV_COLUMNS.slice(-3)).toEqual(['runbook', 'reference', 'frameworks']);
    const text = toCsv([joined!]);
    const header = text.split('\r\n')[0]!;
    expect(header.endsWith('runbook,reference,frameworks')).toBe(true);
    // The runbook holds a newline, a comma and quotes: one quoted field, quotes doubled.
    expect(text).toContain('"Create a flow log:\naws ec2 create-flow-logs --resource-ids VPC, ""then"" check it"');
    expect(text.trimEnd().endsWith(`${CIS_37}; ${FSBP_6}; ACME Internal/NET-1`)).toBe(true);
    // Unjoined findings have an empty frameworks cell, not a missing one.
    expect(toCsv([stored()]).split('\r\n')[1]!.endsWith(',')).toBe(true);
  });
});
