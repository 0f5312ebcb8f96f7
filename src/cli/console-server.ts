/**
 * `posture console`'s server: the console API (createConsoleApp, the same routes the Lambda runs)
 * and the built single-page app (dist/console/) on 127.0.0.1. Sign-in is a random one-time token in
 * the printed URL, exchanged for an HttpOnly SameSite=Strict session cookie; every API request
 * without that cookie is 401. Nothing route-specific lives here.
 */
import { localSpaConfigSchema, SPA_CONFIG_FILE } from '#console/spa-config.ts';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { createConsoleApp } from '#console/app.ts';
import type { Principal } from '#console/auth.ts';
import type { ConsolePorts } from '#console/ports.ts';
import { contentSecurityPolicy, SECURITY_HEADERS } from '#console/security-headers.ts';
import { projectRoot } from '#core/paths.ts';

export const SESSION_COOKIE = 'posture_session';
export const DEFAULT_CONSOLE_DIR = join(projectRoot, 'dist', 'console');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export interface ConsoleServerOptions {
  ports: ConsolePorts;
  principal: Principal;
  /** 0: any free port. */
  port?: number;
  /** The built SPA (default dist/console). */
  staticDir?: string;
}

export interface ConsoleServer {
  url: string;
  /** The sign-in URL with a fresh one-time token. */
  signInUrl(): string;
  close(): Promise<void>;
}

/** A cookie of a plain Request (the API's authenticate sees the raw request). */
const getCookieOf = (req: Request, name: string): string | undefined =>
  (req.headers.get('cookie') ?? '').split(';').map((p) => p.trim().split('=')).find(([k]) => k === name)?.[1];

const random = (): string => randomBytes(32).toString('base64url');

export async function startConsoleServer(opts: ConsoleServerOptions): Promise<ConsoleServer> {
  const staticDir = opts.staticDir ?? DEFAULT_CONSOLE_DIR;
  const index = await readFile(join(staticDir, 'index.html')).catch(() => {
    throw new Error(`${join(staticDir, 'index.html')}: the console is not built; run npm run build:console`);
  });
  const tokens = new Set<string>();
  const sessions = new Set<string>();
  const api = createConsoleApp(opts.ports, async (req) => {
    const cookie = getCookieOf(req, SESSION_COOKIE);
    return cookie && sessions.has(cookie) ? opts.principal : null;
  });

  const root = new Hono();
  root.use('*', async (c, next) => {
    await next();
    c.res.headers.set('Content-Security-Policy', contentSecurityPolicy({ https: false }));
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  });
  // A one-time token on any page: spend it, set the session cookie, drop it from the URL.
  root.use('*', async (c, next) => {
    const token = c.req.query('token');
    if (token === undefined) return next();
    if (!tokens.delete(token)) return c.text('This sign-in link was already used or is not valid; run posture console again for a new one.', 401);
    const session = random();
    sessions.add(session);
    setCookie(c, SESSION_COOKIE, session, { httpOnly: true, sameSite: 'Strict', path: '/' });
    const url = new URL(c.req.url);
    url.searchParams.delete('token');
    return c.redirect(`${url.pathname}${url.search}`, 302);
  });
  root.get(`/${SPA_CONFIG_FILE}`, (c) => c.json(localSpaConfigSchema.parse({ mode: 'local' })));
  root.route('/', api);
  root.get('*', async (c) => {
    const path = normalize(decodeURIComponent(new URL(c.req.url).pathname)).replace(/^([/\\])+/, '');
    const file = join(staticDir, path);
    if (path && file.startsWith(staticDir + sep) && extname(file)) {
      const body = await readFile(file).catch(() => undefined);
      if (body) return c.body(body, 200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache' });
      return c.text('not found', 404);
    }
    // Client-side routes: every other path is the app.
    return c.body(index, 200, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-cache' });
  });

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: root.fetch, hostname: '127.0.0.1', port: opts.port ?? 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    signInUrl() {
      const token = random();
      tokens.add(token);
      return `${url}/?token=${token}`;
    },
    close: () => new Promise<void>((res, rej) => server.close((err) => (err ? rej(err) : res()))),
  };
}
