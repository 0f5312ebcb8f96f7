/** Writes templates/ (member CloudFormation, Organization StackSet, Terraform module) from src/onboarding/member-template.ts. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { templateFiles } from '../src/onboarding/member-template.ts';

const root = join(import.meta.dirname, '..');
for (const [path, content] of Object.entries(templateFiles())) {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
  console.log(`wrote ${path}`);
}
