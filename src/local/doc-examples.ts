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

/** Every page of `type` in `ctx`, described; the one resource whose ResourceId contains `token`. */
async function scanExample(type: AnyResourceType, ctx: ScanContext, token: string): Promise<Resource> {
  const found: Resource[] = [];
  let pageToken: string | undefined;
  do {
    const page = await type.list(ctx, pageToken);
    const described = await mapLimit(page.refs, 8, (ref) => type.describe(ctx, ref));
    found.push(...described.filter((r): r is Resource => r !== null && r.ResourceId.includes(token)));
    pageToken = page.nextPageToken;
  } while (pageToken);
  if (found.length !== 1) throw new Error(`${type.type}: expected 1 scanned resource with "${token}" in its ResourceId, found ${found.length}`);
  return found[0]!;
}

/** Type → normalised example JSON (2-space indent, trailing newline), for every type of `registry`. */
export async function scanDocExamples(
  clients: AwsClients,
  picks: ExamplePicks,
  runStart: number,
  registry: readonly AnyResourceType[] = REGISTRY,
): Promise<Map<string, string>> {
  // The Meta types span the account's regions: the estate's are scanned, the others excluded as
  // an account's exclusions would (fewer calls, and nothing there to show).
  const regions = (await clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions ?? [];
  const excludeRegions = regions.map((r) => r.RegionName!).filter((r) => !EXAMPLE_REGIONS.includes(r));
  const out = new Map<string, string>();
  for (const type of registry) {
    const token = picks[type.type];
    if (token === undefined) throw new Error(`${type.type}: the documentation estate has no example of this type (add one to src/local/example-estate.ts)`);
    const typeClients = DOCUMENTED_EXAMPLES[type.type]?.clients(clients, EXAMPLE_ACCOUNT) ?? clients;
    const ctx: ScanContext = { accountId: EXAMPLE_ACCOUNT, region: EXAMPLE_REGION, partition: 'aws', clients: typeClients, cache: new Map(), now: () => new Date(), excludeRegions };
    const resource = await scanExample(type, ctx, token);
    out.set(type.type, `${JSON.stringify(normaliseExample(resource, runStart), null, 2)}\n`);
  }
  return out;
}

/** Starts a fresh emulator, seeds the estate, scans it, stops the emulator. */
export async function generateDocExamples(registry: readonly AnyResourceType[] = REGISTRY): Promise<Map<string, string>> {
  const emulator = await startEmulator();
  try {
    // moto's plain test credentials act in its default account, EXAMPLE_ACCOUNT.
    const runStart = Date.now();
    const clients = createClients({ region: EXAMPLE_REGION, endpoint: emulator.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, ...EMULATOR_CLIENT_OPTIONS });
    const picks = await seedExampleEstate(clients);
    return await scanDocExamples(clients, picks, runStart, registry);
  } finally {
    await emulator.stop();
  }
}
