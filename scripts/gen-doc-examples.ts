/** Writes docs/resources/examples/<type>.json: the documentation estate scanned on a fresh emulator. */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDocExamples } from '../src/local/doc-examples.ts';

const dir = join(import.meta.dirname, '..', 'docs', 'resources', 'examples');
const started = Date.now();
const examples = await generateDocExamples();
await mkdir(dir, { recursive: true });
// A type that left the registry leaves no stale example behind.
for (const name of await readdir(dir)) if (!examples.has(name.replace(/\.json$/, ''))) await rm(join(dir, name));
for (const [type, json] of examples) await writeFile(join(dir, `${type}.json`), json);
console.log(`wrote ${examples.size} examples to ${dir} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
