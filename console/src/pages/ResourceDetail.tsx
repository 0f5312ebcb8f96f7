/** One resource: its attributes (JSON, copyable whole), its result per policy with links to the findings, "Copy as unit test", and its history. */
import Box from '@cloudscape-design/components/box';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Flashbar from '@cloudscape-design/components/flashbar';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { resourceDetailSchema, unitTestSchema, type ResourceDetail as Detail, type UnitTest } from '#console/contract/resources.ts';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { apiCall, useApi } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';
import { ComplianceStatus, shortTime } from './ResourceCompliance.tsx';
import { ResourceHistory } from './ResourceHistory.tsx';

const STATUS = { PASS: 'success', FAIL: 'error', ERROR: 'warning' } as const;

/** "Copy as unit test": pick a policy with a result to expect, name the test, copy the Tests entry. */
function CopyAsUnitTest({ r }: { r: Detail }) {
  const choices = r.results.filter((x) => x.status !== 'ERROR');
  const [policyId, setPolicyId] = useState(choices[0]?.policyId);
  const [name, setName] = useState(`${r.resourceType} ${r.resourceId.split(/[:/]/).at(-1) ?? ''}`.trim());
  const [copied, setCopied] = useState<UnitTest>();
  const [error, setError] = useState<string>();
  if (choices.length === 0) return <Box>No policy has a result to expect for this resource.</Box>;
  const copy = async () => {
    setError(undefined);
    try {
      const q = new URLSearchParams({ id: r.resourceId, policyId: policyId ?? '', name });
      const t = await apiCall(`/resource/unit-test?${q.toString()}`, unitTestSchema);
      await navigator.clipboard.writeText(t.yaml);
      setCopied(t);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const options = choices.map((x) => ({ value: x.policyId, label: x.policyId, description: `${x.status}${x.suppressed ? ' (suppressed)' : ''}` }));
  return (
    <SpaceBetween size="s">
      <SpaceBetween size="s" direction="horizontal" alignItems="end">
        <FormField label="Policy">
          <Select selectedOption={options.find((o) => o.value === policyId) ?? null} onChange={(e) => setPolicyId(e.detail.selectedOption.value)} options={options} ariaLabel="Policy of the unit test" />
        </FormField>
        <FormField label="Test name">
          <Input value={name} onChange={(e) => setName(e.detail.value)} ariaLabel="Test name" />
        </FormField>
        <Button onClick={() => void copy()} disabled={!policyId || !name.trim()}>
          Copy as unit test
        </Button>
      </SpaceBetween>
      {error && <ErrorFlash message={error} />}
      {copied && (
        <>
          <Flashbar
            items={[
              {
                type: 'success',
                id: 'copied',
                content: `Copied a Tests entry for ${copied.policyId} (ExpectedResult: ${String(copied.expectedResult)}): paste it under Tests: in the policy's .yml and run posture test.`,
              },
            ]}
          />
          <pre tabIndex={0} aria-label="The copied unit test" data-testid="unit-test-yaml" style={{ maxHeight: 240, overflow: 'auto', margin: 0 }}>
            {copied.yaml}
          </pre>
        </>
      )}
    </SpaceBetween>
  );
}

function Body({ r }: { r: Detail }) {
  const navigate = useNavigate();
  const json = JSON.stringify(r.attributes, null, 2);
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Summary</Header>}>
        <KeyValuePairs
          columns={4}
          items={[
            { label: 'Type', value: r.resourceType },
            { label: 'Account', value: r.accountId },
            { label: 'Region', value: r.region },
            { label: 'Compliance', value: <ComplianceStatus compliance={r.compliance} counts={r.counts} /> },
            { label: 'First seen', value: r.firstSeen },
            { label: 'Last changed', value: r.lastChanged },
            { label: 'Observed', value: r.observedAt ?? '–' },
            { label: 'Last verified', value: r.lastVerified ? `${r.lastVerified.finishedAt} (${r.lastVerified.trigger})` : 'never' },
          ]}
        />
      </Container>
      <Table
        header={<Header variant="h2" counter={`(${r.results.length})`}>Result per policy</Header>}
        items={r.results}
        trackBy="policyId"
        wrapLines
        empty={<Box textAlign="center">No policy applies to this resource</Box>}
        columnDefinitions={[
          {
            id: 'policy',
            header: 'Policy',
            cell: (x) => {
              const href = `/findings?${new URLSearchParams({ policyId: x.policyId, resourceId: r.resourceId }).toString()}`;
              return (
                <Link
                  href={href}
                  onFollow={(e) => {
                    e.preventDefault();
                    navigate(href);
                  }}
                >
                  {x.policyId}
                </Link>
              );
            },
          },
          { id: 'title', header: 'Title', cell: (x) => x.title ?? '' },
          { id: 'severity', header: 'Severity', cell: (x) => x.severity },
          { id: 'status', header: 'Status', cell: (x) => <StatusIndicator type={x.suppressed ? 'stopped' : STATUS[x.status]}>{x.status + (x.suppressed ? ' (suppressed)' : '') + (x.errorMessage ? `: ${x.errorMessage}` : '')}</StatusIndicator>, minWidth: 120 },
          { id: 'changed', header: 'Since', cell: (x) => shortTime(x.lastChanged), minWidth: 160 },
        ]}
      />
      <ResourceHistory id={r.resourceId} />
      <Container header={<Header variant="h2" description="Use it as a policy's unit test: the resource, and the policy's current result as ExpectedResult">Copy as unit test</Header>}>
        <CopyAsUnitTest r={r} />
      </Container>
      <Container
        header={
          <Header
            variant="h2"
            description="The resource as the policies see it (secret attributes were redacted when it was scanned)"
            actions={<CopyToClipboard variant="button" textToCopy={json} copyButtonText="Copy JSON" copySuccessText="Resource JSON copied" copyErrorText="Could not copy the JSON" />}
          >
            Attributes
          </Header>
        }
      >
        <pre tabIndex={0} aria-label="Resource attributes (JSON)" data-testid="resource-json" style={{ maxHeight: 600, overflow: 'auto', margin: 0, fontSize: 13 }}>
          {json}
        </pre>
      </Container>
    </SpaceBetween>
  );
}

export function ResourceDetail({ id }: { id: string }) {
  const navigate = useNavigate();
  const { data, error, loading } = useApi(`/resource?${new URLSearchParams({ id }).toString()}`, resourceDetailSchema);
  return (
    <ContentLayout
      header={
        <SpaceBetween size="xs">
          <BreadcrumbGroup
            items={[
              { text: 'Cloud Resources', href: '/resources' },
              { text: id, href: `/resources?id=${encodeURIComponent(id)}` },
            ]}
            onFollow={(e) => {
              e.preventDefault();
              navigate(e.detail.href);
            }}
            ariaLabel="Breadcrumbs"
          />
          <Header variant="h1" description={data?.deleted ? 'Deleted: the last stored state' : undefined}>
            {id}
          </Header>
        </SpaceBetween>
      }
    >
      {error && <ErrorFlash message={error} />}
      {loading && !data ? <Spinner size="large" /> : data ? <Body r={data} /> : null}
    </ContentLayout>
  );
}
