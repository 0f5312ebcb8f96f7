/**
 * The policy editor: the Python source in a CodeEditor (Ace, bundled; no eval, its worker from
 * blob: is what the CSP allows), the spec's fields as a form, and the engine's actions on the
 * draft — Run tests (PAT-style results), Test against live resources, Save (the impact preview in
 * a Modal, then Publish with the preview's hash) and the enable/disable toggle (a publish of the
 * changed spec). A role without managePolicies sees the policy read-only and no actions.
 */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import CodeEditor, { type CodeEditorProps } from '@cloudscape-design/components/code-editor';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import Toggle from '@cloudscape-design/components/toggle';
import ace from 'ace-builds';
import 'ace-builds/src-noconflict/ext-language_tools';
import 'ace-builds/src-noconflict/mode-python';
import 'ace-builds/src-noconflict/snippets/python';
import 'ace-builds/src-noconflict/theme-dawn';
import 'ace-builds/src-noconflict/theme-tomorrow_night_bright';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import {
  impactPreviewSchema,
  liveTestResultsSchema,
  policyDetailSchema,
  policyDraftSchema,
  publishResultSchema,
  testResultsSchema,
  type ImpactPreview,
  type LiveTestResults,
  type PolicyDraft,
  type PublishResult,
  type TestResults,
} from '#console/contract/detections.ts';
import { SEVERITIES } from '#core/types.ts';
import { apiCall } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';
import { useCan } from '../session.tsx';

const LIST_FIELDS = ['ResourceTypes', 'Tags', 'OutputIds', 'Suppressions'] as const;
const TEXT_FIELDS = ['DisplayName', 'Description', 'Runbook', 'Reference'] as const;
const JSON_FIELDS = ['Reports', 'Tests'] as const;

type Form = Record<string, string>;

const toForm = (spec: PolicyDraft['spec']): Form => {
  const f: Form = {};
  for (const k of TEXT_FIELDS) f[k] = typeof spec[k] === 'string' ? (spec[k] as string) : '';
  for (const k of LIST_FIELDS) f[k] = Array.isArray(spec[k]) ? (spec[k] as unknown[]).join(', ') : '';
  for (const k of JSON_FIELDS) f[k] = spec[k] === undefined ? '' : JSON.stringify(spec[k], null, 2);
  return f;
};

/** The spec from the form: what the API (and then the engine) validates. */
function toSpec(base: PolicyDraft['spec'], form: Form, enabled: boolean, severity: string): PolicyDraft['spec'] {
  const spec: Record<string, unknown> = { ...base, Enabled: enabled, Severity: severity, PolicyID: form.PolicyID ?? base.PolicyID, Filename: form.Filename ?? base.Filename };
  for (const k of TEXT_FIELDS) if (form[k]) spec[k] = form[k];
  else delete spec[k];
  for (const k of LIST_FIELDS) {
    const items = (form[k] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length || k === 'ResourceTypes') spec[k] = items;
    else delete spec[k];
  }
  for (const k of JSON_FIELDS) {
    if (!form[k]?.trim()) delete spec[k];
    else {
      try {
        spec[k] = JSON.parse(form[k]!) as unknown;
      } catch {
        throw new Error(`${k}: is not valid JSON`);
      }
    }
  }
  return spec as PolicyDraft['spec'];
}

const post = <S extends z.ZodType>(path: string, schema: S, body: unknown) => apiCall(path, schema, { method: 'POST', body: JSON.stringify(body) });

function TestPanel({ r }: { r: TestResults }) {
  return (
    <Container header={<Header variant="h2" counter={`(${r.passed} passed, ${r.failed} failed)`}>Test results</Header>}>
      <SpaceBetween size="s">
        {r.errors.map((e) => (
          <Alert key={e} type="error">
            {e}
          </Alert>
        ))}
        {r.cases.length === 0 && r.errors.length === 0 && <Box>The policy has no unit tests (a published bundle carries none).</Box>}
        {r.cases.map((c) => (
          <div key={c.name} data-testid="test-case">
            <StatusIndicator type={c.passed ? 'success' : 'error'}>
              [{c.passed ? 'PASS' : 'FAIL'}] {c.name}
            </StatusIndicator>
            {c.problems.map((p) => (
              <Box key={p} variant="small" padding={{ left: 'l' }}>
                {p}
              </Box>
            ))}
          </div>
        ))}
      </SpaceBetween>
    </Container>
  );
}

function ImpactBody({ p }: { p: ImpactPreview }) {
  if (p.unchanged) return <Box>The draft is what the active pack already holds: nothing to publish.</Box>;
  return (
    <SpaceBetween size="m">
      <Box>
        Re-evaluates {p.resources} stored resources against the new pack (from {p.from}, bundle {p.hash.fromHash.slice(0, 12)} → {p.hash.toHash.slice(0, 12)}).
      </Box>
      <ColumnLayout columns={4} variant="text-grid">
        <div data-testid="impact-new-failures">+{p.totals.newFailures} new failures</div>
        <div data-testid="impact-resolved">−{p.totals.resolved} resolved</div>
        <div>{p.totals.suppressedByException} suppressed by an exception</div>
        <div data-testid="impact-errors">{p.totals.newErrors} new errors</div>
      </ColumnLayout>
      <Table
        variant="embedded"
        items={p.policies}
        empty="No finding changes"
        columnDefinitions={[
          { id: 'p', header: 'Policy', cell: (x) => x.policyId },
          { id: 'c', header: 'Change', cell: (x) => x.change },
          { id: 'e', header: 'Evaluated', cell: (x) => x.evaluated },
          { id: 'n', header: 'New failures', cell: (x) => x.newFailures.length },
          { id: 'r', header: 'Resolved', cell: (x) => x.resolved.length },
          { id: 'x', header: 'New errors', cell: (x) => x.newErrors.length },
        ]}
      />
    </SpaceBetween>
  );
}

export function DetectionsEditor({ policyId, newType }: { policyId: string | null; newType: string | null }) {
  const canManage = useCan('managePolicies');
  const [draft, setDraft] = useState<PolicyDraft>();
  const [counts, setCounts] = useState<{ passing: number; failing: number }>();
  const [form, setForm] = useState<Form>({});
  const [source, setSource] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [severity, setSeverity] = useState('Medium');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [tests, setTests] = useState<TestResults>();
  const [live, setLive] = useState<LiveTestResults>();
  const [preview, setPreview] = useState<{ draft: PolicyDraft; impact: ImpactPreview }>();
  const [published, setPublished] = useState<PublishResult>();
  const [prefs, setPrefs] = useState<Partial<CodeEditorProps.Preferences>>({ wrapLines: true });

  useEffect(() => {
    const load = policyId
      ? apiCall(`/policies/${encodeURIComponent(policyId)}`, policyDetailSchema).then((d) => (setCounts({ passing: d.passing, failing: d.failing }), d))
      : apiCall(`/policies/template?resourceType=${encodeURIComponent(newType ?? '')}`, policyDraftSchema);
    load.then(
      (d) => {
        setDraft({ spec: d.spec, source: d.source });
        setForm({ ...toForm(d.spec), PolicyID: d.spec.PolicyID, Filename: d.spec.Filename });
        setSource(d.source);
        setEnabled(d.spec.Enabled !== false);
        setSeverity(typeof d.spec.Severity === 'string' ? d.spec.Severity : 'Medium');
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [policyId, newType]);

  const current = (overrides: { enabled?: boolean } = {}): PolicyDraft => ({ spec: toSpec(draft!.spec, form, overrides.enabled ?? enabled, severity), source });
  const act = async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(undefined);
    }
  };
  const runTests = () => act('tests', async () => setTests(await post('/policies/test', testResultsSchema, { draft: current() })));
  const testLive = (cursor?: string) => act('live', async () => setLive(await post('/policies/evaluate', liveTestResultsSchema, { draft: current(), ...(cursor ? { cursor } : {}) })));
  const save = (overrides: { enabled?: boolean } = {}) =>
    act('preview', async () => {
      const d = current(overrides);
      setPublished(undefined);
      setPreview({ draft: d, impact: await post('/policies/preview', impactPreviewSchema, { draft: d }) });
    });
  const publish = () =>
    act('publish', async () => {
      const result = await post('/policies/publish', publishResultSchema, { draft: preview!.draft, confirm: preview!.impact.hash });
      setDraft(preview!.draft);
      setEnabled(preview!.draft.spec.Enabled !== false);
      setPreview(undefined);
      setPublished(result);
    });

  if (!draft) return error ? <ErrorFlash message={error} /> : <Spinner size="large" />;
  const field = (k: string, label: string, kind: 'input' | 'area' = 'input', description?: string) => (
    <FormField key={k} label={label} description={description}>
      {kind === 'input' ? (
        <Input value={form[k] ?? ''} readOnly={!canManage} onChange={(e) => setForm({ ...form, [k]: e.detail.value })} ariaLabel={label} />
      ) : (
        <Textarea value={form[k] ?? ''} readOnly={!canManage} rows={k === 'Tests' ? 12 : 4} onChange={(e) => setForm({ ...form, [k]: e.detail.value })} ariaLabel={label} />
      )}
    </FormField>
  );
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={counts ? `${counts.passing} passing, ${counts.failing} failing stored resources` : 'A new policy from the template'}
          actions={
            canManage && (
              <SpaceBetween direction="horizontal" size="xs">
                <Toggle checked={enabled} disabled={Boolean(busy) || !policyId} onChange={(e) => void save({ enabled: e.detail.checked })}>
                  Enabled
                </Toggle>
                <Button onClick={() => void runTests()} loading={busy === 'tests'} disabled={Boolean(busy)}>
                  Run tests
                </Button>
                <Button onClick={() => void testLive()} loading={busy === 'live'} disabled={Boolean(busy)}>
                  Test against live resources
                </Button>
                <Button variant="primary" onClick={() => void save()} loading={busy === 'preview'} disabled={Boolean(busy)}>
                  Save
                </Button>
              </SpaceBetween>
            )
          }
        >
          {form.PolicyID || 'New policy'}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {error && <ErrorFlash message={error} />}
        {published && (
          <Alert type="success" header="Published">
            Bundle {published.contentHash.slice(0, 12)} is active: {published.written.changed} compliance changes, {published.written.alertsOpened} alerts opened, {published.written.alertsResolved} resolved.
          </Alert>
        )}
        <Container header={<Header variant="h2">Python source</Header>}>
          <CodeEditor
            ace={ace}
            language="python"
            value={source}
            onDelayedChange={(e) => canManage && setSource(e.detail.value)}
            preferences={prefs}
            onPreferencesChange={(e) => setPrefs(e.detail)}
            loading={false}
            themes={{ light: ['dawn'], dark: ['tomorrow_night_bright'] }}
            editorContentHeight={320}
            i18nStrings={{ loadingState: 'Loading the code editor', errorState: 'The code editor failed to load', errorStateRecovery: 'Retry', editorGroupAriaLabel: 'Python source editor', statusBarGroupAriaLabel: 'Status bar', cursorPosition: (row, column) => `Ln ${row}, Col ${column}`, errorsTab: 'Errors', warningsTab: 'Warnings', preferencesButtonAriaLabel: 'Preferences', paneCloseButtonAriaLabel: 'Close', preferencesModalHeader: 'Preferences', preferencesModalCancel: 'Cancel', preferencesModalConfirm: 'Confirm', preferencesModalWrapLines: 'Wrap lines', preferencesModalTheme: 'Theme', preferencesModalLightThemes: 'Light themes', preferencesModalDarkThemes: 'Dark themes', resizeHandleAriaLabel: 'Resize the editor', resizeHandleTooltipText: 'Drag or use the arrow keys to resize' }}
          />
        </Container>
        {tests && <TestPanel r={tests} />}
        {live && (
          <Table
            header={
              <Header
                variant="h2"
                counter={`(${live.results.length})`}
                description={`Stored ${live.resourceType} resources, evaluated with the draft (one page at a time)`}
                actions={live.next && <Button onClick={() => void testLive(live.next)} disabled={Boolean(busy)}>Next page of resources</Button>}
              >
                Live resources
              </Header>
            }
            items={live.results}
            empty="No stored resources of this type"
            columnDefinitions={[
              { id: 'id', header: 'Resource', cell: (r) => r.resourceId },
              { id: 'acct', header: 'Account', cell: (r) => r.accountId },
              { id: 'region', header: 'Region', cell: (r) => r.region },
              { id: 'status', header: 'Result', cell: (r) => <StatusIndicator type={r.status === 'PASS' ? 'success' : r.status === 'FAIL' ? 'error' : 'warning'}>{r.status}</StatusIndicator> },
              { id: 'why', header: 'Title or error', cell: (r) => r.errorMessage ?? r.title ?? '–' },
            ]}
          />
        )}
        <Container header={<Header variant="h2">Spec</Header>}>
          <ColumnLayout columns={2}>
            <SpaceBetween size="s">
              <FormField label="PolicyID">
                <Input value={form.PolicyID ?? ''} readOnly={!canManage || Boolean(policyId)} onChange={(e) => setForm({ ...form, PolicyID: e.detail.value })} ariaLabel="PolicyID" />
              </FormField>
              <FormField label="Filename">
                <Input value={form.Filename ?? ''} readOnly={!canManage || Boolean(policyId)} onChange={(e) => setForm({ ...form, Filename: e.detail.value })} ariaLabel="Filename" />
              </FormField>
              <FormField label="Severity">
                <Select
                  selectedOption={{ value: severity, label: severity }}
                  disabled={!canManage}
                  onChange={(e) => setSeverity(e.detail.selectedOption.value ?? 'Medium')}
                  options={SEVERITIES.map((s) => ({ value: s, label: s }))}
                  ariaLabel="Severity"
                />
              </FormField>
              {field('DisplayName', 'DisplayName')}
              {field('ResourceTypes', 'ResourceTypes', 'input', 'Comma-separated; empty: every type')}
              {field('Tags', 'Tags', 'input', 'Comma-separated')}
              {field('OutputIds', 'OutputIds', 'input', 'Destination overrides: destination IDs (comma-separated)')}
              {field('Suppressions', 'Suppressions', 'input', 'Resource ID patterns to ignore (comma-separated)')}
              {field('Reference', 'Reference')}
            </SpaceBetween>
            <SpaceBetween size="s">
              {field('Description', 'Description', 'area')}
              {field('Runbook', 'Runbook', 'area')}
              {field('Reports', 'Reports', 'area', 'Framework → control IDs (JSON)')}
              {field('Tests', 'Tests', 'area', 'Unit tests (JSON)')}
            </SpaceBetween>
          </ColumnLayout>
        </Container>
      </SpaceBetween>
      <Modal
        visible={Boolean(preview)}
        onDismiss={() => setPreview(undefined)}
        header="Impact of publishing"
        closeAriaLabel="Close"
        size="large"
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setPreview(undefined)}>
                Cancel
              </Button>
              <Button variant="primary" disabled={!preview || preview.impact.unchanged} loading={busy === 'publish'} onClick={() => void publish()}>
                Publish
              </Button>
            </SpaceBetween>
          </Box>
        }
      >
        {error && <ErrorFlash message={error} />}
        {preview && <ImpactBody p={preview.impact} />}
      </Modal>
    </ContentLayout>
  );
}
