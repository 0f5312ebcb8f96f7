/**
 * How the SPA signs in. GET /config.json says which mode: `local` (`posture console`: the session
 * cookie set from the one-time token; nothing to do here) or `cognito` (deployed: OpenID Connect
 * authorization code + PKCE against the Cognito user pool with oidc-client-ts; the access token
 * goes in `Authorization: Bearer` on every API call, checked by the HTTP API's JWT authorizer).
 */
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';

export type ConsoleConfig = { mode: 'local' } | { mode: 'cognito'; authority: string; clientId: string; redirectUri?: string; logoutUri?: string };

let manager: UserManager | undefined;
let config: ConsoleConfig | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  if (config) return config;
  const r = await fetch('/config.json', { credentials: 'same-origin' });
  if (!r.ok) throw new Error(`/config.json: HTTP ${r.status}`);
  config = (await r.json()) as ConsoleConfig;
  return config;
}

function userManager(c: Extract<ConsoleConfig, { mode: 'cognito' }>): UserManager {
  manager ??= new UserManager({
    authority: c.authority,
    client_id: c.clientId,
    redirect_uri: c.redirectUri ?? `${location.origin}/`,
    post_logout_redirect_uri: c.logoutUri ?? `${location.origin}/`,
    response_type: 'code',
    scope: 'openid email profile',
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
  return manager;
}

/**
 * Ready to call the API: locally at once; deployed, finishes a redirect back from the hosted UI
 * (`?code=`) or starts one when there is no valid session (the page navigates away).
 */
export async function signIn(): Promise<void> {
  const c = await loadConfig();
  if (c.mode === 'local') return;
  const um = userManager(c);
  if (new URLSearchParams(location.search).has('code')) {
    await um.signinRedirectCallback();
    history.replaceState(null, '', location.pathname);
    return;
  }
  const user = await um.getUser();
  if (!user || user.expired) await um.signinRedirect({ state: location.pathname });
}

/** Headers for an API call: a Bearer token when deployed, none locally (the cookie goes along). */
export async function authHeaders(): Promise<Record<string, string>> {
  const c = await loadConfig();
  if (c.mode === 'local') return {};
  const user = await userManager(c).getUser();
  return user && !user.expired ? { Authorization: `Bearer ${user.access_token}` } : {};
}
