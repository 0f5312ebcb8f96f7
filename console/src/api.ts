/**
 * The API client: fetch with credentials, every response parsed with the contract's zod schema
 * (a response that does not match is an error, not a half-rendered page), errors as one line.
 */
import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import { authHeaders } from './auth.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function apiCall<S extends z.ZodType>(path: string, schema: S, init: RequestInit = {}): Promise<z.infer<S>> {
  const r = await fetch(`/api${path}`, { ...init, credentials: 'same-origin', headers: { Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...(await authHeaders()), ...init.headers } });
  const body: unknown = await r.json().catch(() => null);
  if (!r.ok) {
    const msg = body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : `HTTP ${r.status}`;
    throw new ApiError(r.status, `${init.method ?? 'GET'} /api${path}: ${msg}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(r.status, `${init.method ?? 'GET'} /api${path}: unexpected response (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

export interface ApiState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

/** GET `path` on mount (and on reload), parsed with `schema`. */
export function useApi<S extends z.ZodType>(path: string, schema: S): ApiState<z.infer<S>> {
  const [state, setState] = useState<{ data?: z.infer<S>; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    apiCall(path, schema).then(
      (data) => live && setState({ data, loading: false }),
      (err: unknown) => live && setState({ error: err instanceof Error ? err.message : String(err), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [path, schema, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
