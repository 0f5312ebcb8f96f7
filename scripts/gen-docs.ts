/** Writes docs/resources/ from the registry and the checked-in example resources. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resourceDocs } from '../src/cli/resource-docs.ts';
import { readDocExamples, RESOURCE_DOCS_DIR } from '../src/cli/resource-examples.ts';

await mkdir(RESOURCE_DOCS_DIR, { recursive: true });
for (const [name, content] of resourceDocs(undefined, readDocExamples())) await writeFile(join(RESOURCE_DOCS_DIR, name), content);
console.log(`wrote ${RESOURCE_DOCS_DIR}`);
