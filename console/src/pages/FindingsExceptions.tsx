/** The Exceptions tab: every accepted risk with owner, reason and expiry; remove for analysts and admins. */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { exceptionsListSchema, removedExceptionSchema, type ExceptionRow } from '#console/contract/findings.ts';
import { apiCall, useApi } from '../api.ts';
import { ErrorFlash } from '../ErrorFlash.tsx';
import { useCan } from '../session.tsx';

export function ExceptionsTable({ onChanged }: { onChanged(message: string): void }) {
  const list = useApi('/exceptions', exceptionsListSchema);
  const canManage = useCan('manageExceptions');
  const [selected, setSelected] = useState<ExceptionRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const remove = async () => {
    const e = selected[0];
    if (!e) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await apiCall(`/exceptions/${encodeURIComponent(e.exceptionId)}`, removedExceptionSchema, { method: 'DELETE' });
      setSelected([]);
      list.reload();
      onChanged(`Removed ${r.exceptionId}: ${r.reopened} finding(s) failing again`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {(error ?? list.error) && <ErrorFlash message={(error ?? list.error)!} />}
      <Table
        header={
          <Header
            variant="h2"
            counter={list.data ? `(${list.data.exceptions.length})` : undefined}
            actions={
              canManage ? (
                <Button disabled={!selected.length} loading={busy} onClick={() => void remove()}>
                  Remove exception
                </Button>
              ) : undefined
            }
          >
            Exceptions
          </Header>
        }
        loading={list.loading}
        loadingText="Loading exceptions"
        items={list.data?.exceptions ?? []}
        trackBy="exceptionId"
        wrapLines
        {...(canManage
          ? {
              selectionType: 'single' as const,
              selectedItems: selected,
              onSelectionChange: (e: { detail: { selectedItems: ExceptionRow[] } }) => setSelected(e.detail.selectedItems),
              ariaLabels: { selectionGroupLabel: 'Exceptions', itemSelectionLabel: (_: unknown, e: ExceptionRow) => `Select ${e.exceptionId}`, allItemsSelectionLabel: () => 'Select all' },
            }
          : {})}
        empty={<Box textAlign="center">No exception</Box>}
        columnDefinitions={[
          { id: 'id', header: 'ID', cell: (e) => e.exceptionId },
          { id: 'policy', header: 'Policy', cell: (e) => e.policyId },
          { id: 'pattern', header: 'Resources', cell: (e) => e.resourcePattern },
          { id: 'owner', header: 'Owner', cell: (e) => e.owner },
          { id: 'reason', header: 'Reason', cell: (e) => e.reason },
          { id: 'expires', header: 'Expires', cell: (e) => e.expires },
          { id: 'state', header: 'State', cell: (e) => <StatusIndicator type={e.active ? 'success' : 'stopped'}>{e.active ? 'active' : 'expired'}</StatusIndicator> },
        ]}
      />
    </>
  );
}
