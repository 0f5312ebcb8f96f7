/** The audit log: who changed what through the console, and when, newest first (a page at a time). */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import { useEffect, useState } from 'react';
import type { AuditEntry } from '#console/audit.ts';
import { auditPageSchema } from '#console/contract/audit.ts';
import { apiCall } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';

const PAGE = 50;

export function AuditLogPage() {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const load = async (cursor?: string) => {
    setLoading(true);
    try {
      const r = await apiCall(`/audit?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, auditPageSchema);
      setEntries((e) => (cursor ? [...e, ...r.entries] : r.entries));
      setNext(r.next);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  return (
    <ContentLayout>
      {error && <ErrorFlash message={error} />}
      <Table
        variant="full-page"
        loading={loading && entries.length === 0}
        loadingText="Loading the audit log"
        items={entries}
        wrapLines
        header={
          <Header variant="h1" counter={`(${entries.length}${next ? '+' : ''})`} description="Every change made through the console: who, what, when." actions={<Button iconName="refresh" ariaLabel="Refresh" onClick={() => void load()} />}>
            Audit log
          </Header>
        }
        empty={<Box textAlign="center">No change recorded yet</Box>}
        footer={
          next && (
            <Box textAlign="center">
              <Button loading={loading} onClick={() => void load(next)}>
                Load older entries
              </Button>
            </Box>
          )
        }
        columnDefinitions={[
          { id: 'at', header: 'When', cell: (e) => e.at },
          { id: 'who', header: 'Who', cell: (e) => `${e.actor.name} (${e.actor.role})` },
          { id: 'action', header: 'Action', cell: (e) => e.action },
          { id: 'target', header: 'Target', cell: (e) => e.target },
          { id: 'summary', header: 'What', cell: (e) => e.summary },
        ]}
      />
    </ContentLayout>
  );
}
