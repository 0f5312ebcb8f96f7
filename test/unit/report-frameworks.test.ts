/** The report's framework sections: one per framework with controls, statuses, policies and escaped evidence. */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/cli/report/report-html.ts';
import { MAX_EVIDENCE_ROWS } from '../../src/cli/report/frameworks-html.ts';
import type { PolicyCatalog } from '../../src/compliance/catalog.ts';
import type { Finding } from '../../src/compliance/findings.ts';
import { allFrameworkStatus } from '../../src/compliance/frameworks/status.ts';
import { aFinding } from '../helpers/finding.ts';

const A = '111111111111';
const catalog: PolicyCatalog = {
  source: 'test',
  policies: [
    {
      policyId: 'P.Flow',
      displayName: null,
      severity: 'Medium',
      resourceTypes: ['AWS.EC2.VPC'],
      enabled: true,
      reports: { 'CIS AWS Foundations 3.0': ['3.7'] },
      description: null,
      runbook: null,
      reference: null,
    },
  ],
};

const fail = (i: number): Finding => aFinding({
  accountId: A,
  resourceId: `vpc-<b>${i}</b>`,
  resourceType: 'AWS.EC2.VPC',
  policyId: 'P.Flow',
  lastVerified: null,
  verifiedBy: null,
});

describe('report framework sections', () => {
  const findings = Array.from({ length: MAX_EVIDENCE_ROWS + 3 }, (_, i) => fail(i));
  const frameworks = allFrameworkStatus({ catalog, findings, unread: [], accounts: [A] });
  const html = renderReport({ title: 'r', generatedAt: new Date('2026-06-15T00:00:00Z'), findings, notEvaluated: [], frameworks });

  it('renders a section per framework with controls, escaped, with the evidence capped', () => {
    expect(html).toContain('<h2>Compliance frameworks</h2>');
    expect(html).toContain('<a href="#framework-cis-3.0" class="sub" title="CIS AWS Foundations Benchmark v3.0.0">cis-3.0 (1 failing)</a>');
    expect(html).toContain('id="framework-cis-3.0"');
    // FSBP and PCI DSS list their mapped controls (all not automatable here); a framework with no
    // control to show gets no section.
    expect(html).toContain('id="framework-fsbp"');
    expect(html).toContain('id="framework-pci-4.0"');
    // A partial list says what it is (the model's scope for PCI DSS); FSBP's list is complete, so
    // its section carries no such note.
    const pciSection = html.slice(html.indexOf('id="framework-pci-4.0"'));
    expect(pciSection.slice(0, 3000)).toContain('not the whole standard');
    expect(html.slice(html.indexOf('id="framework-fsbp"'), html.indexOf('id="framework-pci-4.0"'))).not.toContain('Only the controls the active pack maps to are listed.');
    const empty = { ...frameworks.find((f) => f.id === 'pci-4.0')!, controls: [] };
    const withEmpty = renderReport({ title: 'r', generatedAt: new Date('2026-06-15T00:00:00Z'), findings, notEvaluated: [], frameworks: [frameworks[0]!, empty] });
    expect(withEmpty).toContain('id="framework-cis-3.0"');
    expect(withEmpty).not.toContain('id="framework-pci-4.0"');
    const cis = html.slice(html.indexOf('id="framework-cis-3.0"'), html.indexOf('id="framework-fsbp"'));
    expect(cis).toContain('62 controls: 0 passing, 1 failing');
    expect(cis).toMatch(/<tr class="fail"><td class="nw">3\.7<\/td>/);
    expect(cis).toContain('<code class="id"><span>vpc-&lt;b&gt;0&lt;</span>/<wbr><span>b&gt;</span></code>');
    expect(cis).not.toContain('<b>0</b>');
    expect(cis).toContain('and 3 more');
    // 4.1 is automated in the benchmark (Posture lacks the data); 1.1 the benchmark leaves to an auditor.
    expect(cis).toMatch(/<tr class="suppressed"><td class="nw">4\.1<\/td>.*<td class="status">Not automatable<br>/);
    expect(cis).toMatch(/<tr class="suppressed"><td class="nw">1\.1<\/td>.*<td class="status">Not automatable \(manual\)<br>/);
  });

  it('without framework statuses the page has no framework section', () => {
    expect(renderReport({ title: 'r', generatedAt: new Date(), findings, notEvaluated: [] })).not.toContain('Compliance frameworks');
  });
});
