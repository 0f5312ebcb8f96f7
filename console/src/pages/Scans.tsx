/** Scans: an account's scan history from the ledger (a page at a time), and a scan's scopes not evaluated with their reasons and its cost estimate. */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { accountListSchema } from '#console/contract/accounts.ts';
import { scanDetailSchema, scanHistorySchema } from '#console/contract/scans.ts';
import { apiCall, useApi } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';

type ScanItem = z.infer<typeof scanHistorySchema>['scans'][number];
const usd = (n: number): string => (n > 0 && n < 0.005 ? '<$0.01' : `$${n.toFixed(2)}`);

function ScanDetail({ accountId, scanId }: { accountId: string; scanId: string }) {
  const { data, error } = useApi(`/scans/${encodeURIComponent(scanId)}?accountId=${accountId}`, scanDetailSchema);
  if (error) return <ErrorFlash message={error} />;
  if (!data) return <Spinner />;
  const notOk = data.entries.filter((e) => e.outcome !== 'OK');
  return (
    <SpaceBetween size="m">
      <Container header={<Header variant="h2">{`Scan ${scanId}`}</Header>}>
        <ColumnLayout columns={4} variant="text-grid">
          <div>
            <Box variant="awsui-key-label">Scopes</Box>
            <div data-testid="scan-scopes">{data.summary.scopes}</div>
          </div>
          <div>
            <Box variant="awsui-key-label">OK / not evaluated</Box>
            <div>{`${data.summary.ok} / ${data.summary.notEvaluated}`}</div>
          </div>
          <div>
            <Box variant="awsui-key-label">Estimated cost per day (if run daily)</Box>
            <div data-testid="scan-cost">{data.cost ? usd(data.cost.perDayUsd) : '–'}</div>
          </div>
          <div>
            <Box variant="awsui-key-label">Per 30 days / per real-time event</Box>
            <div>{data.cost ? `${usd(data.cost.per30DaysUsd)} / ${usd(data.cost.perRealtimeEventUsd)}` : '–'}</div>
          </div>
        </ColumnLayout>
      </Container>
      <Table
        header={<Header variant="h3" counter={`(${notOk.length})`}>Scopes not evaluated</Header>}
        items={notOk}
        trackBy="scope"
        wrapLines
        empty={<Box textAlign="center">Every scope was evaluated</Box>}
        columnDefinitions={[
          { id: 'scope', header: 'Scope', cell: (e) => `${e.region} ${e.resourceType}` },
          { id: 'outcome', header: 'Outcome', cell: (e) => <StatusIndicator type="warning">{e.outcome}</StatusIndicator> },
          { id: 'message', header: 'Reason', cell: (e) => e.message ?? '' },
        ]}
      />
      {data.cost && (
        <Table
          header={<Header variant="h3" description={`Not included: ${data.cost.notIncluded.join('; ')}`}>Cost estimate</Header>}
          items={data.cost.lines}
          trackBy="item"
          columnDefinitions={[
            { id: 'item', header: 'Item', cell: (l) => l.item },
            { id: 'q', header: 'Quantity', cell: (l) => `${Number.isInteger(l.quantity) ? l.quantity : l.quantity.toFixed(1)} ${l.unit}` },
            { id: 'usd', header: 'USD per day', cell: (l) => usd(l.usd) },
          ]}
        />
      )}
    </SpaceBetween>
  );
}

export function ScansPage() {
  const accounts = useApi('/accounts', accountListSchema);
  const [accountId, setAccountId] = useState<string>();
  const [scans, setScans] = useState<ScanItem[]>([]);
  const [next, setNext] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<ScanItem[]>([]);
  const account = accountId ?? accounts.data?.accounts[0]?.accountId;
  // The newest request: an answer for an account no longer chosen is dropped.
  const latest = useRef(0);

  const load = async (id: string, cursor?: string) => {
    const request = ++latest.current;
    setLoading(true);
    setError(undefined);
    try {
      const r = await apiCall(`/scans?accountId=${id}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, scanHistorySchema);
      if (request !== latest.current) return;
      setScans((s) => (cursor ? [...s, ...r.scans] : r.scans));
      setNext(r.next);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    if (!account) return;
    setScans([]);
    setSelected([]);
    void load(account);
  }, [account]);

  const options = (accounts.data?.accounts ?? []).map((a) => ({ value: a.accountId, label: `${a.name} (${a.accountId})` }));
  return (
    <ContentLayout header={<Header variant="h1" description="The scan ledger: each scan of an account, the scopes it could not evaluate and why, and what it costs.">Scans</Header>}>
      <SpaceBetween size="m">
        {(accounts.error ?? error) && <ErrorFlash message={(accounts.error ?? error)!} />}
        <FormField label="Account">
          <Select selectedOption={options.find((o) => o.value === account) ?? null} options={options} onChange={(e) => setAccountId(e.detail.selectedOption.value)} ariaLabel="Account" placeholder="Choose an account" />
        </FormField>
        <Table
          loading={(loading && scans.length === 0) || accounts.loading}
          loadingText="Reading the ledger"
          items={scans}
          trackBy="scanId"
          selectionType="single"
          selectedItems={selected}
          onSelectionChange={(e) => setSelected(e.detail.selectedItems)}
          ariaLabels={{ selectionGroupLabel: 'Scans', itemSelectionLabel: (_, s) => `Select scan ${s.scanId}`, allItemsSelectionLabel: () => 'Select all' }}
          header={<Header variant="h2" counter={`(${scans.length}${next ? '+' : ''})`}>History</Header>}
          empty={<Box textAlign="center">No scan of this account in the ledger</Box>}
          footer={
            next && (
              <Box textAlign="center">
                <Button loading={loading} onClick={() => account && void load(account, next)}>
                  Load older scans
                </Button>
              </Box>
            )
          }
          columnDefinitions={[
            { id: 'scan', header: 'Scan', cell: (s) => s.scanId },
            { id: 'trigger', header: 'Trigger', cell: (s) => s.trigger },
            { id: 'finished', header: 'Finished', cell: (s) => s.finishedAt },
            { id: 'scopes', header: 'Scopes', cell: (s) => s.scopes },
            { id: 'ok', header: 'OK', cell: (s) => s.ok },
            { id: 'notEvaluated', header: 'Not evaluated', cell: (s) => (s.notEvaluated ? <StatusIndicator type="warning">{s.notEvaluated}</StatusIndicator> : <StatusIndicator type="success">0</StatusIndicator>) },
          ]}
        />
        {account && selected[0] && <ScanDetail accountId={account} scanId={selected[0].scanId} />}
      </SpaceBetween>
    </ContentLayout>
  );
}
