// Sharing with care in a real browser: an officer opens a record in an emergency, stating why;
// the team holding the case sees it on its emergency-access page and in who has seen the record;
// a manager reviews it. Then every other sharing page, error states included. axe-core checks
// every page; the emergency access works without JavaScript.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { allocate, breakGlassGrant, openInspectionWindow, sensitiveNote } from '../../src/sharing/testing/factories';
import { sharingWorld, type SharingWorld } from '../../src/sharing/testing/world';
import { accessibilityViolations, describeInBrowser, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser';

describeInBrowser('sharing with care in Chromium', () => {
  let h: BrowserHarness;
  let w: SharingWorld;
  beforeAll(async () => {
    h = await startBrowserHarness();
    w = await sharingWorld(h.database.db);
    await allocate(h.database.db, w.area, w.child.id, { teamId: w.assessmentTeam, workerId: w.users.social_worker.id, by: w.users.team_manager.id });
  });
  afterAll(async () => h?.close());

  it('emergency access: asked with a reason, seen by the team and in who has seen the record, reviewed by a manager', async () => {
    // The officer asks, first without a reason.
    const officerContext = await h.browser.newContext();
    const officer = await officerContext.newPage();
    await signInInBrowser(officer, h.baseUrl, w.secondOfficer.email, w.secondOfficer.password);
    await officer.goto(`${h.baseUrl}/people/${w.child.id}/break-glass`);
    await expect.poll(() => officer.locator('h1').textContent()).toBe('Request emergency access');
    expect(await accessibilityViolations(officer), 'emergency access form').toEqual([]);
    await officer.getByRole('button', { name: 'Open the record' }).click();
    await expect.poll(() => officer.locator('.govuk-error-summary').textContent()).toContain('Say why you need emergency access');
    expect(await accessibilityViolations(officer), 'emergency access form with an error').toEqual([]);
    await officer.getByLabel('Why do you need the record now?').fill('Child reported missing at 1am; checking who she may be with');
    await officer.getByRole('button', { name: 'Open the record' }).click();
    await expect.poll(() => officer.url()).toContain(`/people/${w.child.id}?done=break_glass`);
    await officer.goto(`${h.baseUrl}/emergency-access`);
    await expect.poll(() => officer.locator('main').textContent()).toContain('Child reported missing at 1am');
    expect(await accessibilityViolations(officer), 'own emergency access').toEqual([]);
    await officerContext.close();

    // It works without JavaScript too.
    const plainContext = await h.browser.newContext({ javaScriptEnabled: false });
    const plain = await plainContext.newPage();
    await signInInBrowser(plain, h.baseUrl, w.secondOfficer.email, w.secondOfficer.password);
    await plain.goto(`${h.baseUrl}/people/${w.stranger.id}/break-glass`);
    await plain.getByLabel('Why do you need the record now?').fill('Welfare check requested by ambulance crew');
    await plain.getByRole('button', { name: 'Open the record' }).click();
    await expect.poll(() => plain.url()).toContain(`/people/${w.stranger.id}?done=break_glass`);
    await plainContext.close();

    // The team holding the case.
    const teamContext = await h.browser.newContext();
    const worker = await teamContext.newPage();
    await signInInBrowser(worker, h.baseUrl, w.users.social_worker.email, w.users.social_worker.password);
    await worker.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Emergency access' }).click();
    await expect.poll(() => worker.locator('h1').textContent()).toBe('Emergency access');
    const toOurCases = worker.locator('table', { hasText: 'To cases your team holds' });
    await expect.poll(() => toOurCases.textContent()).toContain('Otto Officer');
    expect(await toOurCases.textContent()).toContain('Child reported missing at 1am');
    expect(await accessibilityViolations(worker), 'team emergency access').toEqual([]);
    await worker.goto(`${h.baseUrl}/people/${w.child.id}/access-log`);
    await expect.poll(() => worker.locator('h1').textContent()).toBe('Who has seen this record');
    const log = worker.locator('tbody');
    await expect.poll(() => log.textContent()).toContain('Emergency access');
    expect(await log.textContent()).toContain('Otto Officer');
    expect(await log.textContent()).toContain('Police officer, Testshire Police');
    expect(await log.textContent()).toContain('Child reported missing at 1am');
    expect(await accessibilityViolations(worker), 'who has seen this').toEqual([]);
    await teamContext.close();

    // A manager reviews it: not justified needs a note; justified is recorded.
    const managerContext = await h.browser.newContext();
    const manager = await managerContext.newPage();
    await signInInBrowser(manager, h.baseUrl, w.users.team_manager.email, w.users.team_manager.password);
    await manager.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Oversight' }).click();
    await manager.getByRole('link', { name: 'Emergency access to review' }).click();
    await expect.poll(() => manager.locator('h1').textContent()).toBe('Emergency access to review');
    expect(await accessibilityViolations(manager), 'reviews').toEqual([]);
    const card = () => manager.locator('.hearth-card', { hasText: 'Child reported missing at 1am' });
    await card().getByLabel('Not justified', { exact: true }).check();
    await card().getByRole('button', { name: /Record the review/ }).click();
    await expect.poll(() => manager.locator('.govuk-error-summary').textContent()).toContain('Say why it was not justified');
    expect(await accessibilityViolations(manager), 'review with an error').toEqual([]);
    await card().getByLabel('Justified', { exact: true }).check();
    await card().getByRole('button', { name: /Record the review/ }).click();
    await expect.poll(() => manager.locator('.govuk-notification-banner').textContent()).toContain('Review recorded');
    await manager.getByRole('link', { name: 'Reviewed' }).click();
    await expect.poll(() => manager.locator('main').textContent()).toContain('Justified');
    expect(await accessibilityViolations(manager), 'reviewed').toEqual([]);
    await managerContext.close();
  });

  it('every other sharing page passes axe', async () => {
    const db = h.database.db;
    await sensitiveNote(db, w.area, w.child.id, { text: 'Told her teacher about the shouting', roles: ['team_manager'], recordedBy: w.users.social_worker.id, agencyId: w.area.agencies.socialCare });
    await db.insertInto('information_share').values({
      area_id: w.area.id, person_id: w.child.id, from_agency_id: w.area.agencies.socialCare, to_agency_id: w.area.agencies.health, consent: 'refused',
      lawful_basis: 'Children Act 1989 s47', justification: 'Risk of significant harm', decided_by: w.users.mash_practitioner.id,
    }).execute();
    await breakGlassGrant(db, w.area, w.users.police_officer, w.mother.id, { startedAt: new Date(Date.now() - 60_000), expiresAt: new Date(Date.now() + 3_600_000) });
    await openInspectionWindow(db, w.area, w.users.inspector.id, { grantedBy: w.users.administrator.id });
    const pages: { user: keyof SharingWorld['users']; paths: string[] }[] = [
      { user: 'team_manager', paths: [`/people/${w.child.id}/sensitive-notes`, `/people/${w.child.id}/shares`, `/people/${w.child.id}/allocation`, '/oversight', '/oversight/shares-without-consent', '/oversight/shares-without-consent?from=2026-02-30'] },
      { user: 'information_governance', paths: [`/people/${w.child.id}/subject-access`, `/people/${w.child.id}/subject-access?reference=SAR-7`, `/people/${w.child.id}/subject-access?reference=`, '/retention'] },
      { user: 'administrator', paths: ['/admin/inspections'] },
    ];
    for (const { user, paths } of pages) {
      const context = await h.browser.newContext();
      const page = await context.newPage();
      await signInInBrowser(page, h.baseUrl, w.users[user].email, w.users[user].password);
      for (const path of paths) {
        await page.goto(`${h.baseUrl}${path}`);
        expect(await accessibilityViolations(page), `${user} ${path}`).toEqual([]);
      }
      if (user === 'team_manager') {
        await page.goto(`${h.baseUrl}/people/${w.child.id}/sensitive-notes`);
        await page.getByRole('button', { name: 'Record the note' }).click();
        await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Enter the note');
        expect(await accessibilityViolations(page), 'sensitive note with errors').toEqual([]);
      }
      if (user === 'administrator') {
        await page.getByRole('button', { name: 'Give access' }).click();
        await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Choose the inspector');
        expect(await accessibilityViolations(page), 'inspections with errors').toEqual([]);
      }
      await context.close();
    }
  });
});
