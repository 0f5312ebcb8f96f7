import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resourceDocs } from '../../src/cli/resource-docs.ts';
import { readDocExamples } from '../../src/cli/resource-examples.ts';
import { REGISTRY } from '../../src/resources/index.ts';

const dir = join(import.meta.dirname, '..', '..', 'docs', 'resources');

describe('docs/resources', () => {
  it('is current with the registry and the checked-in examples (run npm run docs)', async () => {
    const expected = resourceDocs(REGISTRY, readDocExamples());
    const files = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    expect(files.sort()).toEqual([...expected.keys()].sort());
    for (const [name, content] of expected) expect(await readFile(join(dir, name), 'utf8'), name).toBe(content);
  });

  it('documents every type-specific attribute of every type', () => {
    for (const t of REGISTRY) {
      expect(t.attributes.length, t.type).toBeGreaterThan(0);
      expect(resourceDocs().get(`${t.type}.md`)).toContain(`| \`${t.attributes[0]!.name}\``);
    }
  });

  it('embeds each type\'s example as a fenced json block', () => {
    const examples = readDocExamples();
    const docs = resourceDocs(REGISTRY, examples);
    for (const t of REGISTRY) {
      const doc = docs.get(`${t.type}.md`)!;
      expect(doc, t.type).toContain('## Example (scanned from moto');
      expect(doc, t.type).toContain(`\`\`\`json\n${examples.get(t.type)!.trimEnd()}\n\`\`\``);
    }
    expect(resourceDocs(REGISTRY, new Map()).get('AWS.S3.Bucket.md')).toContain('None yet: run `npm run docs:examples`.');
  });
});
