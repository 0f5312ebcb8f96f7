/** Which Alerts-table stream records are deliverable transitions: a new OPEN alert, or OPEN → RESOLVED. */
import type { AlertItem } from '#compliance/model.ts';

export function alertTransition(eventName: string | undefined, oldImage?: AlertItem, newImage?: AlertItem): AlertItem | undefined {
  if (eventName === 'INSERT' && newImage?.status === 'OPEN') return newImage;
  if (eventName === 'MODIFY' && oldImage?.status === 'OPEN' && newImage?.status === 'RESOLVED') return newImage;
  return undefined;
}
