import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startPressboxProcess, type PressboxProcess } from '../consumers/support.ts';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { servicesRequired } from '../support/environment.ts';
import { freePort } from '../support/process.ts';
import { chromiumPath } from './chromium.ts';
import { buildFrontend, feedDesk, serveSite } from './support.ts';

const base = Date.UTC(2026, 3, 1, 18, 0, 0);
const story = (key: string, minutes: number) => ({
  guid: `browser-${key}`,
  title: `Story ${key}`,
  publishedAt: new Date(base + minutes * 60_000),
});

test.skip(!servicesRequired && !existsSync(chromiumPath), `no Chromium at ${chromiumPath} (apt-get install chromium)`);

let dir: string;
let pressbox: PressboxProcess;
let feeds: FeedServer;
let site: Awaited<ReturnType<typeof serveSite>>;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dir = await mkdtemp(join(tmpdir(), 'pressbox-browser-'));
  await buildFrontend(join(dir, 'site'));
  site = await serveSite(join(dir, 'site'), await freePort());
  feeds = await startFeedServer();
  pressbox = await startPressboxProcess(join(dir, 'data'), {
    PRESSBOX_CORS_ORIGINS: site.origin,
    FEED_ALLOW_PRIVATE_NETWORKS: 'true',
    PRESSBOX_ADMIN_USER_IDS: 'admin_browser',
  });
});

test.afterAll(async () => {
  await pressbox.stop();
  await feeds.close();
  await site.close();
  await rm(dir, { recursive: true, force: true });
});

test('a fan signs in, follows a team, sees its dashboard and its news arrive live, also across a server restart', async ({ page }) => {
  await page.goto(`${site.origin}/?api=${encodeURIComponent(pressbox.url)}`);
  await page.getByLabel('Dev token').fill(pressbox.token('fan_browser'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('status')).toHaveText('Signed in as fan_browser');

  await page.getByRole('button', { name: 'Follow' }).click();
  await expect(page.locator('#team-name')).toHaveText('Boston Celtics');
  await expect(page.locator('#record')).toHaveText('Record 0-0-0');
  await expect(page.locator('#followers')).toHaveText('1 following');
  await expect(page.locator('#live')).toHaveText('live');

  const desk = feedDesk(pressbox, feeds, 'admin_browser', '/browser/bos.xml', ['nba-bos']);
  await desk.publish(story('1', 0));
  await expect(page.locator('#news li')).toHaveText(['Story 1']);

  await pressbox.restart();
  await desk.publish(story('2', 1));
  await expect(page.locator('#news li')).toHaveText(['Story 2', 'Story 1']);
  await expect(page.locator('#live')).toHaveText('live');
  await desk.publish(story('3', 2));
  await expect(page.locator('#news li')).toHaveText(['Story 3', 'Story 2', 'Story 1']);
});

test('/docs: authorize with a token and run a call', async ({ page }) => {
  await page.goto(`${pressbox.url}/docs`);
  await page.getByRole('button', { name: 'Authorize' }).first().click();
  await page.locator('.modal-ux input').first().fill(pressbox.token('fan_docs'));
  await page.locator('.modal-ux button.auth.authorize').click();
  await page.locator('.modal-ux button.btn-done, .modal-ux button.close-modal').first().click();

  const operation = page.locator('#operations-me-me-get');
  await operation.locator('.opblock-summary-control').click();
  // The reference opens with "Try it out" already on.
  await operation.locator('button.execute').click();
  await expect(operation.locator('.responses-table .response .response-col_status').first()).toHaveText('200');
  await expect(operation.locator('.responses-wrapper .highlight-code').first()).toContainText('"id": "fan_docs"');
});
