/**
 * /config.json: what the single-page app reads at start to know how to sign in. The stack writes
 * it next to the app (lib/constructs/console.ts, values resolved at deploy time); declared once here
 * so the writer and the app's reader cannot drift.
 */
import { z } from 'zod';

export const SPA_CONFIG_FILE = 'config.json';

/** Deployed: sign in through the Cognito hosted UI (authorization code + PKCE), then call /api with the access token. */
export const cognitoSpaConfigSchema = z.object({
  mode: z.literal('cognito'),
  region: z.string().min(1),
  userPoolId: z.string().min(1),
  /** The app client (public, no secret). */
  clientId: z.string().min(1),
  /** Base URL of the hosted UI and OAuth endpoints, e.g. https://posture-abc123.auth.eu-west-1.amazoncognito.com */
  cognitoDomain: z.string().url(),
});
export type CognitoSpaConfig = z.infer<typeof cognitoSpaConfigSchema>;

/** `posture console`: signed in by the session cookie the one-time token set; nothing to do in the app. */
export const localSpaConfigSchema = z.object({ mode: z.literal('local') });

export const spaConfigSchema = z.discriminatedUnion('mode', [localSpaConfigSchema, cognitoSpaConfigSchema]);
export type SpaConfig = z.infer<typeof spaConfigSchema>;

/** The user pool's issuer (what the JWT authorizer trusts and the tokens name). */
export const cognitoIssuer = (c: CognitoSpaConfig): string => `https://cognito-idp.${c.region}.amazonaws.com/${c.userPoolId}`;
