/**
 * `npm run docs:console`: starts the console on the demo estate (test/helpers/console.ts) and saves
 * docs/console/<page>.png for every page of the registry. The pages are read from the app's side
 * navigation, which is built from PAGES (console/src/pages/index.tsx), so a new page gets its
 * screenshot without touching this script. Then the views a page opens: a resource's page (the
 * bastion group, changed in real time, with its History), a
 * policy in the editor and the connect-an-account wizard (docs/console/<page>-<view>.png).
 */
import { mkdir } from 'node:fs/promises';
import { DEMO_MEMBERS, emitCloudTrailEvent, openBastionToTheWorld } from '../src/local/seed.ts';
import { signedInPage, startConsoleFixture } from '../test/helpers/console.ts';

const OUT = 'docs/console';

const fx = await startConsoleFixture(['admin']);
try {
  await mkdir(OUT, { recursive: true });
  const { page, errors } = await signedInPage(fx.browser, fx.servers.admin);
  await page.setViewportSize({ width: 1440, height: 1100 });
  await page.waitForLoadState('networkidle');
  const hrefs = await page.locator('nav a[href^="/"]').evaluateAll((links) => [...new Set(links.map((a) => a.getAttribute('href')!))]);
  for (const href of hrefs) {
    await page.goto(`${fx.servers.admin.url}${href}`, { waitUntil: 'networkidle' });
    // Charts animate in; the page is complete once no spinner is left.
    await page.waitForFunction(() => !document.querySelector('[class*="awsui_spinner"]'), undefined, { timeout: 30_000 });
    await page.waitForTimeout(400);
    const slug = href === '/' ? 'overview' : href.replace(/^\//, '').replace(/[/:]+/g, '-');
    await page.screenshot({ path: `${OUT}/${slug}.png`, fullPage: true });
    console.log(`wrote ${OUT}/${slug}.png`);
  }
  // The views behind a page: the demo's bastion group after a developer opened it to the world
  // (its History shows the version with the diff and the caller), a built-in policy, the wizard.
  const detail = await openBastionToTheWorld(fx.rt.clients, fx.rt.endpoint, fx.seeded.bastionGroupId);
  await emitCloudTrailEvent(fx.rt.clients, fx.rt.endpoint, detail);
  await fx.rt.pollRealtime();
  const resourceId = `arn:aws:ec2:us-east-1:${DEMO_MEMBERS[0]!.accountId}:security-group/${fx.seeded.bastionGroupId}`;
  const views: [string, string, string][] = [
    ['resources-detail', `/resources?id=${encodeURIComponent(resourceId)}`, 'AuthorizeSecurityGroupIngress'],
    ['detections-editor', '/detections?policy=AWS.S3.Bucket.PublicACL', 'Run tests'],
    ['cloud-accounts-connect', '/cloud-accounts?connect', 'Account ID'],
  ];
  for (const [slug, href, text] of views) {
    await page.goto(`${fx.servers.admin.url}${href}`, { waitUntil: 'networkidle' });
    await page.getByText(text).first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => !document.querySelector('[class*="awsui_spinner"]'), undefined, { timeout: 30_000 });
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${OUT}/${slug}.png`, fullPage: true });
    console.log(`wrote ${OUT}/${slug}.png`);
  }
  if (errors.length) throw new Error(`console errors while taking screenshots: ${errors.join('; ')}`);
} finally {
  await fx.close();
}
