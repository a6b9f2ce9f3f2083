// Operation Encompass in a real browser: a school's designated safeguarding lead reads a
// notification in the inbox, acknowledges it and records the support the school is giving; the
// MASH reads an escalation; an administrator sees the outbox. axe-core checks every page.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { escalateOverdueNotifications } from '../../src/encompass/escalation';
import { planEncompassForIncident } from '../../src/encompass/plan';
import { createOutboxWorker } from '../../src/outbox/background';
import { loadConfig } from '../../src/server/config';
import { accessibilityViolations, describeInBrowser, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser';
import { addEducation, createArea, createPerson, createPoliceIncident, createUser, gateForUser } from '../support/factories';

describeInBrowser('Operation Encompass in Chromium', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(async () => h?.close());

  it('a school lead reads a notification, acknowledges it and records support; the MASH sees the escalation; every page passes axe', async () => {
    const db = h.database.db;
    const area = await createArea(db);
    const dsl = await createUser(db, area, 'school_dsl', { agencyId: area.agencies.school, name: 'Sam Patel' });
    const mash = await createUser(db, area, 'mash_practitioner');
    const admin = await createUser(db, area, 'administrator');
    const police = await createUser(db, area, 'police_officer');
    const pupil = await createPerson(db, area, { givenName: 'Amelia', familyName: 'Whitfield', dateOfBirth: '2016-04-09' });
    const brother = await createPerson(db, area, { givenName: 'Jack', familyName: 'Whitfield', dateOfBirth: '2013-11-30' });
    await addEducation(db, area, pupil.id, { schoolAgencyId: area.agencies.school });
    await addEducation(db, area, brother.id, { schoolAgencyId: area.agencies.school });
    const incident = await createPoliceIncident(db, area, {
      occurredAt: new Date('2026-05-22T18:05:00Z'),
      children: [
        { personId: pupil.id, present: true, voice: 'Said she hid under her duvet and covered her ears. Quiet and tearful.' },
        { personId: brother.id, present: false },
      ],
      details: {
        location: 'Home address', circumstances: 'Argument between the parents; a mug was thrown.', injuries: 'None', weapons: 'None',
        riskGrade: 'medium', actions: ['arrest'], children: [{ personId: pupil.id, where: 'Her bedroom' }],
      },
    });
    const gate = await gateForUser(h.database, police);
    await gate.run('intake.notify_incident', (scope) => planEncompassForIncident(scope, incident.id, new Date('2026-05-22T18:30:00Z')));
    const worker = createOutboxWorker({ config: loadConfig({ LOG_LEVEL: 'silent' }), database: h.database });
    expect(await worker.runOnce()).toMatchObject({ delivered: 2 });

    const context = await h.browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, h.baseUrl, dsl.email, dsl.password);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Inbox' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Inbox');
    expect(await page.locator('tbody tr').count()).toBe(2);
    expect(await accessibilityViolations(page), 'inbox').toEqual([]);

    await page.getByRole('link', { name: 'Amelia Whitfield' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Amelia Whitfield');
    await expect.poll(() => page.locator('main').textContent()).toContain('Said she hid under her duvet');
    expect(await page.locator('main').textContent()).toContain(incident.policeReference);
    expect(await accessibilityViolations(page), 'notification').toEqual([]);

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('Notification acknowledged');
    expect(await page.locator('main').textContent()).toContain('Acknowledged by Sam Patel');
    expect(await accessibilityViolations(page), 'acknowledged').toEqual([]);

    await page.getByRole('button', { name: 'Save support' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Enter the support being given');
    expect(await accessibilityViolations(page), 'support error').toEqual([]);
    await page.getByLabel('Record support the school is giving').fill('Mrs Khan will meet Amelia at the gate each morning this week.');
    await page.getByRole('button', { name: 'Save support' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('Support recorded');
    expect(await page.getByLabel('Record support the school is giving').inputValue()).toContain('Mrs Khan');
    expect(await accessibilityViolations(page), 'support recorded').toEqual([]);
    await page.getByRole('link', { name: 'Back' }).click();
    await expect.poll(() => page.locator('tbody').textContent()).toContain('Acknowledged');
    await context.close();

    // Jack's notification was not read by the start of the school day: the MASH is told.
    await escalateOverdueNotifications(h.database, new Date('2026-05-26T07:30:00Z'));
    const mashContext = await h.browser.newContext();
    const mashPage = await mashContext.newPage();
    await signInInBrowser(mashPage, h.baseUrl, mash.email, mash.password);
    await mashPage.goto(`${h.baseUrl}/inbox`);
    expect(await accessibilityViolations(mashPage), 'MASH inbox').toEqual([]);
    await mashPage.getByRole('link', { name: 'Jack Whitfield' }).click();
    await expect.poll(() => mashPage.locator('main').textContent()).toContain('had not acknowledged');
    expect(await accessibilityViolations(mashPage), 'escalation').toEqual([]);
    await mashContext.close();

    const adminContext = await h.browser.newContext();
    const adminPage = await adminContext.newPage();
    await signInInBrowser(adminPage, h.baseUrl, admin.email, admin.password);
    await adminPage.goto(`${h.baseUrl}/admin/outbox`);
    expect(await adminPage.locator('main').textContent()).toContain('Nothing is waiting and nothing has failed');
    expect(await accessibilityViolations(adminPage), 'empty outbox').toEqual([]);
    await db.insertInto('outbox').values({
      area_id: area.id, topic: 'encompass.email', dedupe_key: 'browser-test', payload: '{}', status: 'dead', attempts: 8,
      last_error: 'Connection refused by the mail server', summary: 'Email Meadow Lane Primary School that a notification is waiting',
    }).execute();
    await adminPage.reload();
    expect(await adminPage.locator('main').textContent()).toContain('Connection refused by the mail server');
    expect(await accessibilityViolations(adminPage), 'outbox with a failed entry').toEqual([]);
    await adminPage.getByRole('button', { name: /Try again/ }).click();
    await expect.poll(() => adminPage.locator('.govuk-notification-banner').textContent()).toContain('Entry queued again');
    expect(await accessibilityViolations(adminPage), 'outbox after retry').toEqual([]);
    await adminContext.close();
  });

  it('works without JavaScript: acknowledge and record support', async () => {
    const db = h.database.db;
    const area = await createArea(db);
    const dsl = await createUser(db, area, 'school_dsl', { agencyId: area.agencies.school });
    const police = await createUser(db, area, 'police_officer');
    const pupil = await createPerson(db, area, { givenName: 'Kai', familyName: 'Osei', dateOfBirth: '2014-03-07' });
    await addEducation(db, area, pupil.id, { schoolAgencyId: area.agencies.school });
    const incident = await createPoliceIncident(db, area, { occurredAt: new Date(), children: [{ personId: pupil.id, present: true }] });
    const gate = await gateForUser(h.database, police);
    await gate.run('intake.notify_incident', (scope) => planEncompassForIncident(scope, incident.id, new Date()));
    await createOutboxWorker({ config: loadConfig({ LOG_LEVEL: 'silent' }), database: h.database }).runOnce();

    const context = await h.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInInBrowser(page, h.baseUrl, dsl.email, dsl.password);
    await page.goto(`${h.baseUrl}/inbox`);
    await page.getByRole('link', { name: 'Kai Osei' }).click();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Notification acknowledged');
    await page.getByLabel('Record support the school is giving').fill('Form tutor told; Kai to have a quiet space at lunch.');
    await page.getByRole('button', { name: 'Save support' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Support recorded');
    await context.close();
  });
});
