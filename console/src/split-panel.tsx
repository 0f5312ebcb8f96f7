/**
 * A page's split panel: the AppLayout (App.tsx) owns the slot, a page fills it with
 * useSplitPanel (memoize the panel: a new object each render would set it again and again).
 */
import { createContext, useContext, useEffect, type ReactNode } from 'react';

export interface PageSplitPanel {
  /** A Cloudscape SplitPanel. */
  element: ReactNode;
  open: boolean;
  onOpenChange(open: boolean): void;
}

export const SplitPanelContext = createContext<(panel: PageSplitPanel | undefined) => void>(() => undefined);

export function useSplitPanel(panel: PageSplitPanel | undefined): void {
  const set = useContext(SplitPanelContext);
  useEffect(() => set(panel), [set, panel]);
  useEffect(() => () => set(undefined), [set]);
}
