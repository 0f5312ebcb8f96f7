/** A finding's split panel: title, status, resource JSON (copyable), runbook, reference, trigger, last verified, the history of transitions. */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import SplitPanel from '@cloudscape-design/components/split-panel';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { findingDetailSchema, type FindingRow } from '#console/contract/findings.ts';
import { useApi } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';

export const statusLabel = (f: Pick<FindingRow, 'status' | 'suppressed'>): string => (f.status === 'FAIL' && f.suppressed ? 'SUPPRESSED' : f.status);

export function FindingStatus({ f }: { f: FindingRow }) {
  const label = statusLabel(f);
  const type = label === 'FAIL' ? 'error' : label === 'ERROR' ? 'warning' : label === 'SUPPRESSED' ? 'stopped' : 'success';
  return <StatusIndicator type={type}>{label}</StatusIndicator>;
}

export function FindingDetailPanel({ finding, canManage, onAddException }: { finding: FindingRow; canManage: boolean; onAddException(f: FindingRow): void }) {
  const params = new URLSearchParams({ resourceId: finding.resourceId, policyId: finding.policyId });
  const d = useApi(`/findings/detail?${params.toString()}`, findingDetailSchema);
  const f = d.data?.finding ?? finding;
  const json = d.data?.resource === null || d.data === undefined ? undefined : JSON.stringify(d.data.resource, null, 2);
  return (
    <SplitPanel header={f.title ?? f.policyId} closeBehavior="hide" i18nStrings={{ closeButtonAriaLabel: 'Close the finding', openButtonAriaLabel: 'Open the finding', preferencesTitle: 'Panel preferences', preferencesPositionLabel: 'Position', preferencesPositionDescription: 'Where the panel shows', preferencesPositionSide: 'Side', preferencesPositionBottom: 'Bottom', preferencesConfirm: 'Confirm', preferencesCancel: 'Cancel', resizeHandleAriaLabel: 'Resize the panel' }}>
      {d.error && <ErrorFlash message={d.error} />}
      <SpaceBetween size="l">
        <div data-testid="finding-detail">
          <KeyValuePairs
            columns={3}
            items={[
              { label: 'Status', value: <FindingStatus f={f} /> },
              { label: 'Severity', value: f.severity },
              { label: 'Policy', value: f.policyId },
              { label: 'Resource', value: f.resourceId },
              { label: 'Account / region', value: `${f.accountId} / ${f.region}` },
              { label: 'Suppressed by', value: f.suppressedBy ?? '–' },
              { label: 'Last change', value: `${f.lastChanged} (${f.trigger})` },
              { label: 'Last verified', value: f.lastVerified ? `${f.lastVerified} (${f.verifiedBy ?? ''})` : 'never' },
              { label: 'Frameworks', value: f.requirements?.length ? f.requirements.map((r) => `${r.framework}/${r.control}`).join(', ') : '–' },
              { label: 'Reference', value: f.reference ? <Link external href={f.reference}>{f.reference}</Link> : '–' },
            ]}
          />
        </div>
        {canManage && f.status === 'FAIL' && !f.suppressed && (
          <Button onClick={() => onAddException(f)}>Add exception</Button>
        )}
        {f.description && <Box>{f.description}</Box>}
        <Container header={<Header variant="h3">Runbook</Header>}>
          <Box>{f.runbook ?? 'No runbook'}</Box>
        </Container>
        <Container
          header={
            <Header variant="h3" actions={json ? <CopyToClipboard variant="icon" textToCopy={json} copyButtonAriaLabel="Copy the resource JSON" copySuccessText="Resource JSON copied" copyErrorText="Could not copy" /> : undefined}>
              Resource
            </Header>
          }
        >
          {d.loading && !d.data ? <Spinner /> : json ? <pre style={{ maxHeight: 320, overflow: 'auto', margin: 0 }} tabIndex={0} aria-label="Resource JSON">{json}</pre> : <Box>The resource is no longer stored.</Box>}
        </Container>
        <Table
          variant="embedded"
          header={<Header variant="h3">History</Header>}
          items={d.data?.history ?? []}
          loading={d.loading && !d.data}
          loadingText="Loading history"
          trackBy="openedAt"
          empty={<Box textAlign="center">Never failed and alerted</Box>}
          columnDefinitions={[
            { id: 'opened', header: 'Opened', cell: (h) => h.openedAt },
            { id: 'trigger', header: 'Trigger', cell: (h) => h.trigger },
            { id: 'resolved', header: 'Resolved', cell: (h) => h.resolvedAt ?? 'open' },
            { id: 'by', header: 'Resolved by', cell: (h) => h.resolvedBy ?? '–' },
          ]}
        />
      </SpaceBetween>
    </SplitPanel>
  );
}
