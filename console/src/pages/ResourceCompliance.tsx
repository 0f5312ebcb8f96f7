/** A resource's compliance as a status indicator with its counts (the list's column and the resource page). */
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { ResourceRow } from '#console/contract/resources.ts';

const TYPE: Record<ResourceRow['compliance'], StatusIndicatorProps.Type> = { passing: 'success', failing: 'error', error: 'warning', none: 'stopped' };

export function ComplianceStatus({ compliance, counts }: Pick<ResourceRow, 'compliance' | 'counts'>) {
  const detail = compliance === 'none' ? 'no policy applies' : `${counts.fail} failing, ${counts.pass} passing${counts.error ? `, ${counts.error} errors` : ''}${counts.suppressed ? `, ${counts.suppressed} suppressed` : ''}`;
  return (
    <StatusIndicator type={TYPE[compliance]}>
      {compliance} ({detail})
    </StatusIndicator>
  );
}
