/**
 * The page registry: the side navigation and the routes both derive from PAGES. A new page is one
 * file under pages/ and one entry here (navGroup puts it under a heading in the navigation).
 */
import type { ReactElement } from 'react';
import { FindingsPage } from './Findings.tsx';
import { DetectionsPage } from './Detections.tsx';
import { OverviewPage } from './Overview.tsx';
import { ResourcesPage } from './Resources.tsx';
import { AuditLogPage } from './AuditLog.tsx';
import { CloudAccountsPage } from './CloudAccounts.tsx';
import { DestinationsPage } from './Destinations.tsx';
import { ScansPage } from './Scans.tsx';

export interface PageEntry {
  /** Route path (react-router syntax); also the screenshot name docs/console/<slug>.png. */
  path: string;
  title: string;
  navGroup?: string;
  element: ReactElement;
}

export const PAGES: PageEntry[] = [
  { path: '/', title: 'Overview', element: <OverviewPage /> },
  { path: '/findings', title: 'Findings', element: <FindingsPage /> },
  { path: '/resources', title: 'Cloud Resources', element: <ResourcesPage /> },
  { path: '/detections', title: 'Detections', element: <DetectionsPage /> },
  { path: '/cloud-accounts', title: 'Cloud accounts', navGroup: 'Settings', element: <CloudAccountsPage /> },
  { path: '/destinations', title: 'Destinations', navGroup: 'Settings', element: <DestinationsPage /> },
  { path: '/scans', title: 'Scans', navGroup: 'Activity', element: <ScansPage /> },
  { path: '/audit', title: 'Audit log', navGroup: 'Activity', element: <AuditLogPage /> },
];

/** The screenshot / file name of a page: `/` is overview, `/cloud-accounts` is cloud-accounts. */
export const pageSlug = (p: PageEntry): string => (p.path === '/' ? 'overview' : p.path.replace(/^\//, '').replace(/[/:]+/g, '-'));
