/**
 * The framework model against the CIS AWS Foundations Benchmark v3.0.0, Security Hub's FSBP
 * standard and the built-in pack's `Reports`: both complete control lists are modelled, every
 * mapping names a known framework and control, every control has a built-in policy or says why
 * it has none — except an explicit list still waiting for its policy — and the PCI DSS v4.0.1 /
 * NIST 800-53 r5 entries ride on FSBP controls (AWS publishes them per control).
 */
import { describe, expect, it } from 'vitest';
import { requirementNames, requirementsOf } from '../../src/compliance/catalog.ts';
import { findControl, findFramework, FRAMEWORKS, knownFrameworks } from '../../src/compliance/frameworks/index.ts';
import { BUILTIN_PACK, readCatalog } from '../../src/cli/policy-catalog.ts';
import { coverageMarkdown, withCoverage } from '../../src/compliance/frameworks/coverage-doc.ts';
import { ASFF_MAX_REQUIREMENTS } from '../../src/compliance/finding-formats.ts';
import { REGISTRY } from '../../src/resources/index.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The benchmark's recommendations, section by section (CIS AWS Foundations Benchmark v3.0.0). */
const CIS_3_0_IDS = [
  ...Array.from({ length: 22 }, (_, i) => `1.${i + 1}`),
  '2.1.1', '2.1.2', '2.1.3', '2.1.4', '2.2.1', '2.3.1', '2.3.2', '2.3.3', '2.4.1',
  ...Array.from({ length: 9 }, (_, i) => `3.${i + 1}`),
  ...Array.from({ length: 16 }, (_, i) => `4.${i + 1}`),
  ...Array.from({ length: 6 }, (_, i) => `5.${i + 1}`),
];
/** The recommendations the benchmark assesses manually. */
const CIS_3_0_MANUAL = ['1.1', '1.2', '1.3', '1.18', '1.21', '1.22', '2.1.3', '5.5'];

const catalog = readCatalog(BUILTIN_PACK);
const cis = findFramework('CIS AWS Foundations Benchmark v3.0')!;

describe('CIS AWS Foundations Benchmark v3.0.0 model', () => {
  it('lists every control of the benchmark, once, with its assessment status', () => {
    expect(cis.coverage).toBe('complete');
    expect(cis.controls.map((c) => c.id)).toEqual(CIS_3_0_IDS);
    expect(cis.controls.filter((c) => c.assessment === 'Manual').map((c) => c.id)).toEqual(CIS_3_0_MANUAL);
    expect(cis.controls.every((c) => c.title && c.section)).toBe(true);
  });

  it('every automated control has a built-in policy or a stated reason, and no reason contradicts a policy', () => {
    const covered = new Set(catalog.policies.filter((p) => p.enabled).flatMap((p) => requirementsOf(p).filter((r) => r.frameworkId === cis.id).map((r) => r.control)));
    const missing = cis.controls.filter((c) => c.assessment === 'Automated' && !covered.has(c.id) && !c.notAutomatable).map((c) => c.id);
    expect(missing).toEqual([]);
    const stale = cis.controls.filter((c) => c.notAutomatable && covered.has(c.id)).map((c) => c.id);
    expect(stale).toEqual([]);
    // Manual controls without a policy say why too (1.22 is automated by a built-in policy).
    expect(cis.controls.filter((c) => c.assessment === 'Manual' && !covered.has(c.id) && !c.notAutomatable)).toEqual([]);
    expect(covered.has('1.22')).toBe(true);
  });
});

/**
 * FSBP controls whose answer is in the modeled configuration but that no built-in policy reports
 * yet ("no policy yet" in policies/README.md): none. A control added to the model without a
 * policy or a reason fails the test below until one of the two exists.
 */
const FSBP_NO_POLICY_YET: string[] = [];

const fsbp = findFramework('fsbp')!;
const REGISTERED = new Set(REGISTRY.map((t) => t.type));
const enabledFor = (frameworkId: string): Set<string> =>
  new Set(catalog.policies.filter((p) => p.enabled).flatMap((p) => requirementsOf(p).filter((r) => r.frameworkId === frameworkId).map((r) => r.control)));

describe('AWS Foundational Security Best Practices model', () => {
  it('is the complete list: well-formed, unique control IDs, each under its service', () => {
    expect(fsbp.coverage).toBe('complete');
    const ids = fsbp.controls.map((c) => c.id);
    expect(ids.filter((id) => !/^[A-Za-z0-9]+\.[0-9]+$/.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const c of fsbp.controls) expect([c.section, c.assessment, c.title.length > 0], c.id).toEqual([c.id.split('.')[0], 'Automated', true]);
  });

  it('lists the services AWS added beyond the covered types, and no retired control', () => {
    const sections = new Set(fsbp.controls.map((c) => c.section));
    for (const s of ['Account', 'AppSync', 'DMS', 'ElasticBeanstalk', 'FSx', 'Macie', 'NetworkFirewall', 'RedshiftServerless', 'SSM', 'WorkSpaces']) expect(sections.has(s), s).toBe(true);
    expect(fsbp.controls.filter((c) => c.section === 'DMS').map((c) => c.id)).toEqual(['DMS.1', 'DMS.6', 'DMS.7', 'DMS.8', 'DMS.9', 'DMS.10', 'DMS.11', 'DMS.12', 'DMS.13']);
    // Retired by AWS (the Security Hub user guide marks them so, or no longer lists them).
    for (const retired of ['Athena.1', 'AutoScaling.4', 'CloudFormation.1', 'ECS.1', 'SNS.2']) expect(findControl(fsbp, retired), retired).toBeUndefined();
  });

  it('every FSBP control the pack reports against is in the model', () => {
    const reported = catalog.policies.flatMap((p) => requirementsOf(p).filter((r) => r.frameworkId === fsbp.id).map((r) => r.control));
    expect(reported.length).toBeGreaterThan(200);
    expect(reported.filter((id) => !findControl(fsbp, id))).toEqual([]);
  });

  it('every control has an enabled built-in policy or a reason, except exactly the "no policy yet" list', () => {
    const covered = enabledFor(fsbp.id);
    expect(fsbp.controls.filter((c) => !covered.has(c.id) && !c.notAutomatable).map((c) => c.id)).toEqual(FSBP_NO_POLICY_YET);
    expect(fsbp.controls.filter((c) => c.notAutomatable && covered.has(c.id)).map((c) => c.id)).toEqual([]);
  });

  it('phrases each reason as one of its kinds: a type not modeled, data not collected, a join across resources', () => {
    const kinds = [/^needs AWS\.[A-Za-z0-9.]+, not a modeled type/, /^needs .+, which Posture does not collect$/, /^joins .+; a policy sees one resource at a time$/];
    const odd = fsbp.controls.filter((c) => c.notAutomatable && !kinds.some((k) => k.test(c.notAutomatable!)));
    expect(odd.map((c) => `${c.id}: ${c.notAutomatable}`)).toEqual([]);
    // A type named as missing is indeed not in the registry.
    const missing = fsbp.controls.flatMap((c) => /^needs (AWS\.[A-Za-z0-9.]+), not a modeled type/.exec(c.notAutomatable ?? '')?.[1] ?? []);
    expect(missing.length).toBeGreaterThan(30);
    expect(missing.filter((t) => REGISTERED.has(t))).toEqual([]);
  });
});

describe('the built-in pack\'s Reports', () => {
  it('uses only known framework names', () => {
    const keys = [...new Set(catalog.policies.flatMap((p) => Object.keys(p.reports)))];
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !findFramework(k))).toEqual([]);
  });

  it('names only controls its frameworks list', () => {
    const unknown = catalog.policies.flatMap((p) => requirementsOf(p).filter((r) => !r.known).map((r) => `${p.policyId}: ${r.framework}/${r.control}`));
    expect(unknown).toEqual([]);
    for (const p of catalog.policies) for (const [k, ids] of Object.entries(p.reports)) for (const id of ids) expect(findControl(findFramework(k)!, id), `${p.policyId} ${k} ${id}`).toBeDefined();
  });

  it('maps the CIS v3.0 controls the built-in policies answer', () => {
    const by = (id: string) => catalog.policies.find((p) => p.policyId === id)!.reports['CIS AWS Foundations 3.0'];
    expect(by('AWS.EC2.VPC.FlowLogs')).toEqual(['3.7']);
    expect(by('AWS.CloudTrail.Meta.S3ObjectWriteEvents')).toEqual(['3.8']);
    expect(by('AWS.CloudTrail.Meta.S3ObjectReadEvents')).toEqual(['3.9']);
    expect(by('AWS.S3.Bucket.SecureTransport')).toEqual(['2.1.1']);
    expect(by('AWS.EC2.SecurityGroup.SSHOpenToWorld')).toEqual(['5.2', '5.3']);
  });

  it('maps FSBP controls under Security Hub\'s IDs, and Security Hub controls outside FSBP under their own key', () => {
    const reports = (id: string) => catalog.policies.find((p) => p.policyId === id)!.reports;
    expect(reports('AWS.S3.Bucket.PublicAccessBlock')['AWS Foundational Security Best Practices']).toEqual(['S3.8']);
    expect(reports('AWS.EC2.Instance.IMDSv2Required')['AWS Foundational Security Best Practices']).toEqual(['EC2.8']);
    // KMS.4 and EC2.13 are Security Hub controls of its CIS / NIST / PCI standards, not of FSBP.
    expect(reports('AWS.KMS.Key.RotationEnabled')['AWS Foundational Security Best Practices']).toBeUndefined();
    expect(reports('AWS.KMS.Key.RotationEnabled')['AWS Security Hub']).toEqual(['KMS.4']);
    expect(reports('AWS.EC2.SecurityGroup.SSHOpenToWorld')['AWS Security Hub']).toEqual(['EC2.13', 'EC2.53', 'EC2.54']);
    const securityHub = findFramework('securityhub')!;
    for (const c of securityHub.controls) expect(findControl(fsbp, c.id), `${c.id} is listed under FSBP and outside it`).toBeUndefined();
  });
});

describe('PCI DSS v4.0.1 and NIST SP 800-53 Rev. 5 in the built-in pack', () => {
  const pci = findFramework('pci-4.0')!;
  const nist = findFramework('nist-800-53-r5')!;
  const controlsOf = (frameworkId: string) => new Set(catalog.policies.flatMap((p) => requirementsOf(p).filter((r) => r.frameworkId === frameworkId).map((r) => r.control)));

  it('maps policies to both, under the spellings the models accept', () => {
    const keys = new Set(catalog.policies.flatMap((p) => Object.keys(p.reports)));
    expect(keys).toContain('PCI DSS v4.0.1');
    expect(keys).toContain('NIST SP 800-53 Rev. 5');
    expect(findFramework('PCI DSS v4.0.1')).toBe(pci);
    expect(findFramework('NIST SP 800-53 Rev. 5')).toBe(nist);
    // Well over a hundred NIST controls and a few dozen PCI requirements are reached by the pack.
    expect(controlsOf(nist.id).size).toBeGreaterThan(100);
    expect(controlsOf(pci.id).size).toBeGreaterThan(25);
  });

  it('every policy that maps PCI or NIST also maps a Security Hub control, FSBP or not (the mapping is AWS\'s, per control)', () => {
    const orphans = catalog.policies
      .filter((p) => requirementsOf(p).some((r) => r.frameworkId === pci.id || r.frameworkId === nist.id))
      .filter((p) => !requirementsOf(p).some((r) => r.frameworkId === 'fsbp' || r.frameworkId === 'securityhub'))
      .map((p) => p.policyId);
    expect(orphans).toEqual([]);
  });

  it('carries AWS\'s published requirements for sample FSBP controls', () => {
    const reports = (id: string) => catalog.policies.find((p) => p.policyId === id)!.reports;
    // S3.8: PCI DSS v4.0.1/1.4.4 and the public-access NIST set (AC-21, AC-3, ..., SC-7(9)).
    expect(reports('AWS.S3.Bucket.PublicAccessBlock')['PCI DSS v4.0.1']).toEqual(['1.4.4']);
    expect(reports('AWS.S3.Bucket.PublicAccessBlock')['NIST SP 800-53 Rev. 5']).toEqual(expect.arrayContaining(['AC-21', 'AC-3(7)', 'SC-7', 'SC-7(9)']));
    // KMS.4: PCI 3.7.4; NIST SC-12, SC-12(2), SC-28(3).
    expect(reports('AWS.KMS.Key.RotationEnabled')['PCI DSS v4.0.1']).toEqual(['3.7.4']);
    expect(reports('AWS.KMS.Key.RotationEnabled')['NIST SP 800-53 Rev. 5']).toEqual(['SC-12', 'SC-12(2)', 'SC-28(3)']);
    // EC2.6 has NIST controls but only a v3.2.1 PCI mapping: no PCI v4.0.1 key at all.
    expect(reports('AWS.EC2.VPC.FlowLogs')['PCI DSS v4.0.1']).toBeUndefined();
    expect(reports('AWS.EC2.VPC.FlowLogs')['NIST SP 800-53 Rev. 5']).toContain('AU-12');
  });

  it('models list only requirements in their own ID syntax, each with a title and its family or principal requirement', () => {
    for (const c of nist.controls) {
      expect(c.id, c.id).toMatch(/^[A-Z]{2}-\d+(\(\d+\))?$/);
      expect(c.section).toBe(c.id.slice(0, 2));
    }
    for (const c of pci.controls) {
      expect(c.id, c.id).toMatch(/^\d{1,2}(\.\d+){1,3}$/);
      expect(Number(c.section)).toBeGreaterThanOrEqual(1);
      expect(Number(c.section)).toBeLessThanOrEqual(12);
      expect(c.id.startsWith(`${c.section}.`)).toBe(true);
    }
    // Partial by design, and the docs say so in place of "not yet complete".
    for (const f of [pci, nist]) {
      expect(f.coverage).toBe('mapped');
      expect(f.scope).toMatch(/not the whole/);
      expect(coverageMarkdown([f], catalog)).toContain(f.scope!);
    }
  });

  it('keeps every built-in policy within ASFF\'s 32 RelatedRequirements, so no mapping is cut off on export', () => {
    const over = catalog.policies.filter((p) => requirementNames(requirementsOf(p)).length > ASFF_MAX_REQUIREMENTS).map((p) => p.policyId);
    expect(over).toEqual([]);
  });
});

describe('framework lookup', () => {
  it('accepts the canonical name, the short ID and the aliases, case-insensitively', () => {
    for (const n of ['CIS AWS Foundations Benchmark v3.0.0', 'cis aws foundations benchmark v3.0', 'CIS-3.0', 'CIS AWS Foundations 3.0']) expect(findFramework(n)?.id).toBe('cis-3.0');
    expect(findFramework('fsbp')?.name).toBe('AWS Foundational Security Best Practices v1.0.0');
    expect(findFramework('pci-4.0')?.id).toBe('pci-4.0');
    expect(findFramework('NIST 800-53 Rev. 5')?.id).toBe('nist-800-53-r5');
    expect(findFramework('SOC 2')).toBeUndefined();
    expect(knownFrameworks()).toContain('cis-3.0 (CIS AWS Foundations Benchmark v3.0.0)');
  });

  it('has unique short IDs and control IDs per framework', () => {
    expect(new Set(FRAMEWORKS.map((f) => f.id)).size).toBe(FRAMEWORKS.length);
    for (const f of FRAMEWORKS) expect(new Set(f.controls.map((c) => c.id)).size, f.id).toBe(f.controls.length);
  });
});

describe('policies/README.md', () => {
  const readme = readFileSync(join(import.meta.dirname, '../../policies/README.md'), 'utf8');

  it('holds the framework coverage the model and the specs give (npm run docs writes it)', () => {
    expect(readme).toBe(withCoverage(readme, coverageMarkdown(FRAMEWORKS, catalog)));
  });

  it('lists every CIS v3.0 control with its policies or the reason it has none', () => {
    const section = coverageMarkdown([cis], catalog);
    for (const id of CIS_3_0_IDS) expect(section, id).toMatch(new RegExp(`^\\| ${id.replaceAll('.', '\\.')} \\| .+ \\| (\`|— )`, 'm'));
  });

  it('lists every FSBP control with its policies, the reason it has none, or "no policy yet"', () => {
    const section = coverageMarkdown([fsbp], catalog);
    expect(section).toContain(`The complete list: all ${fsbp.controls.length} controls of the framework;`);
    for (const c of fsbp.controls) expect(section, c.id).toMatch(new RegExp(`^\\| ${c.id.replaceAll('.', '\\.')} \\| .+ \\| (\`|— )`, 'm'));
    for (const id of FSBP_NO_POLICY_YET) expect(section, id).toMatch(new RegExp(`^\\| ${id.replaceAll('.', '\\.')} \\| .+ \\| — no policy yet \\|$`, 'm'));
  });

  it('refuses a README without the markers, in one line naming the file', () => {
    expect(() => withCoverage('# pack\n', 'x')).toThrow(/^policies\/README\.md: the framework coverage markers are missing/);
  });
});
