/**
 * The running pack's policy catalog from the deployed engine function (`{"action": "catalog"}`):
 * the console lists the policies the engine actually evaluates with — the uploaded bundle, else
 * the built-in one — without a Python runtime of its own. Kept briefly, like the engine keeps the
 * active bundle (BUNDLE_TTL_SECONDS), so a page of requests costs one invocation; a console
 * publish forgets it, so the list shows the published pack at once.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { PolicyCatalogSchema, type PolicyCatalog } from '#compliance/catalog.ts';
import { BUNDLE_TTL_SECONDS } from './active-bundle.ts';

/** The catalog reader; `forget()` drops the kept catalog (a console publish changed the pack). */
export type EngineCatalog = (() => Promise<PolicyCatalog>) & { forget(): void };

export function engineCatalog(lambda: LambdaClient, functionName: string, now: () => number = Date.now): EngineCatalog {
  let kept: { at: number; catalog: Promise<PolicyCatalog> } | undefined;
  const read = async (): Promise<PolicyCatalog> => {
    const r = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify({ action: 'catalog' })) }));
    const text = r.Payload ? Buffer.from(r.Payload).toString('utf8') : '';
    if (r.FunctionError) throw new Error(`policy engine ${functionName}: the catalog failed: ${text.slice(0, 300)}`);
    const parsed = PolicyCatalogSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`policy engine ${functionName}: catalog: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  };
  const current = () => {
    if (!kept || now() - kept.at > BUNDLE_TTL_SECONDS * 1000) {
      const catalog = read();
      kept = { at: now(), catalog };
      // A failure is not kept: the next request asks again.
      catalog.catch(() => {
        if (kept?.catalog === catalog) kept = undefined;
      });
    }
    return kept.catalog;
  };
  return Object.assign(current, {
    forget: () => {
      kept = undefined;
    },
  });
}
