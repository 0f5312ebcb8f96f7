/**
 * The resource page's History: its versions (created, changed, deleted, recreated, with the diff)
 * and the verdicts that moved, newest first, each with its cause — the CloudTrail caller, or the
 * scan window. Pages of GET /api/resource/history (no attributes are read); the words come from
 * #core/history-text.ts, as `posture resources history` prints them.
 */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import { resourceHistorySchema } from '#console/contract/resources.ts';
import type { HistoryRecord } from '#core/history.ts';
import { diffLines, recordWhat, timelineOrder } from '#core/history-text.ts';
import { provenanceText } from '#core/provenance.ts';
import { useEffect, useState } from 'react';
import { apiCall, useApi } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';
import { shortTime } from './ResourceCompliance.tsx';

const PAGE = 50;
const keyOf = (r: HistoryRecord): string => `${r.observedAt}#${r.kind === 'version' ? 'v' : `f#${r.policyId}`}`;

function Diff({ r }: { r: HistoryRecord }) {
  const lines = r.kind === 'version' ? diffLines(r.diff) : [`${r.severity}${r.title ? `: ${r.title}` : ''}`];
  if (lines.length === 0) return <>–</>;
  return (
    <pre data-testid="history-diff" style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 13 }}>
      {lines.join('\n')}
    </pre>
  );
}

export function ResourceHistory({ id }: { id: string }) {
  const first = useApi(`/resource/history?${new URLSearchParams({ id, limit: String(PAGE) }).toString()}`, resourceHistorySchema);
  const [records, setRecords] = useState<HistoryRecord[]>([]);
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<string>();
  const [loadingMore, setLoadingMore] = useState(false);
  useEffect(() => {
    if (!first.data) return;
    setRecords(first.data.records);
    setNext(first.data.next);
  }, [first.data]);
  const more = async () => {
    if (!next) return;
    setLoadingMore(true);
    setError(undefined);
    try {
      const page = await apiCall(`/resource/history?${new URLSearchParams({ id, limit: String(PAGE), cursor: next }).toString()}`, resourceHistorySchema);
      setRecords((rs) => [...rs, ...page.records]);
      setNext(page.next);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoadingMore(false);
    }
  };
  return (
    <>
      {(first.error || error) && <ErrorFlash message={(first.error ?? error)!} />}
      <Table
        header={
          <Header variant="h2" counter={`(${records.length}${next ? '+' : ''})`} description="What changed, when, and who did it: each version with its diff and cause, and the verdicts that moved. Newest first.">
            History
          </Header>
        }
        ariaLabels={{ tableLabel: 'Resource history' }}
        items={timelineOrder(records).reverse()}
        trackBy={keyOf}
        loading={first.loading && !first.data}
        loadingText="Loading the history"
        wrapLines
        empty={<Box textAlign="center">No history recorded (older records expire after the retention)</Box>}
        columnDefinitions={[
          { id: 'time', header: 'Time', cell: (r) => shortTime(r.observedAt), width: 130 },
          { id: 'change', header: 'Change', cell: (r) => recordWhat(r), width: 220 },
          { id: 'cause', header: 'Cause', cell: (r) => <span data-testid="history-cause">{provenanceText(r.provenance) ?? `trigger ${r.trigger}`}</span>, width: 300 },
          { id: 'diff', header: 'Diff (or the finding)', cell: (r) => <Diff r={r} />, minWidth: 260 },
        ]}
        footer={
          next ? (
            <Box textAlign="center">
              <Button onClick={() => void more()} loading={loadingMore}>
                Load older records
              </Button>
            </Box>
          ) : undefined
        }
      />
    </>
  );
}
