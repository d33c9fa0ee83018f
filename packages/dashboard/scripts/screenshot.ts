/**
 * Renders the overview with the real forecasts (data/predictions.yaml) and the plausible articles in
 * testdata/articles.json, judged by the real scorer, and saves docs/dashboard.png (or the page at
 * `path`, at `width` CSS pixels: docs/forecast.png is the forecast page).
 *
 *   cd packages/dashboard && npx tsx scripts/screenshot.ts [out.png] [path] [width]
 *   npx tsx scripts/screenshot.ts ../../docs/forecast.png /predictions/china-keeps-russia-partnership
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDb } from '@signpost/db/testing';
import { createLogger } from '@signpost/log';
import { chromium } from 'playwright-core';
import { createApp } from '../src/app.tsx';
import { serveApp } from '../src/serve.ts';
import { seedDashboard } from '../test/seed.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/browser.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] ?? path.join(here, '../../../docs/dashboard.png'));
const page = process.argv[3] ?? '/';
const width = Number(process.argv[4] ?? 1280);
// The articles run to December 2024; the dashboard is shown as it stood in early January 2025.
const now = new Date('2025-01-06T12:00:00Z');

const database = await createTestDb();
const seeded = await seedDashboard(database.db, { now });
console.log(`seeded ${seeded.predictions} forecasts, ${seeded.articles} articles, ${seeded.judgments} judgments`);
const server = await serveApp(createApp({ db: database.db, logger: createLogger({ level: 'warn' }), now: () => now }), {
  host: '127.0.0.1',
  port: 0,
});
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
try {
  const tab = await browser.newPage({ viewport: { width, height: width < 600 ? 1400 : 1600 }, deviceScaleFactor: 1 });
  await tab.goto(`${server.url}${page}`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await tab.screenshot({ path: out, fullPage: false });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
  await server.close();
  await database.close();
}
