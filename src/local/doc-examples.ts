/**
 * Example resources for docs/resources/: seeds the documentation estate on a fresh emulator,
 * scans every registry type with its own list/describe (as a scan does), picks the estate's
 * resource and normalises it so that a re-run writes byte-identical files.
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { createClients, type AwsClients } from '#aws/clients.ts';
import { mapLimit } from '#core/errors.ts';
import { REGISTRY, type AnyResourceType } from '#resources/index.ts';
import type { ScanContext } from '#resources/types.ts';
import type { Resource } from '#core/resource.ts';
import { startEmulator } from './emulator.ts';
import { normaliseExample } from './example-normalise.ts';
import { DOCUMENTED_EXAMPLES } from './example-documented.ts';
import { EXAMPLE_ACCOUNT, EXAMPLE_REGION, EXAMPLE_REGIONS, seedExampleEstate, type ExamplePicks } from './example-estate.ts';
import { EMULATOR_CLIENT_OPTIONS } from './emulator-retry.ts';

/** The example file of a type, relative to docs/resources/. */
export const exampleFile = (type: string) => `examples/${type}.json`;

/** Told of every command a scanner sends (the client's service ID, the command's name without `Command`, its input). */
export type OnSend = (serviceId: string, operation: string, input: unknown) => void;

/** `clients` whose every `send` is reported to `onSend` first (including sends a wrapper inside answers itself). */
function recording(clients: AwsClients, onSend: OnSend): AwsClients {
  const get: AwsClients['get'] = (ctor, region) => {
    const client = clients.get(ctor, region) as { send: (cmd: object) => Promise<unknown>; config?: { serviceId?: string } };
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver) as unknown;
        return (cmd: object) => {
          onSend(target.config?.serviceId ?? ctor.name.replace(/Client$/, ''), cmd.constructor.name.replace(/Command$/, ''), (cmd as { input?: unknown }).input);
          return target.send(cmd);
        };
      },
    }) as never;
  };
  return { region: clients.region, get };
}

/**
 * Every page of `type` in `ctx`, described; the one resource whose ResourceId contains `token`.
 * That resource is also described again from its bare ref with an empty scope cache, as a
 * real-time rescan does (so the calls only that path makes are exercised too); it must be found.
 */
async function scanExample(type: AnyResourceType, ctx: ScanContext, token: string): Promise<Resource> {
  const found: { ref: unknown; resource: Resource }[] = [];
  let pageToken: string | undefined;
  do {
    const page = await type.list(ctx, pageToken);
    const described = await mapLimit(page.refs, 8, async (ref) => ({ ref, resource: await type.describe(ctx, ref) }));
    for (const d of described) if (d.resource !== null && d.resource.ResourceId.includes(token)) found.push({ ref: d.ref, resource: d.resource });
    pageToken = page.nextPageToken;
  } while (pageToken);
  if (found.length !== 1) throw new Error(`${type.type}: expected 1 scanned resource with "${token}" in its ResourceId, found ${found.length}`);
  const again = await type.describe({ ...ctx, cache: new Map() }, found[0]!.ref);
  if (again?.ResourceId !== found[0]!.resource.ResourceId) throw new Error(`${type.type}: a real-time describe of ${found[0]!.resource.ResourceId} (empty scope cache) found ${again?.ResourceId ?? 'nothing'}`);
  return found[0]!.resource;
}

/** Type → normalised example JSON (2-space indent, trailing newline), for every type of `registry`. */
export async function scanDocExamples(
  clients: AwsClients,
  picks: ExamplePicks,
  runStart: number,
  registry: readonly AnyResourceType[] = REGISTRY,
  onSend?: OnSend,
): Promise<Map<string, string>> {
  // The Meta types span the account's regions: the estate's are scanned, the others excluded as
  // an account's exclusions would (fewer calls, and nothing there to show).
  const regions = (await clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions ?? [];
  const excludeRegions = regions.map((r) => r.RegionName!).filter((r) => !EXAMPLE_REGIONS.includes(r));
  const out = new Map<string, string>();
  for (const type of registry) {
    const token = picks[type.type];
    if (token === undefined) throw new Error(`${type.type}: the documentation estate has no example of this type (add one to src/local/example-estate.ts)`);
    const documented = DOCUMENTED_EXAMPLES[type.type]?.clients(clients, EXAMPLE_ACCOUNT) ?? clients;
    const typeClients = onSend ? recording(documented, onSend) : documented;
    const ctx: ScanContext = { accountId: EXAMPLE_ACCOUNT, region: EXAMPLE_REGION, partition: 'aws', clients: typeClients, cache: new Map(), now: () => new Date(), excludeRegions };
    const resource = await scanExample(type, ctx, token);
    out.set(type.type, `${JSON.stringify(normaliseExample(resource, runStart), null, 2)}\n`);
  }
  return out;
}

/** Starts a fresh emulator, seeds the estate, scans it (its commands told to `onSend`), stops the emulator. */
export async function generateDocExamples(registry: readonly AnyResourceType[] = REGISTRY, onSend?: OnSend): Promise<Map<string, string>> {
  const emulator = await startEmulator();
  try {
    // moto's plain test credentials act in its default account, EXAMPLE_ACCOUNT.
    const runStart = Date.now();
    const clients = createClients({ region: EXAMPLE_REGION, endpoint: emulator.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, ...EMULATOR_CLIENT_OPTIONS });
    const picks = await seedExampleEstate(clients);
    return await scanDocExamples(clients, picks, runStart, registry, onSend);
  } finally {
    await emulator.stop();
  }
}
