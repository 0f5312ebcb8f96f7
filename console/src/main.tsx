/** The console SPA's entry: sign in (local cookie or Cognito PKCE), then render the app. */
import '@cloudscape-design/global-styles/index.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App.tsx';
import { signIn } from './auth.ts';

const root = createRoot(document.getElementById('root')!);
signIn().then(
  () =>
    root.render(
      <StrictMode>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </StrictMode>,
    ),
  (err: unknown) => root.render(<p role="alert">Sign-in failed: {err instanceof Error ? err.message : String(err)}</p>),
);
