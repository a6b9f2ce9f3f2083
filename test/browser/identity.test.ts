// Identity resolution in a real browser: a MASH practitioner opens the queue of possible matches,
// sees the two records side by side with what counted for and against, and records a decision
// with a reason; a manager merges two people through the pages and splits them apart again, and
// both people's pages show the history; a role without the right finds none of it. axe-core
// checks every page.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessibilityViolations, describeInBrowser, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser';
import { allocate } from '../../src/sharing/testing/factories';
import { createArea, createUser, resolveRecord } from '../support/factories';

describeInBrowser('identity resolution in Chromium', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(async () => h?.close());

  const axe = async (page: Page, where: string) => expect(await accessibilityViolations(page), where).toEqual([]);
  const mainText = async (page: Page) => ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

  it('a reviewer decides a possible match; a manager merges and unmerges; others cannot', async () => {
    const { db } = h.database;
    const area = await createArea(db);
    const practitioner = await createUser(db, area, 'mash_practitioner', { name: 'Priya Sharma' });
    const manager = await createUser(db, area, 'mash_manager', { name: 'Helen Okafor' });
    const socialWorker = await createUser(db, area, 'social_worker');

    // Kai is known to the police; the hospital's record of a Kai Osei has the year of birth one out and another address.
    const kai = await resolveRecord(h.database, area, { givenName: 'Kai', familyName: 'Osei', dateOfBirth: '2014-03-07', sex: 'M', addresses: [{ line1: '4 Elm Grove', postcode: 'TE2 7QP' }] });
    const hospital = await resolveRecord(h.database, area, {
      agencyId: area.agencies.health, givenName: 'Kai', familyName: 'Osei', dateOfBirth: '2013-03-07', sex: 'M', addresses: [{ line1: '88 Canal Street', postcode: 'TE2 1AA' }],
    });
    expect(hospital.outcome).toBe('review');
    // The MASH holds Kai's case, so its practitioners see his whole record.
    await allocate(db, area, kai.personId, { teamId: area.mashTeamId, by: manager.id });

    // The practitioner reviews it.
    const reviewContext = await h.browser.newContext();
    const reviewer = await reviewContext.newPage();
    await signInInBrowser(reviewer, h.baseUrl, practitioner.email, practitioner.password);
    await reviewer.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Matches to review' }).click();
    await expect.poll(() => reviewer.locator('h1').textContent()).toBe('Possible matches to review');
    expect(await mainText(reviewer)).toContain('1 match waiting');
    await axe(reviewer, 'review queue');
    await reviewer.getByRole('link', { name: /Kai Osei/ }).click();
    await expect.poll(() => reviewer.locator('h1').textContent()).toBe('Is Kai Osei the same person as Kai Osei?');
    await axe(reviewer, 'review');

    // Side by side, field by field.
    const table = reviewer.getByRole('table', { name: 'The two records, field by field' });
    const cells = async (field: string) => (await table.getByRole('row').filter({ has: reviewer.getByRole('rowheader', { name: field, exact: true }) })
      .getByRole('cell').allTextContents()).map((c) => c.trim());
    expect(await cells('Date of birth')).toEqual(['7 March 2013', '7 March 2014', 'Different']);
    expect(await cells('Last name')).toEqual(['Osei', 'Osei', 'Same']);
    expect((await cells('Agency')).slice(0, 2)).toEqual(['Testshire Hospital Emergency Department', 'Testshire Police']);
    // What counted for and against.
    const listUnder = (heading: string) => reviewer.getByRole('heading', { name: heading }).locator('xpath=following-sibling::ul[1]');
    const counted = await listUnder('What counted for').textContent();
    expect(counted).toMatch(/First name: the same, \+\d+\.\d/);
    expect(counted).toMatch(/Date of birth: one digit different/);
    expect(await listUnder('What counted against').textContent()).toMatch(/Postcode: the same postcode district, −\d+\.\d/);

    // A decision needs a reason.
    await reviewer.getByLabel('Same person').check();
    await reviewer.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => reviewer.locator('.govuk-error-summary').textContent()).toContain('Enter the reason for your decision');
    await axe(reviewer, 'review with errors');
    await reviewer.getByLabel('Reason').fill('The school confirmed his date of birth is 7 March 2014; the hospital mistyped the year.');
    await reviewer.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => reviewer.locator('.govuk-notification-banner').textContent()).toContain('Recorded as the same person');
    expect(await mainText(reviewer)).toContain('There are no possible matches waiting for review');
    await axe(reviewer, 'queue after the decision');

    // Kai is one person now, with both records, and the page says how.
    await reviewer.goto(`${h.baseUrl}/people/${hospital.personId}`);
    await expect.poll(() => reviewer.url()).toContain(`/people/${kai.personId}`);
    const kaiPage = await mainText(reviewer);
    expect(kaiPage).toContain('Testshire Hospital Emergency Department');
    expect(kaiPage).toContain('Merged in Kai Osei');
    expect(kaiPage).toContain('Priya Sharma');
    expect(kaiPage).toContain('the hospital mistyped the year');
    // A practitioner reviews matches but may not merge or split by hand.
    expect(await reviewer.getByRole('button', { name: 'Merge with another person' }).count()).toBe(0);
    await axe(reviewer, 'person page after the review');
    await reviewContext.close();

    // Amelia is known to health; the police know a "Millie Whitfield-Hart" at another address, kept apart.
    const amelia = await resolveRecord(h.database, area, {
      agencyId: area.agencies.health, givenName: 'Amelia', familyName: 'Whitfield', dateOfBirth: '2016-04-09', sex: 'F', nhsNumber: '9434765919',
      addresses: [{ line1: '12 Orchard Road', town: 'Testbury', postcode: 'TE1 4AB' }],
    });
    const millie = await resolveRecord(h.database, area, { givenName: 'Millie', familyName: 'Whitfield-Hart', dateOfBirth: '2016-04-19', sex: 'F', addresses: [{ line1: '3 Mill Lane', postcode: 'TE9 9ZZ' }] });
    expect(millie.personId).not.toBe(amelia.personId);
    for (const personId of [amelia.personId, millie.personId]) await allocate(db, area, personId, { teamId: area.mashTeamId, by: manager.id });

    // The manager merges them.
    const managerContext = await h.browser.newContext();
    const boss = await managerContext.newPage();
    await signInInBrowser(boss, h.baseUrl, manager.email, manager.password);
    await boss.goto(`${h.baseUrl}/people/${amelia.personId}`);
    await boss.getByRole('button', { name: 'Merge with another person' }).click();
    await expect.poll(() => boss.locator('h1').textContent()).toBe('Find the other record of Amelia Whitfield');
    await axe(boss, 'merge: find');
    await boss.getByLabel('Name').fill('Millie Whitfield-Hart');
    await boss.getByRole('button', { name: 'Search' }).click();
    await boss.getByRole('link', { name: 'Compare with Millie Whitfield-Hart' }).click();
    await expect.poll(() => boss.locator('h1').textContent()).toBe('Merge Millie Whitfield-Hart into Amelia Whitfield');
    expect(await mainText(boss)).toContain('3 Mill Lane');
    await axe(boss, 'merge: compare');
    await boss.getByRole('button', { name: 'Merge' }).click();
    await expect.poll(() => boss.locator('.govuk-error-summary').textContent()).toContain('Enter the reason');
    await axe(boss, 'merge with errors');
    await boss.getByLabel('Why are they the same person?').fill('The school says Millie is Amelia, known by her stepfather\u2019s name.');
    await boss.getByRole('button', { name: 'Merge' }).click();
    await expect.poll(() => boss.locator('.govuk-notification-banner').textContent()).toContain('The two people are now one');
    let page = await mainText(boss);
    expect(page).toContain('Merged in Millie Whitfield-Hart');
    expect(page).toContain('Helen Okafor');
    expect(page).toContain('known by her stepfather\u2019s name');
    await axe(boss, 'person after the merge');

    // It was wrong: the manager splits Millie's record off again, which undoes the merge.
    await boss.getByRole('button', { name: 'Split records off' }).click();
    await expect.poll(() => boss.locator('h1').textContent()).toBe('Which of Amelia Whitfield\u2019s records are someone else?');
    await axe(boss, 'split');
    await boss.getByRole('button', { name: 'Split records off' }).click();
    await expect.poll(() => boss.locator('.govuk-error-summary').textContent()).toContain('Choose the records that belong to another person');
    await axe(boss, 'split with errors');
    await boss.getByLabel(/Testshire Police .*Millie Whitfield-Hart/).check();
    await boss.getByLabel('Why are they a different person?').fill('The GP confirms Millie is a cousin, born ten days later.');
    await boss.getByRole('button', { name: 'Split records off' }).click();
    await expect.poll(() => boss.locator('.govuk-notification-banner').textContent()).toContain('The records were split off');
    expect(boss.url()).toContain(`/people/${millie.personId}`);
    page = await mainText(boss);
    expect(page).toContain('Split from Amelia Whitfield');
    expect(page).toContain('The GP confirms Millie is a cousin');
    await axe(boss, 'person after the split');
    await boss.goto(`${h.baseUrl}/people/${amelia.personId}`);
    page = await mainText(boss);
    expect(page).toContain('Records split off to Millie Whitfield-Hart');
    expect(page).toMatch(/Merged in Millie Whitfield-Hart .*undone by Helen Okafor/);
    await managerContext.close();

    const merges = await db.selectFrom('person_merge').select(['merged_person_id', 'undone_at']).where('area_id', '=', area.id).orderBy('merged_at').execute();
    expect(merges.map((m) => [m.merged_person_id, m.undone_at === null])).toEqual([[hospital.personId, true], [millie.personId, false]]);

    // A social worker sees neither the queue nor the merge and split pages.
    const otherContext = await h.browser.newContext();
    const worker = await otherContext.newPage();
    await signInInBrowser(worker, h.baseUrl, socialWorker.email, socialWorker.password);
    expect(await worker.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Matches to review' }).count()).toBe(0);
    const queue = await worker.goto(`${h.baseUrl}/identity/reviews`);
    expect(queue?.status()).toBe(403);
    await axe(worker, 'queue refused');
    await worker.goto(`${h.baseUrl}/people/${amelia.personId}`);
    expect(await worker.getByRole('button', { name: 'Merge with another person' }).count()).toBe(0);
    for (const path of [`/people/${amelia.personId}/merge`, `/people/${amelia.personId}/merge/${millie.personId}`, `/people/${amelia.personId}/split`]) {
      const response = await worker.goto(`${h.baseUrl}${path}`);
      expect(response?.status(), path).toBe(404);
      expect(await worker.locator('h1').textContent(), path).toBe('Page not found');
    }
    await axe(worker, 'merge refused');
    await otherContext.close();
  }, 180_000);
});
