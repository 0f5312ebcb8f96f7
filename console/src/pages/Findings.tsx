/**
 * The Findings page: the stored findings filtered on the server (PropertyFilter → GET /api/findings,
 * cursor pagination), a split panel with one finding's detail, "Add exception" for one finding or
 * the selected rows, the Exceptions tab, and the export of the filtered view (CSV, ASFF, OCSF).
 */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Flashbar from '@cloudscape-design/components/flashbar';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import PropertyFilter, { type PropertyFilterProps } from '@cloudscape-design/components/property-filter';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { useEffect, useMemo, useState } from 'react';
import { findingsFacetsSchema, findingsPageSchema, type FindingRow } from '#console/contract/findings.ts';
import { apiDownload, useApi } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';
import { useCan } from '../session.tsx';
import { useSplitPanel } from '../split-panel.tsx';
import { FindingDetailPanel, FindingStatus } from './FindingsDetail.tsx';
import { AddExceptionModal } from './FindingsExceptionModal.tsx';
import { ExceptionsTable } from './FindingsExceptions.tsx';

const PAGE_SIZE = 25;

const PROPERTIES: PropertyFilterProps.FilteringProperty[] = [
  { key: 'account', propertyLabel: 'Account', groupValuesLabel: 'Accounts', operators: ['='] },
  { key: 'region', propertyLabel: 'Region', groupValuesLabel: 'Regions', operators: ['='] },
  { key: 'resourceType', propertyLabel: 'Resource type', groupValuesLabel: 'Resource types', operators: ['='] },
  { key: 'policy', propertyLabel: 'Policy', groupValuesLabel: 'Policies', operators: ['='] },
  { key: 'severity', propertyLabel: 'Minimum severity', groupValuesLabel: 'Severities', operators: ['='] },
  { key: 'status', propertyLabel: 'Status', groupValuesLabel: 'Statuses', operators: ['='] },
  { key: 'framework', propertyLabel: 'Framework', groupValuesLabel: 'Frameworks', operators: ['='] },
];

/** The filter tokens as the API's query (a property given twice: the last token wins; free text is `text`). */
function queryOf(q: PropertyFilterProps.Query): URLSearchParams {
  const params = new URLSearchParams();
  for (const t of q.tokens) {
    const value = String(t.value ?? '').trim();
    if (value) params.set(t.propertyKey ?? 'text', value);
  }
  return params;
}

function FindingsTable({ onMessage }: { onMessage(m: string): void }) {
  const canManage = useCan('manageExceptions');
  const facets = useApi('/findings/facets', findingsFacetsSchema);
  const [query, setQuery] = useState<PropertyFilterProps.Query>({ tokens: [], operation: 'and' });
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [pageIndex, setPageIndex] = useState(0);
  const [selected, setSelected] = useState<FindingRow[]>([]);
  const [detail, setDetail] = useState<FindingRow>();
  const [panelOpen, setPanelOpen] = useState(false);
  const [adding, setAdding] = useState<FindingRow[]>();
  const [tick, setTick] = useState(0);
  const [exportError, setExportError] = useState<string>();

  const filter = queryOf(query);
  const pageParams = new URLSearchParams(filter);
  pageParams.set('limit', String(PAGE_SIZE));
  const cursor = cursors[pageIndex];
  if (cursor) pageParams.set('cursor', cursor);
  const page = useApi(`/findings?${pageParams.toString()}`, findingsPageSchema);
  const next = page.data?.next;
  useEffect(() => {
    if (next && cursors.length === pageIndex + 1) setCursors([...cursors, next]);
  }, [next, cursors, pageIndex]);

  const options = useMemo<PropertyFilterProps.FilteringOption[]>(() => {
    const f = facets.data;
    if (!f) return [];
    return [
      ...f.accounts.map((a) => ({ propertyKey: 'account', value: a.accountId, label: `${a.name} (${a.accountId})` })),
      ...f.policies.map((p) => ({ propertyKey: 'policy', value: p.policyId })),
      ...f.severities.map((s) => ({ propertyKey: 'severity', value: s })),
      ...f.statuses.map((s) => ({ propertyKey: 'status', value: s })),
      ...f.frameworks.map((fw) => ({ propertyKey: 'framework', value: fw.id, label: fw.name })),
    ];
  }, [facets.data]);

  const panel = useMemo(
    () => (detail ? { element: <FindingDetailPanel key={`${detail.policyId} ${detail.resourceId} ${tick}`} finding={detail} canManage={canManage} onAddException={(f) => setAdding([f])} />, open: panelOpen, onOpenChange: setPanelOpen } : undefined),
    [detail, panelOpen, canManage, tick],
  );
  useSplitPanel(panel);

  const download = async (format: string) => {
    setExportError(undefined);
    const params = new URLSearchParams(filter);
    params.set('format', format);
    try {
      const r = await apiDownload(`/findings/export?${params.toString()}`);
      onMessage(`Exported ${r.rows} finding(s) to ${r.filename}`);
    } catch (err) {
      setExportError(err instanceof Error ? err.message : String(err));
    }
  };

  const known = cursors.length - (next ? 1 : 0);
  return (
    <SpaceBetween size="s">
      {(page.error ?? facets.error ?? exportError) && <ErrorFlash message={(page.error ?? facets.error ?? exportError)!} />}
      <Table
        variant="container"
        header={
          <Header
            variant="h2"
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                {canManage && (
                  <Button disabled={!selected.length} onClick={() => setAdding(selected)}>
                    Add exception
                  </Button>
                )}
                <ButtonDropdown
                  items={[
                    { id: 'csv', text: 'CSV' },
                    { id: 'asff', text: 'ASFF (Security Hub)' },
                    { id: 'ocsf', text: 'OCSF (JSON lines)' },
                  ]}
                  onItemClick={(e) => void download(e.detail.id)}
                >
                  Export
                </ButtonDropdown>
              </SpaceBetween>
            }
          >
            Findings
          </Header>
        }
        filter={
          <PropertyFilter
            query={query}
            onChange={(e) => {
              setQuery(e.detail);
              setCursors([undefined]);
              setPageIndex(0);
              setSelected([]);
            }}
            filteringProperties={PROPERTIES}
            filteringOptions={options}
            filteringPlaceholder="Filter findings by property or text"
            filteringAriaLabel="Filter findings"
            countText={page.data ? `${page.data.findings.length} on this page` : undefined}
            expandToViewport
            i18nStrings={{
              filteringAriaLabel: 'Filter findings',
              filteringPlaceholder: 'Filter findings by property or text',
              operationAndText: 'and',
              operationOrText: 'or',
              operatorEqualsText: 'Equals',
              groupPropertiesText: 'Properties',
              groupValuesText: 'Values',
              clearFiltersText: 'Clear filters',
              applyActionText: 'Apply',
              cancelActionText: 'Cancel',
              valueText: 'Value',
              propertyText: 'Property',
              operatorText: 'Operator',
              operatorsText: 'Operators',
              allPropertiesLabel: 'All properties',
              tokenLimitShowMore: 'Show more',
              tokenLimitShowFewer: 'Show fewer',
              removeTokenButtonAriaLabel: (t) => `Remove filter ${t.propertyLabel ?? ''} ${t.value}`,
              enteredTextLabel: (t) => `Use: "${t}"`,
            }}
          />
        }
        pagination={
          <Pagination
            currentPageIndex={pageIndex + 1}
            pagesCount={Math.max(known, 1)}
            openEnd={Boolean(next)}
            onChange={(e) => setPageIndex(e.detail.currentPageIndex - 1)}
            ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
          />
        }
        loading={page.loading}
        loadingText="Loading findings"
        items={page.data?.findings ?? []}
        trackBy={(f) => `${f.policyId} ${f.resourceId}`}
        resizableColumns
        {...(canManage
          ? {
              selectionType: 'multi' as const,
              selectedItems: selected,
              onSelectionChange: (e: { detail: { selectedItems: FindingRow[] } }) => setSelected(e.detail.selectedItems),
              ariaLabels: {
                selectionGroupLabel: 'Findings',
                allItemsSelectionLabel: () => 'Select every finding on this page',
                itemSelectionLabel: (_: unknown, f: FindingRow) => `Select ${f.policyId} on ${f.resourceId}`,
              },
            }
          : {})}
        empty={<Box textAlign="center">No finding matches the filters</Box>}
        columnDefinitions={[
          { id: 'status', header: 'Status', minWidth: 140, cell: (f) => <FindingStatus f={f} /> },
          { id: 'severity', header: 'Severity', cell: (f) => f.severity },
          {
            id: 'policy',
            header: 'Policy',
            minWidth: 300,
            cell: (f) => (
              <Button
                variant="inline-link"
                ariaLabel={`Open ${f.policyId} on ${f.resourceId}`}
                onClick={() => {
                  setDetail(f);
                  setPanelOpen(true);
                }}
              >
                {f.policyId}
              </Button>
            ),
          },
          { id: 'resource', header: 'Resource', minWidth: 320, cell: (f) => f.resourceId },
          { id: 'type', header: 'Type', minWidth: 180, cell: (f) => f.resourceType },
          { id: 'account', header: 'Account', minWidth: 140, cell: (f) => f.accountId },
          { id: 'region', header: 'Region', minWidth: 120, cell: (f) => f.region },
          { id: 'verified', header: 'Last verified', minWidth: 220, cell: (f) => f.lastVerified ?? 'never' },
        ]}
      />
      {adding && (
        <AddExceptionModal
          findings={adding}
          onClose={() => setAdding(undefined)}
          onAdded={(m) => {
            setAdding(undefined);
            setSelected([]);
            setTick((t) => t + 1);
            page.reload();
            onMessage(m);
          }}
        />
      )}
    </SpaceBetween>
  );
}

export function FindingsPage() {
  const [messages, setMessages] = useState<string[]>([]);
  const [tab, setTab] = useState('findings');
  const onMessage = (m: string) => setMessages([m]);
  return (
    <ContentLayout header={<Header variant="h1">Findings</Header>}>
      <SpaceBetween size="m">
        {messages.length > 0 && (
          <Flashbar items={messages.map((m, i) => ({ id: String(i), type: 'success', content: m, dismissible: true, dismissLabel: 'Dismiss', onDismiss: () => setMessages([]) }))} />
        )}
        <Tabs
          activeTabId={tab}
          onChange={(e) => setTab(e.detail.activeTabId)}
          tabs={[
            { id: 'findings', label: 'Findings', content: <FindingsTable onMessage={onMessage} /> },
            { id: 'exceptions', label: 'Exceptions', content: <ExceptionsTable onChanged={onMessage} /> },
          ]}
        />
      </SpaceBetween>
    </ContentLayout>
  );
}
