/** A resource's compliance as a status indicator, with its counts on the resource page (the list shows them in a column of their own). */
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { ResourceRow } from '#console/contract/resources.ts';

const TYPE: Record<ResourceRow['compliance'], StatusIndicatorProps.Type> = { passing: 'success', failing: 'error', error: 'warning', none: 'stopped' };

export function ComplianceStatus({ compliance, counts, brief = false }: Pick<ResourceRow, 'compliance' | 'counts'> & { brief?: boolean }) {
  const detail = compliance === 'none' ? 'no policy applies' : `${counts.fail} failing, ${counts.pass} passing${counts.error ? `, ${counts.error} errors` : ''}${counts.suppressed ? `, ${counts.suppressed} suppressed` : ''}`;
  return (
    <StatusIndicator type={TYPE[compliance]}>
      {brief ? compliance : `${compliance} (${detail})`}
    </StatusIndicator>
  );
}

/** "2 failing, 3 passing": the non-zero counts of a resource's verdicts. */
export function resultCounts(c: ResourceRow['counts']): string {
  const parts = [c.fail && `${c.fail} failing`, c.error && `${c.error} errors`, c.pass && `${c.pass} passing`, c.suppressed && `${c.suppressed} suppressed`].filter(Boolean);
  return parts.length ? parts.join(', ') : '–';
}

/** An ISO time to the minute, UTC ("2026-02-01 12:00 UTC"). */
export const shortTime = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
