/**
 * How the SPA signs in. GET /config.json says which mode: `local` (`posture console`: the session
 * cookie set from the one-time token; nothing to do here) or `cognito` (deployed: OpenID Connect
 * authorization code + PKCE against the Cognito user pool with oidc-client-ts; the access token
 * goes in `Authorization: Bearer` on every API call, checked by the HTTP API's JWT authorizer).
 */
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { cognitoIssuer, spaConfigSchema, type CognitoSpaConfig, type SpaConfig } from '#console/spa-config.ts';

export type ConsoleConfig = SpaConfig;

let manager: UserManager | undefined;
let config: ConsoleConfig | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  if (config) return config;
  const r = await fetch('/config.json', { credentials: 'same-origin' });
  if (!r.ok) throw new Error(`/config.json: HTTP ${r.status}`);
  const parsed = spaConfigSchema.safeParse(await r.json());
  if (!parsed.success) throw new Error(`/config.json: ${parsed.error.issues[0]?.path.join('.') || 'mode'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  config = parsed.data;
  return config;
}

/**
 * The hosted UI's endpoints are given, not discovered: discovery would fetch from cognito-idp, an
 * origin the Content-Security-Policy does not allow (connect-src is the app and the Cognito domain).
 */
function userManager(c: CognitoSpaConfig): UserManager {
  const home = `${location.origin}/`;
  manager ??= new UserManager({
    authority: cognitoIssuer(c),
    metadata: {
      issuer: cognitoIssuer(c),
      authorization_endpoint: `${c.cognitoDomain}/oauth2/authorize`,
      token_endpoint: `${c.cognitoDomain}/oauth2/token`,
      userinfo_endpoint: `${c.cognitoDomain}/oauth2/userInfo`,
      revocation_endpoint: `${c.cognitoDomain}/oauth2/revoke`,
      // Cognito's logout is not the OIDC end-session endpoint: it takes client_id and logout_uri.
      end_session_endpoint: `${c.cognitoDomain}/logout?client_id=${encodeURIComponent(c.clientId)}&logout_uri=${encodeURIComponent(home)}`,
    },
    client_id: c.clientId,
    redirect_uri: home,
    post_logout_redirect_uri: home,
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
