/**
 * The checked-in example resources are current with the scanner: the documentation estate is
 * seeded on a fresh moto server, scanned again with the registry's list/describe and normalised,
 * and must equal docs/resources/examples/ byte for byte (else run `npm run docs:examples`).
 */
import { describe, expect, it } from 'vitest';
import { readDocExamples } from '../../../src/cli/resource-examples.ts';
import { generateDocExamples } from '../../../src/local/doc-examples.ts';

describe('npm run docs:examples', () => {
  it('reproduces the checked-in examples from a fresh scan of moto', async () => {
    // Its own emulator: the estate lives in moto's default account, which must start empty.
    const generated = await generateDocExamples();
    const checkedIn = readDocExamples();
    expect([...generated.keys()].sort()).toEqual([...checkedIn.keys()].sort());
    for (const [type, json] of generated) expect(json, `${type} (run npm run docs:examples)`).toBe(checkedIn.get(type));
  }, 120_000);
});
