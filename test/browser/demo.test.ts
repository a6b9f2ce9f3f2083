// The demo area in a real browser: a MASH practitioner finds a child of the demo area by a
// misspelt name, opens the child's page (the view is audited), and a user of another area who
// follows the same address is told the page was not found.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoArea } from '../../src/demo/seed';
import { demoPassword } from '../../src/demo/users';
import { accessibilityViolations, describeInBrowser, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser';
import { createArea, createUser } from '../support/factories';

describeInBrowser('the demo area in Chromium', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(async () => h?.close());

  it('a MASH practitioner finds a demo child and opens their page; another area gets "not found" at the same address', async () => {
    const { db } = h.database;
    const seeded = await seedDemoArea(h.database, { children: 300, seed: 11, areaCode: 'demo' });
    const practitioner = seeded.users.find((u) => u.role === 'mash_practitioner')!;
    // A child of the demo area at the front door (so the MASH is involved with them).
    const child = await db
      .selectFrom('contact as c')
      .innerJoin('person as p', 'p.id', 'c.child_person_id')
      .select(['p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth'])
      .where('p.area_id', '=', seeded.areaId).where('c.stage', '<>', 'closed').where('p.date_of_birth', 'is not', null)
      .where('p.merged_into', 'is', null).where(({ fn }) => fn('length', ['p.family_name']), '>=', 5)
      .orderBy('p.id').limit(1).executeTakeFirstOrThrow();
    const fullName = `${child.given_name} ${child.family_name}`;
    // A vowel of the family name mistyped, as a hurried search would.
    const family = child.family_name!;
    const at = family.slice(1).search(/[aeiou]/) + 1;
    const misspelt = `${child.given_name} ${at > 0 ? family.slice(0, at) + (family[at] === 'a' ? 'e' : 'a') + family.slice(at + 1) : family}`;
    expect(misspelt).not.toBe(fullName);

    const context = await h.browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, h.baseUrl, practitioner.email, demoPassword);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Find a person' }).click();
    await page.getByLabel('Name').fill(misspelt);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain(fullName);
    expect(await accessibilityViolations(page), 'search results').toEqual([]);
    await page.getByRole('link', { name: fullName }).first().click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(fullName);
    const personUrl = page.url();
    expect(personUrl).toContain('/people/');
    expect(await accessibilityViolations(page), 'person page').toEqual([]);
    await context.close();

    const viewed = await db.selectFrom('audit_event').select(['actor_user_id', 'record_id'])
      .where('area_id', '=', seeded.areaId).where('action', '=', 'person.view').execute();
    expect(viewed.some((v) => v.record_id === personUrl.split('/people/')[1]!.split(/[?#]/)[0])).toBe(true);

    // Someone of another area, with the same role, follows the same address.
    const elsewhere = await createArea(db, 'Elsewhere Safeguarding Partnership');
    const stranger = await createUser(db, elsewhere, 'mash_practitioner');
    const strangerContext = await h.browser.newContext();
    const strangerPage = await strangerContext.newPage();
    await signInInBrowser(strangerPage, h.baseUrl, stranger.email, stranger.password);
    const response = await strangerPage.goto(personUrl);
    expect(response?.status()).toBe(404);
    expect(await strangerPage.locator('h1').textContent()).toContain('not found');
    const text = await strangerPage.locator('main').textContent();
    expect(text).not.toContain(child.family_name!);
    expect(await accessibilityViolations(strangerPage), 'not found').toEqual([]);
    await strangerContext.close();
  }, 180_000);
});
