import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resourceDocs } from '../../src/cli/resource-docs.ts';
import { REGISTRY } from '../../src/resources/index.ts';

const dir = join(import.meta.dirname, '..', '..', 'docs', 'resources');

describe('docs/resources', () => {
  it('is current with the registry (run npm run docs)', async () => {
    const expected = resourceDocs();
    expect((await readdir(dir)).sort()).toEqual([...expected.keys()].sort());
    for (const [name, content] of expected) expect(await readFile(join(dir, name), 'utf8'), name).toBe(content);
  });

  it('documents every type-specific attribute of every type', () => {
    for (const t of REGISTRY) {
      expect(t.attributes.length, t.type).toBeGreaterThan(0);
      expect(resourceDocs().get(`${t.type}.md`)).toContain(`| \`${t.attributes[0]!.name}\``);
    }
  });
});
