/**
 * Framework packs as a choice: `--frameworks` / `posture:frameworks` names resolve (as `posture
 * compliance --framework` does, plus the `cis` family and `all`) into the Reports keys the engine
 * leaves out; the built-in pack's catalog, read by the engine with that choice, says which run.
 */
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/compliance/frameworks/index.ts';
import { chooseFrameworks, choiceEnv, describeChoice, frameworkNames, FrameworkChoiceError, REPORTS_DESELECT_ENV } from '../../src/compliance/frameworks/selection.ts';
import { BUILTIN_PACK, readCatalog } from '../../src/cli/policy-catalog.ts';
import { targetFrameworks } from '../../src/cli/target-frameworks.ts';
import { OUTPUTS } from '../../lib/outputs.ts';

const FSBP_KEY = 'AWS Foundational Security Best Practices';
const CIS_3 = 'CIS AWS Foundations 3.0';
const CIS_1_2 = 'CIS AWS Foundations 1.2.0';

describe('chooseFrameworks', () => {
  it('defaults to CIS (every version) and FSBP, leaving PCI DSS and NIST out', () => {
    const c = chooseFrameworks();
    expect(c.frameworks).toEqual(['cis-3.0', 'fsbp', 'cis-1.4', 'cis-1.2']);
    expect(c.all).toBe(false);
    expect(c.deselectedKeys).toEqual(expect.arrayContaining(['PCI DSS v4.0.1', 'pci-4.0', 'PCI DSS 4.0', 'NIST SP 800-53 Revision 5', 'nist-800-53-r5', 'NIST.800-53.r5']));
    for (const key of [FSBP_KEY, CIS_3, CIS_1_2, 'fsbp', 'cis-3.0']) expect(c.deselectedKeys.map((k) => k.toLowerCase())).not.toContain(key.toLowerCase());
  });

  it('takes IDs, names and aliases in any case; cis is every version, cis-3.0 only v3.0', () => {
    expect(chooseFrameworks(['FSBP']).frameworks).toEqual(['fsbp']);
    expect(chooseFrameworks([' aws foundational security best practices ']).frameworks).toEqual(['fsbp']);
    expect(chooseFrameworks(['CIS']).frameworks).toEqual(['cis-3.0', 'cis-1.4', 'cis-1.2']);
    const v3 = chooseFrameworks(['cis-3.0']);
    expect(v3.frameworks).toEqual(['cis-3.0']);
    expect(v3.deselectedKeys).toContain(CIS_1_2);
    expect(v3.deselectedKeys).toContain(FSBP_KEY);
    expect(chooseFrameworks(['pci', 'nist']).frameworks).toEqual(['pci-4.0', 'nist-800-53-r5']);
  });

  it('all: every framework, nothing left out', () => {
    const c = chooseFrameworks(['fsbp', 'ALL']);
    expect(c).toEqual({ frameworks: FRAMEWORKS.map((f) => f.id), all: true, deselectedKeys: [] });
    expect(describeChoice(c)).toBe('all');
    expect(choiceEnv(c)).toEqual({ [REPORTS_DESELECT_ENV]: '[]' });
  });

  it('an unknown name or none is one line naming the known ones', () => {
    expect(() => chooseFrameworks(['fsbp', 'nope'])).toThrow(FrameworkChoiceError);
    let message = '';
    try {
      chooseFrameworks(['nope']);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^'nope' is not a known framework; known: all, cis \(every version\), .*fsbp \(AWS Foundational Security Best Practices v1\.0\.0\)/);
    expect(message).not.toContain('\n');
    expect(() => chooseFrameworks([])).toThrow(/^give at least one framework; known: all/);
  });

  it('reads comma-separated and repeated values', () => {
    expect(frameworkNames('fsbp, cis,,')).toEqual(['fsbp', 'cis']);
    expect(frameworkNames(['fsbp', 'cis-3.0,pci'])).toEqual(['fsbp', 'cis-3.0', 'pci']);
  });
});

describe('the built-in pack under a choice (the engine decides: posture_engine.reports_select)', () => {
  const selected = (names: string[]) => {
    const catalog = readCatalog(BUILTIN_PACK, chooseFrameworks(names));
    return new Map(catalog.policies.map((p) => [p.policyId, p]));
  };

  it('keeps a policy reporting to a chosen framework and disables the others, as Enabled: false', () => {
    const fsbp = selected(['fsbp']);
    const s38 = [...fsbp.values()].find((p) => p.reports[FSBP_KEY]?.includes('S3.8'))!;
    expect([s38.selected, s38.enabled]).toEqual([true, true]);
    // Mapped to CIS v1.2.0 (and to IAM.17, a Security Hub control outside FSBP, and PCI): a CIS
    // policy, left out by fsbp and by cis-3.0, kept by cis.
    const maxAge = fsbp.get('AWS.PasswordPolicy.PasswordMaxAge')!;
    expect(Object.keys(maxAge.reports)).toContain(CIS_1_2);
    expect(Object.keys(maxAge.reports)).not.toContain(FSBP_KEY);
    expect(Object.keys(maxAge.reports)).not.toContain('CIS AWS Foundations 3.0');
    expect([maxAge.selected, maxAge.enabled]).toEqual([false, false]);
    expect(selected(['cis-3.0']).get('AWS.PasswordPolicy.PasswordMaxAge')!.selected).toBe(false);
    expect(selected(['cis']).get('AWS.PasswordPolicy.PasswordMaxAge')!.selected).toBe(true);
    for (const p of fsbp.values()) expect(p.selected).toBe(Object.keys(p.reports).length === 0 || FSBP_KEY in p.reports);
  });

  it('without a choice every policy is selected', () => {
    expect(readCatalog(BUILTIN_PACK).policies.every((p) => p.selected === true)).toBe(true);
  });
});

describe("a target's choice (what posture upload, exceptions and catalogs evaluate with)", () => {
  it("is a stack's Frameworks output, every policy for a stack without it, the default for a local runtime", () => {
    expect(targetFrameworks({ kind: 'stack', outputs: { [OUTPUTS.frameworks]: 'cis-3.0, fsbp' } })?.frameworks).toEqual(['cis-3.0', 'fsbp']);
    expect(targetFrameworks({ kind: 'stack', outputs: { [OUTPUTS.frameworks]: 'all' } })?.all).toBe(true);
    expect(targetFrameworks({ kind: 'stack', outputs: {} })).toBeUndefined();
    expect(targetFrameworks({ kind: 'local', outputs: {} })).toEqual(chooseFrameworks());
  });
});
