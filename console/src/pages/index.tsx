/**
 * The page registry: the side navigation and the routes both derive from PAGES. A new page is one
 * file under pages/ and one entry here (navGroup puts it under a heading in the navigation).
 */
import type { ReactElement } from 'react';
import { OverviewPage } from './Overview.tsx';

export interface PageEntry {
  /** Route path (react-router syntax); also the screenshot name docs/console/<slug>.png. */
  path: string;
  title: string;
  navGroup?: string;
  element: ReactElement;
}

export const PAGES: PageEntry[] = [{ path: '/', title: 'Overview', element: <OverviewPage /> }];

/** The screenshot / file name of a page: `/` is overview, `/cloud-accounts` is cloud-accounts. */
export const pageSlug = (p: PageEntry): string => (p.path === '/' ? 'overview' : p.path.replace(/^\//, '').replace(/[/:]+/g, '-'));
