/**
 * The console's response headers, declared once: CloudFront's response headers policy
 * (lib/constructs/console.ts) and the local server of `posture console` both send exactly these.
 * The single-page app loads only its own bundled scripts and styles and talks only to its own
 * origin (the API is served under /api on the same origin), plus the Cognito endpoints when deployed.
 */
export interface ConsoleCspOptions {
  /** Extra origins the app may call (the Cognito hosted UI / token endpoint when deployed). */
  connectSrc?: readonly string[];
  /** Served over HTTPS (CloudFront): upgrade any http: request. The local server on 127.0.0.1 is plain http. */
  https?: boolean;
}

export function contentSecurityPolicy(opts: ConsoleCspOptions = {}): string {
  const connect = ["'self'", ...(opts.connectSrc ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    // Cloudscape sets inline style attributes at run time; no inline scripts are allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    // The code editor (Ace) runs its syntax worker from a blob: URL.
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https === false ? [] : ['upgrade-insecure-requests']),
  ].join('; ');
}

/** The other security headers, as name → value. HSTS is CloudFront's (HTTPS only); the local server omits it. */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

export const HSTS = { maxAgeSeconds: 63_072_000, includeSubdomains: true, preload: false } as const;
