/**
 * The Connect-an-account wizard: account (name, ID, advanced exclusions) → role set-up (quick-create
 * link, CloudFormation and Terraform with the parameters filled, or a manual role's permissions) →
 * verification (the checks of `posture accounts verify`, each shown) → finish (the account is saved
 * and its baseline scan started; its progress is read from the ledger until its findings show).
 */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import Textarea from '@cloudscape-design/components/textarea';
import Wizard from '@cloudscape-design/components/wizard';
import { useEffect, useState, type ReactNode } from 'react';
import type { z } from 'zod';
import { createdSchema, scanProgressSchema, setupSchema, verifySchema, type Setup } from '#console/contract/accounts.ts';
import { apiCall } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';

type Verify = z.infer<typeof verifySchema>;
type Progress = z.infer<typeof scanProgressSchema>;

const lines = (s: string): string[] =>
  s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter(Boolean);

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

function CodeBlock({ label, text, file }: { label: string; text: string; file: string }) {
  return (
    <SpaceBetween size="xs">
      <SpaceBetween size="xs" direction="horizontal">
        <CopyToClipboard variant="button" textToCopy={text} copyButtonText={`Copy ${label}`} copySuccessText={`${label} copied`} copyErrorText="Could not copy" />
        <Button iconName="download" onClick={() => download(file, text)}>
          Download {file}
        </Button>
      </SpaceBetween>
      <Box variant="code">
        <pre style={{ maxHeight: 320, overflow: 'auto', margin: 0 }} aria-label={label} tabIndex={0}>
          {text}
        </pre>
      </Box>
    </SpaceBetween>
  );
}

function SetupStep({ setup }: { setup: Setup }) {
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Parameters</Header>}>
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'ExternalId', value: <span data-testid="external-id">{setup.externalId}</span> },
            { label: 'Security account', value: setup.securityAccountId },
            { label: 'Central event bus', value: setup.eventBusArn },
            { label: 'Audit role name', value: setup.auditRoleName },
          ]}
        />
      </Container>
      <Tabs
        tabs={[
          {
            id: 'quick',
            label: 'Quick-create stack',
            content: (
              <SpaceBetween size="s">
                <Box>Signed in to the member account in the AWS console, open the link: CloudFormation creates the audit role and the event rules with these parameters.</Box>
                <Link external href={setup.quickCreateUrl} data-testid="quick-create">
                  Launch the member stack (CloudFormation quick-create)
                </Link>
              </SpaceBetween>
            ),
          },
          { id: 'cfn', label: 'CloudFormation', content: <CodeBlock label="CloudFormation template" text={setup.cloudFormation} file="posture-member.yml" /> },
          {
            id: 'tf',
            label: 'Terraform',
            content: (
              <SpaceBetween size="m">
                {Object.entries(setup.terraform).map(([f, text]) => (
                  <CodeBlock key={f} label={`Terraform ${f}`} text={text} file={f} />
                ))}
              </SpaceBetween>
            ),
          },
          {
            id: 'manual',
            label: 'Manual role',
            content: (
              <SpaceBetween size="m">
                <Box>
                  Create the role <strong>{setup.auditRoleName}</strong> with this trust policy, attach <code>{setup.manual.managedPolicyArn}</code>, and allow these {setup.manual.extraActions.length} read actions on
                  all resources. The event rules come from the templates.
                </Box>
                <CodeBlock label="Trust policy" text={setup.manual.trustPolicy} file="trust-policy.json" />
                <CodeBlock label="Extra read actions" text={setup.manual.extraActions.join('\n')} file="extra-actions.txt" />
              </SpaceBetween>
            ),
          },
        ]}
      />
    </SpaceBetween>
  );
}

const STATUS = { pass: 'success', fail: 'error', skip: 'stopped' } as const;

function VerifyStep({ verify, running, onRun }: { verify: Verify | undefined; running: boolean; onRun: () => void }) {
  return (
    <Container
      header={
        <Header
          variant="h2"
          description="The checks of posture accounts verify: the role assumable with the ExternalId, its permissions, the event rules per region, a canary through the real-time path."
          actions={
            <Button onClick={onRun} loading={running}>
              Run verification
            </Button>
          }
        >
          Verification
        </Header>
      }
    >
      {verify && (
        <SpaceBetween size="m">
          {verify.ok ? <StatusIndicator type="success">Verification passed</StatusIndicator> : <StatusIndicator type="error">Verification failed: fix the set-up and run it again</StatusIndicator>}
          <Table
            variant="embedded"
            items={verify.checks}
            trackBy="name"
            wrapLines
            columnDefinitions={[
              { id: 'name', header: 'Check', cell: (c) => c.name },
              { id: 'status', header: 'Result', cell: (c) => <StatusIndicator type={STATUS[c.status]}>{c.status}</StatusIndicator> },
              { id: 'detail', header: 'Detail', cell: (c) => c.detail },
            ]}
          />
        </SpaceBetween>
      )}
    </Container>
  );
}

function ScanProgress({ runId, onDone }: { runId: string; onDone: () => void }) {
  const [p, setP] = useState<Progress>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () =>
      apiCall(`/accounts/scans/${encodeURIComponent(runId)}`, scanProgressSchema).then(
        (r) => {
          if (!live) return;
          setP(r);
          if (r.run.state === 'RUNNING') timer = setTimeout(poll, 1000);
        },
        (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
      );
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [runId]);
  const recorded = p?.recorded?.scopes ?? 0;
  const planned = p?.run.planned;
  return (
    <Container header={<Header variant="h2">Baseline scan</Header>}>
      <SpaceBetween size="m">
        {error && <ErrorFlash message={error} />}
        <ProgressBar
          label="Scopes recorded in the scan ledger"
          value={p?.run.state === 'SUCCEEDED' ? 100 : planned ? Math.min(99, Math.round((recorded / planned) * 100)) : 0}
          status={p?.run.state === 'FAILED' ? 'error' : p?.run.state === 'SUCCEEDED' ? 'success' : 'in-progress'}
          description={`${recorded}${planned ? ` of ${planned}` : ''} scope(s) recorded${p?.recorded ? `: ${p.recorded.ok} OK, ${p.recorded.notEvaluated} not evaluated` : ''}`}
          resultText={p?.run.state === 'FAILED' ? `The scan failed: ${p.run.error ?? ''}` : 'Baseline scan finished'}
        />
        {p?.findings && (
          <SpaceBetween size="s">
            <Box data-testid="baseline-findings">{`Baseline findings: ${p.findings.fail} failing, ${p.findings.pass} passing`}</Box>
            <Table
              variant="embedded"
              items={p.findings.failing}
              trackBy={(f) => `${f.policyId}${f.resourceId}`}
              wrapLines
              empty={<Box textAlign="center">No failing result</Box>}
              columnDefinitions={[
                { id: 'policy', header: 'Policy', cell: (f) => f.policyId },
                { id: 'resource', header: 'Resource', cell: (f) => f.resourceId },
                { id: 'severity', header: 'Severity', cell: (f) => f.severity },
              ]}
            />
            <Button onClick={onDone}>Back to Cloud accounts</Button>
          </SpaceBetween>
        )}
      </SpaceBetween>
    </Container>
  );
}

function Field({ label, description, children }: { label: string; description?: string; children: ReactNode }) {
  return (
    <FormField label={label} description={description}>
      {children}
    </FormField>
  );
}

export function ConnectAccountWizard({ onDone }: { onDone: () => void }) {
  const [step, setStep] = useState(0);
  const [name, setName] = useState('');
  const [accountId, setAccountId] = useState('');
  const [regions, setRegions] = useState('');
  const [types, setTypes] = useState('');
  const [patterns, setPatterns] = useState('');
  const [setup, setSetup] = useState<Setup>();
  const [verify, setVerify] = useState<Verify>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [runId, setRunId] = useState<string>();

  const account = () => ({ accountId: accountId.trim(), name: name.trim(), excludeRegions: lines(regions), excludeTypes: lines(types), excludeResources: lines(patterns) });
  const call = async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const runVerify = async () => {
    if (!setup) return;
    const r = await call(() => apiCall('/accounts/verify', verifySchema, { method: 'POST', body: JSON.stringify({ ...account(), externalId: setup.externalId }) }));
    if (r) setVerify(r);
  };

  if (runId) return <ScanProgress runId={runId} onDone={onDone} />;
  return (
    <SpaceBetween size="m">
      {error && <ErrorFlash message={error} />}
      <Wizard
        activeStepIndex={step}
        isLoadingNextStep={busy}
        onCancel={onDone}
        onNavigate={async ({ detail }) => {
          if (detail.requestedStepIndex === 1 && step === 0) {
            // Set-up validates the account and keeps one ExternalId for the wizard's whole run.
            const s = await call(() => apiCall('/accounts/setup', setupSchema, { method: 'POST', body: JSON.stringify({ ...account(), ...(setup ? { externalId: setup.externalId } : {}) }) }));
            if (!s) return;
            setSetup(s);
          }
          setStep(detail.requestedStepIndex);
        }}
        onSubmit={async () => {
          if (!setup) return;
          const r = await call(() => apiCall('/accounts', createdSchema, { method: 'POST', body: JSON.stringify({ ...account(), externalId: setup.externalId }) }));
          if (r) setRunId(r.run.runId);
        }}
        i18nStrings={{
          stepNumberLabel: (n) => `Step ${n}`,
          collapsedStepsLabel: (n, total) => `Step ${n} of ${total}`,
          navigationAriaLabel: 'Steps',
          cancelButton: 'Cancel',
          previousButton: 'Previous',
          nextButton: 'Next',
          submitButton: 'Connect and scan',
          optional: 'optional',
        }}
        steps={[
          {
            title: 'Account',
            description: 'The member account to scan.',
            content: (
              <Container header={<Header variant="h2">Account details</Header>}>
                <SpaceBetween size="l">
                  <Field label="Name">
                    <Input value={name} onChange={(e) => setName(e.detail.value)} ariaLabel="Name" placeholder="production" />
                  </Field>
                  <Field label="Account ID" description="12 digits">
                    <Input value={accountId} onChange={(e) => setAccountId(e.detail.value)} ariaLabel="Account ID" inputMode="numeric" />
                  </Field>
                  <ExpandableSection headerText="Advanced: exclusions">
                    <SpaceBetween size="m">
                      <Field label="Excluded regions" description="One per line, e.g. ap-south-1">
                        <Textarea value={regions} onChange={(e) => setRegions(e.detail.value)} ariaLabel="Excluded regions" />
                      </Field>
                      <Field label="Excluded resource types" description="One per line, e.g. AWS.EC2.Volume">
                        <Textarea value={types} onChange={(e) => setTypes(e.detail.value)} ariaLabel="Excluded resource types" />
                      </Field>
                      <Field label="Excluded resource-ID patterns" description="Regular expressions, one per line">
                        <Textarea value={patterns} onChange={(e) => setPatterns(e.detail.value)} ariaLabel="Excluded resource-ID patterns" />
                      </Field>
                    </SpaceBetween>
                  </ExpandableSection>
                </SpaceBetween>
              </Container>
            ),
          },
          { title: 'Role set-up', description: 'Deploy the audit role and event rules in the member account.', content: setup ? <SetupStep setup={setup} /> : <Box /> },
          { title: 'Verification', content: <VerifyStep verify={verify} running={busy} onRun={() => void runVerify()} /> },
          {
            title: 'Finish',
            content: (
              <SpaceBetween size="m">
                {!verify?.ok && <Alert type="warning">Verification has not passed: the account can be saved, but scopes it cannot read are reported as not evaluated.</Alert>}
                <Container header={<Header variant="h2">Review</Header>}>
                  <KeyValuePairs
                    columns={2}
                    items={[
                      { label: 'Name', value: name },
                      { label: 'Account ID', value: accountId },
                      { label: 'Excluded regions', value: lines(regions).length ? lines(regions).join(', ') : 'none' },
                      { label: 'Excluded resource types', value: lines(types).join(', ') || 'none' },
                      { label: 'Excluded resource-ID patterns', value: lines(patterns).join(', ') || 'none' },
                    ]}
                  />
                </Container>
              </SpaceBetween>
            ),
          },
        ]}
      />
    </SpaceBetween>
  );
}
