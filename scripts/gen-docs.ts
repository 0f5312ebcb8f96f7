/** Writes docs/resources/ from the registry and the checked-in example resources, and the framework coverage of policies/README.md. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resourceDocs } from '../src/cli/resource-docs.ts';
import { readDocExamples, RESOURCE_DOCS_DIR } from '../src/cli/resource-examples.ts';
import { BUILTIN_PACK, readCatalog } from '../src/cli/policy-catalog.ts';
import { coverageMarkdown, withCoverage } from '../src/compliance/frameworks/coverage-doc.ts';
import { FRAMEWORKS } from '../src/compliance/frameworks/index.ts';
import { projectRoot } from '../src/core/paths.ts';

await mkdir(RESOURCE_DOCS_DIR, { recursive: true });
for (const [name, content] of resourceDocs(undefined, readDocExamples())) await writeFile(join(RESOURCE_DOCS_DIR, name), content);
console.log(`wrote ${RESOURCE_DOCS_DIR}`);

// policies/README.md: the framework coverage tables, from the model and the built-in pack's specs.
const policiesReadme = join(projectRoot, 'policies', 'README.md');
await writeFile(policiesReadme, withCoverage(await readFile(policiesReadme, 'utf8'), coverageMarkdown(FRAMEWORKS, readCatalog(BUILTIN_PACK))));
console.log(`wrote the framework coverage of ${policiesReadme}`);
