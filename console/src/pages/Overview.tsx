/** The Overview page: pass rate, failing by severity, accounts, top failing policies, scopes not evaluated, the 30-day trend, framework status. */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import LineChart from '@cloudscape-design/components/line-chart';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { overviewSchema, type Overview } from '#console/contract/overview.ts';
import { useApi } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';

const pct = (r: number | null): string => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);

function Kpi({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div>
      <Box variant="awsui-key-label">{label}</Box>
      <div data-testid={id}>
        <Box variant="awsui-value-large">{value}</Box>
      </div>
    </div>
  );
}

function Body({ o }: { o: Overview }) {
  const trendPoints = o.trend.filter((p) => p.passRate !== null).map((p) => ({ x: new Date(`${p.day}T00:00:00Z`), y: Math.round(p.passRate! * 1000) / 10 }));
  const change = o.passRateChangePts === null ? 'no week-old summary' : `${o.passRateChangePts >= 0 ? '+' : ''}${o.passRateChangePts.toFixed(1)} pts since a week ago`;
  const asOf = o.countsAsOf
    ? `Counts as of the daily summary of ${o.countsAsOf.oldest === o.countsAsOf.newest ? o.countsAsOf.newest : `${o.countsAsOf.oldest} to ${o.countsAsOf.newest}`} (written by each scheduled scan); Findings shows every verdict as it stands now.`
    : 'No daily summary yet: the counts appear after the first scheduled scan.';
  return (
    <SpaceBetween size="l">
      {o.notEvaluated.length > 0 && (
        <Alert type="warning" header={`${o.notEvaluated.length} scope(s) not evaluated`}>
          <ul>
            {o.notEvaluated.slice(0, 10).map((s) => (
              <li key={`${s.accountId}${s.region}${s.resourceType}`}>
                {s.accountId} {s.region} {s.resourceType}: {s.outcome}
                {s.message ? ` — ${s.message}` : ''}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      <Container header={<Header variant="h2" description={change}>Posture</Header>} footer={<span data-testid="counts-as-of">{asOf}</span>}>
        <ColumnLayout columns={4} variant="text-grid">
          <Kpi id="kpi-pass-rate" label="Pass rate (daily summary)" value={pct(o.passRate)} />
          <Kpi id="kpi-failing" label="Failing results" value={String(o.results.fail)} />
          <Kpi id="kpi-accounts" label="Accounts" value={String(o.accounts.length)} />
          <Kpi id="kpi-not-evaluated" label="Scopes not evaluated" value={String(o.notEvaluated.length)} />
        </ColumnLayout>
      </Container>
      <Container header={<Header variant="h2">Failing by severity</Header>}>
        <ColumnLayout columns={5} variant="text-grid">
          {o.failingBySeverity.map((s) => (
            <Kpi key={s.severity} id={`kpi-severity-${s.severity}`} label={s.severity} value={String(s.count)} />
          ))}
        </ColumnLayout>
      </Container>
      <Container header={<Header variant="h2">Pass rate, last 30 days</Header>}>
        <LineChart
          series={[{ title: 'Pass rate (%)', type: 'line', data: trendPoints }]}
          xScaleType="time"
          yDomain={[0, 100]}
          xTitle="Day"
          yTitle="Pass rate (%)"
          height={220}
          hideFilter
          ariaLabel="Pass rate over the last 30 days"
          empty={<Box textAlign="center">No daily summary yet</Box>}
          i18nStrings={{ xTickFormatter: (d) => (d as Date).toISOString().slice(5, 10) }}
        />
      </Container>
      <Table
        header={<Header variant="h2">Frameworks</Header>}
        items={o.frameworks}
        trackBy="id"
        empty={<Box textAlign="center">No framework</Box>}
        columnDefinitions={[
          { id: 'name', header: 'Framework', cell: (f) => f.name },
          { id: 'controls', header: 'Controls', cell: (f) => f.controls },
          { id: 'passing', header: 'Passing', cell: (f) => <StatusIndicator type="success">{f.passing}</StatusIndicator> },
          { id: 'failing', header: 'Failing', cell: (f) => <StatusIndicator type={f.failing ? 'error' : 'success'}>{f.failing}</StatusIndicator> },
          { id: 'notEvaluated', header: 'Not evaluated', cell: (f) => f.notEvaluated },
          { id: 'notAutomatable', header: 'Not automatable', cell: (f) => f.notAutomatable },
        ]}
      />
      <Table
        header={<Header variant="h2">Top failing policies</Header>}
        items={o.topFailingPolicies}
        wrapLines
        trackBy="policyId"
        empty={<Box textAlign="center">No failing policy</Box>}
        columnDefinitions={[
          { id: 'policy', header: 'Policy', cell: (p) => p.policyId },
          { id: 'title', header: 'Title', cell: (p) => p.title ?? '' },
          { id: 'severity', header: 'Severity', cell: (p) => p.severity },
          { id: 'failing', header: 'Failing resources', cell: (p) => p.failing },
        ]}
      />
      <Table
        header={<Header variant="h2">Accounts</Header>}
        items={o.accounts}
        trackBy="accountId"
        empty={<Box textAlign="center">No account onboarded</Box>}
        columnDefinitions={[
          { id: 'name', header: 'Account', cell: (a) => `${a.name} (${a.accountId})` },
          { id: 'failing', header: 'Failing', cell: (a) => a.failing },
          { id: 'summary', header: 'Summary of', cell: (a) => a.summaryDay ?? 'none yet' },
          { id: 'scan', header: 'Last scan', cell: (a) => (a.lastScan ? a.lastScan.finishedAt : 'never') },
          { id: 'scopes', header: 'Scopes OK / not evaluated', cell: (a) => (a.lastScan ? `${a.lastScan.ok} / ${a.lastScan.notEvaluated}` : '–') },
        ]}
      />
    </SpaceBetween>
  );
}

export function OverviewPage() {
  const { data, error, loading } = useApi('/overview', overviewSchema);
  return (
    <ContentLayout header={<Header variant="h1">Overview</Header>}>
      {error && <ErrorFlash message={error} />}
      {loading && !data ? <Spinner size="large" /> : data ? <Body o={data} /> : null}
    </ContentLayout>
  );
}
