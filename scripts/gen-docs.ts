/** Writes docs/resources/ from the registry. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resourceDocs } from '../src/cli/resource-docs.ts';

const dir = join(import.meta.dirname, '..', 'docs', 'resources');
await mkdir(dir, { recursive: true });
for (const [name, content] of resourceDocs()) await writeFile(join(dir, name), content);
console.log(`wrote ${dir}`);
