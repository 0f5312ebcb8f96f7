/**
 * The example resource of each type's doc: read from the checked-in docs/resources/examples/
 * (written by `npm run docs:examples`, which scans the documentation estate on moto) and rendered
 * as a section of docs/resources/<type>.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCUMENTED_EXAMPLES, EMULATOR_GAPS } from '#local/example-documented.ts';
import { projectRoot } from '#core/paths.ts';

export const RESOURCE_DOCS_DIR = join(projectRoot, 'docs', 'resources');
export const EXAMPLES_DIR = join(RESOURCE_DOCS_DIR, 'examples');

/** Type → example JSON text, from the files in `dir` (empty when there is none yet). */
export function readDocExamples(dir = EXAMPLES_DIR): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => [f.slice(0, -'.json'.length), readFileSync(join(dir, f), 'utf8')]),
  );
}

/** The "Example" section of a type's doc. */
export function renderExampleSection(type: string, json: string | undefined): string[] {
  if (json === undefined) return ['## Example', '', 'None yet: run `npm run docs:examples`.', ''];
  const documented = DOCUMENTED_EXAMPLES[type]?.reason;
  const gap = EMULATOR_GAPS[type];
  return [
    documented ? '## Example (scanned from moto, completed from documented responses)' : '## Example (scanned from moto)',
    '',
    'Created on the emulator by `npm run docs:examples` (`src/local/example-estate.ts`) and scanned with this type\'s own list and describe. ' +
      'Timestamps of the run and generated IDs are replaced by fixed placeholders (`src/local/example-normalise.ts`).',
    ...(documented ? ['', documented] : []),
    ...(gap ? ['', `${gap.attributes.map((a) => `\`${a}\``).join(' and ')} ${gap.attributes.length > 1 ? 'are' : 'is'} null here only because ${gap.reason}.`] : []),
    '',
    '```json',
    json.trimEnd(),
    '```',
    '',
  ];
}
