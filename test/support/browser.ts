// Browser tests: the real server on a free port, driven by the system's Chromium through
// Playwright, with an axe-core accessibility check on every page visited.
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, inject } from 'vitest';
import { buildApp } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import type { Engine } from '../../src/db/database';
import { freshDatabase, type TestDatabase } from './database';
import type { FastifyInstance } from 'fastify';

/** Browser suites run once, on PostgreSQL when configured (as in CI), else the embedded database. */
export const browserEngine: Engine = inject('postgresTemplate') ? 'postgres' : 'pglite';

/** describe(), or describe.skip() with the reason printed when Chromium is not installed. */
export const describeInBrowser = inject('chromiumPath') ? describe : describe.skip;

export interface BrowserHarness {
  browser: Browser;
  app: FastifyInstance;
  database: TestDatabase;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startBrowserHarness(): Promise<BrowserHarness> {
  const database = await freshDatabase(browserEngine);
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database, secret: 'browser-test-secret-of-at-least-32-characters' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: inject('chromiumPath') ?? undefined,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser, app, database, baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await browser.close();
      await app.close();
      await database.dispose();
    },
  };
}

/** Runs axe-core on the page and returns its violations, described briefly. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

export async function signInInBrowser(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}
