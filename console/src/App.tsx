/** The shell: top navigation (user and role), side navigation and routes, both from the page registry. */
import AppLayout from '@cloudscape-design/components/app-layout';
import SideNavigation, { type SideNavigationProps } from '@cloudscape-design/components/side-navigation';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { principalSchema } from '#console/auth.ts';
import { useState } from 'react';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useApi } from './api.ts';
import { ErrorFlash } from './ErrorFlash.tsx';
import { PAGES } from './pages/index.tsx';
import { PrincipalContext } from './session.tsx';

function navItems(): SideNavigationProps.Item[] {
  const items: SideNavigationProps.Item[] = [];
  const groups = new Map<string, SideNavigationProps.Link[]>();
  for (const p of PAGES) {
    const link: SideNavigationProps.Link = { type: 'link', text: p.title, href: p.path };
    if (!p.navGroup) items.push(link);
    else {
      if (!groups.has(p.navGroup)) {
        groups.set(p.navGroup, []);
        items.push({ type: 'section', text: p.navGroup, items: groups.get(p.navGroup)! });
      }
      groups.get(p.navGroup)!.push(link);
    }
  }
  return items;
}

export function App() {
  const me = useApi('/me', principalSchema);
  const location = useLocation();
  const navigate = useNavigate();
  const [navigationOpen, setNavigationOpen] = useState(true);
  return (
    <PrincipalContext.Provider value={me.data}>
      <div id="top-nav">
        <TopNavigation
          identity={{ href: '/', title: 'Posture' }}
          utilities={me.data ? [{ type: 'button', text: `${me.data.name} (${me.data.role})`, iconName: 'user-profile', ariaLabel: `Signed in as ${me.data.name}, role ${me.data.role}` }] : []}
        />
      </div>
      <AppLayout
        headerSelector="#top-nav"
        toolsHide
        navigationOpen={navigationOpen}
        onNavigationChange={(e) => setNavigationOpen(e.detail.open)}
        ariaLabels={{ navigation: 'Side navigation', navigationClose: 'Close the side navigation', navigationToggle: 'Open the side navigation', notifications: 'Notifications' }}
        navigation={
          <SideNavigation
            header={{ href: '/', text: 'Posture' }}
            activeHref={location.pathname}
            items={navItems()}
            onFollow={(e) => {
              if (e.detail.external) return;
              e.preventDefault();
              navigate(e.detail.href);
            }}
          />
        }
        notifications={me.error ? <ErrorFlash message={me.error} /> : undefined}
        content={
          <Routes>
            {PAGES.map((p) => (
              <Route key={p.path} path={p.path} element={p.element} />
            ))}
            <Route path="*" element={<ErrorFlash message={`${location.pathname}: no such page`} />} />
          </Routes>
        }
      />
    </PrincipalContext.Provider>
  );
}
