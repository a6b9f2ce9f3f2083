// The UI shell in a real browser: every page passes axe-core, and the forms work without
// JavaScript.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessibilityViolations, describeInBrowser, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser';
import { createArea, createUser } from '../support/factories';

describeInBrowser('the UI shell in Chromium', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(async () => h?.close());

  it('passes axe on every administration page, error states included', async () => {
    const area = await createArea(h.database.db);
    const admin = await createUser(h.database.db, area, 'administrator', { name: 'Ada Admin' });
    const context = await h.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${h.baseUrl}/sign-in`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await signInInBrowser(page, h.baseUrl, admin.email, admin.password);
    for (const path of ['/', '/admin/users', '/admin/users/new', `/admin/users/${admin.id}`, '/admin/system-accounts', '/account/password', '/accessibility', '/no-such-page']) {
      await page.goto(`${h.baseUrl}${path}`);
      expect(await accessibilityViolations(page), path).toEqual([]);
    }
    await page.goto(`${h.baseUrl}/admin/users/new`);
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Enter the person’s full name');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('works without JavaScript: sign in, add a user, sign out', async () => {
    const area = await createArea(h.database.db);
    const admin = await createUser(h.database.db, area, 'administrator');
    const context = await h.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInInBrowser(page, h.baseUrl, admin.email, admin.password);
    await page.goto(`${h.baseUrl}/admin/users/new`);
    await page.getByLabel('Full name').fill('Nadia Okafor');
    await page.getByLabel('Work email address').fill('nadia.okafor@council.test');
    await page.getByLabel('Agency').selectOption({ label: 'Testshire Children’s Services' });
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Social worker' });
    await page.getByLabel('First password').fill('kettle orchard lantern river');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Nadia Okafor');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.url()).toContain('/sign-in');
    await context.close();
  });
});
