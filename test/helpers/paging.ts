/**
 * Paging that moto does not do (it answers every item at once for some list calls): a scan
 * context whose `command` answers are sliced into pages of the requested size, with the opaque
 * token an offset, as AWS's `Marker`/`NextToken` paging behaves.
 */
import type { ClientCtor } from '../../src/aws/clients.ts';
import type { ScanContext } from '../../src/resources/types.ts';
import { intercept } from './intercept.ts';

export interface Paging {
  /** e.g. `DescribeDBClustersCommand`. */
  command: string;
  /** The list in the answer, e.g. `DBClusters`. */
  items: string;
  /** Request member carrying the page size, e.g. `MaxRecords`. */
  size: string;
  /** Request member carrying the token, e.g. `Marker`. */
  tokenIn: string;
  /** Answer member carrying the next token; defaults to `tokenIn`. */
  tokenOut?: string;
}

export function pagedBy<T>(base: ScanContext, ctor: ClientCtor<T>, p: Paging): ScanContext {
  return intercept(base, ctor, (cmd, send) => {
    if (cmd.constructor.name !== p.command) return undefined;
    const { [p.size]: size, [p.tokenIn]: token, ...rest } = cmd.input;
    const Ctor = cmd.constructor as unknown as new (input: Record<string, unknown>) => object;
    return send(new Ctor(rest)).then((all) => {
      const items = ((all as Record<string, unknown>)[p.items] as unknown[]) ?? [];
      const from = token === undefined ? 0 : Number(token);
      const n = typeof size === 'number' ? size : items.length;
      const next = from + n < items.length ? String(from + n) : undefined;
      return { ...(all as object), [p.items]: items.slice(from, from + n), [p.tokenOut ?? p.tokenIn]: next };
    });
  });
}
