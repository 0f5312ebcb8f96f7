/** Cloud Accounts: the onboarded accounts (last scan, scopes not evaluated, real-time canaries) and, at ?connect, the Connect-an-account wizard. */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import Popover from '@cloudscape-design/components/popover';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useCollection } from '@cloudscape-design/collection-hooks';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { accountListSchema, type AccountRow } from '#console/contract/accounts.ts';
import { useApi } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';
import { useCan } from '../session.tsx';
import { ConnectAccountWizard } from './CloudAccountsWizard.tsx';

function NotEvaluated({ a }: { a: AccountRow }) {
  const s = a.lastScan;
  if (!s) return <>–</>;
  if (s.notEvaluated === 0) return <StatusIndicator type="success">0</StatusIndicator>;
  return (
    <Popover
      header="Scopes not evaluated"
      triggerType="text"
      content={
        <ul>
          {s.byOutcome.flatMap((g) => g.scopes.map((x) => <li key={x.scope}>{`${x.scope}: ${g.outcome}${x.message ? ` — ${x.message}` : ''}`}</li>))}
        </ul>
      }
    >
      <StatusIndicator type="warning">{s.notEvaluated}</StatusIndicator>
    </Popover>
  );
}

function AccountsTable({ accounts, loading, onConnect }: { accounts: AccountRow[]; loading: boolean; onConnect?: () => void }) {
  const { items, collectionProps, filterProps, paginationProps, filteredItemsCount } = useCollection(accounts, {
    filtering: { filteringFunction: (a, text) => `${a.name} ${a.accountId}`.toLowerCase().includes(text.toLowerCase()) },
    pagination: { pageSize: 20 },
    sorting: {},
  });
  return (
    <Table
      {...collectionProps}
      loading={loading}
      loadingText="Loading accounts"
      items={items}
      trackBy="accountId"
      variant="full-page"
      header={
        <Header variant="h1" counter={`(${accounts.length})`} actions={onConnect && <Button variant="primary" onClick={onConnect}>Connect an account</Button>}>
          Cloud accounts
        </Header>
      }
      filter={<TextFilter {...filterProps} filteringPlaceholder="Find an account" filteringAriaLabel="Find an account" filteringClearAriaLabel="Clear the filter" countText={`${filteredItemsCount ?? 0} matches`} />}
      pagination={<Pagination {...paginationProps} ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }} />}
      empty={<Box textAlign="center">No account onboarded</Box>}
      columnDefinitions={[
        { id: 'name', header: 'Account', cell: (a) => `${a.name} (${a.accountId})`, sortingField: 'name' },
        { id: 'enabled', header: 'Enabled', cell: (a) => (a.enabled ? 'yes' : 'no') },
        { id: 'lastScan', header: 'Last scan', cell: (a) => (a.lastScan ? a.lastScan.finishedAt : 'never') },
        { id: 'scopes', header: 'Scopes OK', cell: (a) => (a.lastScan ? `${a.lastScan.ok} of ${a.lastScan.scopes}` : '–') },
        { id: 'notEvaluated', header: 'Not evaluated', cell: (a) => <NotEvaluated a={a} /> },
        {
          id: 'canary',
          header: 'Real-time canary',
          cell: (a) =>
            a.canaries.length ? (
              <StatusIndicator type="success">{a.canaries.map((c) => `${c.region} ${c.receivedAt}`).join(', ')}</StatusIndicator>
            ) : (
              <StatusIndicator type="pending">none recorded</StatusIndicator>
            ),
        },
        {
          id: 'exclusions',
          header: 'Exclusions',
          cell: (a) => [a.excludeRegions.length && `${a.excludeRegions.length} regions`, a.excludeTypes.length && `${a.excludeTypes.length} types`, a.excludeResources.length && `${a.excludeResources.length} patterns`].filter(Boolean).join(', ') || 'none',
        },
        { id: 'role', header: 'Audit role', cell: (a) => a.roleName ?? "deployment's" },
      ]}
    />
  );
}

export function CloudAccountsPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const canManage = useCan('manageAccounts');
  const { data, error, loading, reload } = useApi('/accounts', accountListSchema);
  if (params.has('connect') && canManage) {
    return (
      <ConnectAccountWizard
        onDone={() => {
          reload();
          navigate('/cloud-accounts');
        }}
      />
    );
  }
  return (
    <ContentLayout>
      {error && <ErrorFlash message={error} />}
      <AccountsTable accounts={data?.accounts ?? []} loading={loading && !data} onConnect={canManage ? () => navigate('/cloud-accounts?connect') : undefined} />
    </ContentLayout>
  );
}
