/** Cloud Resources: the stored resources, filtered by type, account, region and compliance on the server, one cursor page at a time. */
import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import PropertyFilter, { type PropertyFilterProps } from '@cloudscape-design/components/property-filter';
import Table from '@cloudscape-design/components/table';
import { resourcePageSchema } from '#console/contract/resources.ts';
import { RESOURCE_COMPLIANCE } from '#core/resource-compliance.ts';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useApi } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';
import { ComplianceStatus, resultCounts, shortTime } from './ResourceCompliance.tsx';

const PAGE_SIZE = 25;
/** Filter key (the API's query parameter) → label. */
const PROPERTIES = { type: 'Resource type', account: 'Account', region: 'Region', compliance: 'Compliance' } as const;
type FilterKey = keyof typeof PROPERTIES;

const filteringProperties: PropertyFilterProps.FilteringProperty[] = Object.entries(PROPERTIES).map(([key, label]) => ({
  key,
  propertyLabel: label,
  groupValuesLabel: `${label} values`,
  operators: ['='],
}));

/** The API query of a filter: one value per property (a later token of the same property wins). */
function queryOf(q: PropertyFilterProps.Query): URLSearchParams {
  const params = new URLSearchParams();
  for (const t of q.tokens) if (t.propertyKey && t.propertyKey in PROPERTIES) params.set(t.propertyKey as FilterKey, String(t.value));
  return params;
}

export function ResourcesList() {
  const navigate = useNavigate();
  const [query, setQuery] = useState<PropertyFilterProps.Query>({ tokens: [], operation: 'and' });
  /** cursors[i]: the cursor of page i+1 (page 1 has none). */
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [pageIndex, setPageIndex] = useState(1);
  const params = queryOf(query);
  params.set('limit', String(PAGE_SIZE));
  const cursor = cursors[pageIndex - 1];
  if (cursor) params.set('cursor', cursor);
  const { data, error, loading } = useApi(`/resources?${params.toString()}`, resourcePageSchema);
  const next = data?.next;
  useEffect(() => {
    if (next && cursors.length === pageIndex) setCursors((c) => [...c, next]);
  }, [next, cursors.length, pageIndex]);

  const filteringOptions = useMemo<PropertyFilterProps.FilteringOption[]>(
    () => [
      ...(data?.resourceTypes ?? []).map((value) => ({ propertyKey: 'type', value })),
      ...(data?.accounts ?? []).map((a) => ({ propertyKey: 'account', value: a.accountId, label: `${a.accountId} (${a.name})` })),
      ...RESOURCE_COMPLIANCE.map((value) => ({ propertyKey: 'compliance', value })),
    ],
    [data?.resourceTypes, data?.accounts],
  );

  const open = (id: string) => navigate(`/resources?id=${encodeURIComponent(id)}`);
  return (
    <>
      {error && <ErrorFlash message={error} />}
      <Table
        header={<Header variant="h1" description="Everything the scans stored, with its compliance across the policies that apply">Cloud Resources</Header>}
        variant="full-page"
        items={data?.resources ?? []}
        loading={loading}
        loadingText="Loading resources"
        trackBy="resourceId"
        wrapLines
        empty={<Box textAlign="center">{next ? 'None matched among the resources this page read: the next page goes on' : 'No resource matches'}</Box>}
        filter={
          <PropertyFilter
            query={query}
            onChange={(e) => {
              setQuery(e.detail);
              setCursors([undefined]);
              setPageIndex(1);
            }}
            filteringProperties={filteringProperties}
            filteringOptions={filteringOptions}
            filteringPlaceholder="Filter by type, account, region or compliance"
            filteringAriaLabel="Filter resources"
            hideOperations
            disableFreeTextFiltering
            expandToViewport
            i18nStrings={{
              filteringAriaLabel: 'Filter resources',
              filteringPlaceholder: 'Filter by type, account, region or compliance',
              clearFiltersText: 'Clear filters',
              applyActionText: 'Apply',
              cancelActionText: 'Cancel',
              operationAndText: 'and',
              operationOrText: 'or',
              groupValuesText: 'Values',
              groupPropertiesText: 'Properties',
              operatorsText: 'Operators',
              propertyText: 'Property',
              operatorText: 'Operator',
              valueText: 'Value',
              operatorEqualsText: 'Equals',
              editTokenHeader: 'Edit filter',
              removeTokenButtonAriaLabel: (t) => `Remove filter ${t.propertyKey ?? ''} ${t.operator} ${String(t.value)}`,
              enteredTextLabel: (text) => `Use: "${text}"`,
            }}
          />
        }
        pagination={
          <Pagination
            currentPageIndex={pageIndex}
            pagesCount={cursors.length}
            openEnd={Boolean(next) || cursors.length > pageIndex}
            onChange={(e) => setPageIndex(e.detail.currentPageIndex)}
            ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
          />
        }
        columnDefinitions={[
          {
            id: 'resource',
            header: 'Resource',
            cell: (r) => (
              <Link
                href={`/resources?id=${encodeURIComponent(r.resourceId)}`}
                onFollow={(e) => {
                  e.preventDefault();
                  open(r.resourceId);
                }}
              >
                {r.resourceId}
              </Link>
            ),
          },
          { id: 'type', header: 'Type', cell: (r) => r.resourceType },
          { id: 'account', header: 'Account', cell: (r) => r.accountId },
          { id: 'region', header: 'Region', cell: (r) => r.region },
          { id: 'compliance', header: 'Compliance', cell: (r) => <ComplianceStatus compliance={r.compliance} counts={r.counts} brief /> },
          { id: 'results', header: 'Results', cell: (r) => resultCounts(r.counts) },
          { id: 'changed', header: 'Last changed', cell: (r) => shortTime(r.lastChanged), minWidth: 160 },
        ]}
      />
    </>
  );
}
