/**
 * The Detections page: the active pack's policies (filterable table with stored passing/failing
 * counts), and with `?policy=ID` (or `?new=TYPE`, a policy from the template) the policy editor.
 */
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useCollection } from '@cloudscape-design/collection-hooks';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { policyListSchema, type PolicySummary } from '#console/contract/detections.ts';
import { useApi } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';
import { useCan } from '../session.tsx';
import { DetectionsEditor } from './DetectionsEditor.tsx';

function PolicyList() {
  const list = useApi('/policies', policyListSchema);
  const canManage = useCan('managePolicies');
  const navigate = useNavigate();
  const [newType, setNewType] = useState('AWS.S3.Bucket');
  const { items, collectionProps, filterProps, paginationProps, filteredItemsCount } = useCollection(list.data?.policies ?? [], {
    filtering: { empty: 'The active pack holds no policies.', noMatch: 'No policy matches the filter.' },
    pagination: { pageSize: 25 },
    sorting: { defaultState: { sortingColumn: { sortingField: 'failing' }, isDescending: true } },
  });
  const open = (id: string) => navigate(`/detections?policy=${encodeURIComponent(id)}`);
  return (
    <SpaceBetween size="l">
      {list.error && <ErrorFlash message={list.error} />}
      <Table<PolicySummary>
        {...collectionProps}
        loading={list.loading}
        loadingText="Loading policies"
        items={items}
        variant="full-page"
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={list.data ? `(${list.data.policies.length})` : undefined}
            description={list.data ? `Active pack: ${list.data.source}` : undefined}
            actions={
              canManage && (
                <SpaceBetween direction="horizontal" size="xs">
                  <FormField label="Resource type of a new policy">
                    <Input value={newType} onChange={(e) => setNewType(e.detail.value)} ariaLabel="Resource type of a new policy" />
                  </FormField>
                  <Button onClick={() => navigate(`/detections?new=${encodeURIComponent(newType)}`)}>New policy from template</Button>
                </SpaceBetween>
              )
            }
          >
            Detections
          </Header>
        }
        filter={<TextFilter {...filterProps} filteringPlaceholder="Find policies" filteringAriaLabel="Find policies" filteringClearAriaLabel="Clear the filter" countText={`${filteredItemsCount ?? 0} matches`} />}
        pagination={<Pagination {...paginationProps} ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }} />}
        columnDefinitions={[
          {
            id: 'policyId',
            header: 'Policy',
            sortingField: 'policyId',
            cell: (p) => (
              <Link href={`/detections?policy=${encodeURIComponent(p.policyId)}`} onFollow={(e) => (e.preventDefault(), open(p.policyId))}>
                {p.policyId}
              </Link>
            ),
          },
          { id: 'severity', header: 'Severity', sortingField: 'severity', cell: (p) => p.severity },
          { id: 'enabled', header: 'Enabled', cell: (p) => <StatusIndicator type={p.enabled ? 'success' : 'stopped'}>{p.enabled ? 'Enabled' : 'Disabled'}</StatusIndicator> },
          { id: 'failing', header: 'Failing', sortingField: 'failing', cell: (p) => p.failing },
          { id: 'passing', header: 'Passing', sortingField: 'passing', cell: (p) => p.passing },
          { id: 'types', header: 'Resource types', cell: (p) => (p.resourceTypes.length ? p.resourceTypes.join(', ') : 'every type') },
          { id: 'frameworks', header: 'Frameworks', cell: (p) => p.frameworks.join(', ') || '–' },
          { id: 'name', header: 'Name', cell: (p) => p.displayName ?? '–' },
        ]}
      />
    </SpaceBetween>
  );
}

export function DetectionsPage() {
  const [params] = useSearchParams();
  const policy = params.get('policy');
  const fresh = params.get('new');
  if (policy || fresh) return <DetectionsEditor key={policy ?? `new:${fresh}`} policyId={policy} newType={fresh} />;
  return (
    <ContentLayout>
      <PolicyList />
    </ContentLayout>
  );
}
