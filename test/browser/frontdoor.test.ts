// The front door in a real browser: a police officer sends a domestic abuse notification by the
// web form; its contact is screened by the MASH with agency checks, answered by a health researcher
// and a school's safeguarding lead each in their own browser, decided with reasons and authorised by
// a manager; the school lead acknowledges the Operation Encompass notification. axe-core checks every page.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessibilityViolations, describeInBrowser, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser';
import { createOutboxWorker } from '../../src/outbox/background';
import { loadConfig } from '../../src/server/config';
import { addEducation, createArea, createUser, resolveRecord } from '../support/factories';

describeInBrowser('the front door in Chromium', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(async () => h?.close());

  const axe = async (page: Page, where: string) => expect(await accessibilityViolations(page), where).toEqual([]);

  it('follows a police notification from the web form through screening, agency checks and an authorised decision, and Encompass to the school', async () => {
    const { db } = h.database;
    const area = await createArea(db);
    const police = await createUser(db, area, 'police_officer');
    const practitioner = await createUser(db, area, 'mash_practitioner', { name: 'Priya Sharma' });
    const manager = await createUser(db, area, 'mash_manager', { name: 'Helen Okafor' });
    const researcher = await createUser(db, area, 'agency_researcher', { agencyId: area.agencies.health, name: 'Rachel Dunmore' });
    const dsl = await createUser(db, area, 'school_dsl', { agencyId: area.agencies.school, name: 'Mark Ellison' });
    // Amelia is known already, with her school.
    const known = await resolveRecord(h.database, area, {
      agencyId: area.agencies.school, givenName: 'Amelia', familyName: 'Whitfield', dateOfBirth: '2017-04-09', sex: 'F', nhsNumber: '9434765919',
      schoolAgencyId: area.agencies.school, addresses: [{ line1: '12 Orchard Road', town: 'Testbury', postcode: 'TE1 4AB' }],
    });
    await addEducation(db, area, known.personId, { schoolAgencyId: area.agencies.school });

    // The police officer sends the notification by the web form.
    const policeContext = await h.browser.newContext();
    const officer = await policeContext.newPage();
    await signInInBrowser(officer, h.baseUrl, police.email, police.password);
    await officer.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Send a notification' }).click();
    await axe(officer, 'notification form');
    await officer.getByRole('button', { name: 'Send notification' }).click();
    await expect.poll(() => officer.locator('.govuk-error-summary').textContent()).toContain('Police reference');
    await axe(officer, 'notification form with errors');
    const occurred = new Date(Date.now() - 3 * 3_600_000);
    const londonParts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(occurred).map((p) => [p.type, p.value]));
    const fill = async (fields: Record<string, string>) => {
      for (const [id, value] of Object.entries(fields)) await officer.locator(`#${id}`).fill(value);
    };
    await fill({
      policeReference: 'TP-26-4411', 'occurred-day': londonParts.day!, 'occurred-month': londonParts.month!, 'occurred-year': londonParts.year!,
      occurredTime: `${londonParts.hour}:${londonParts.minute}`, location: '12 Orchard Road, Testbury', officerName: 'PC Dan Rowe',
      'victim-givenName': 'Laura', 'victim-familyName': 'Whitfield', 'victim-dob-day': '3', 'victim-dob-month': '8', 'victim-dob-year': '1990',
      'perpetrator-givenName': 'Craig', 'perpetrator-familyName': 'Denton', 'perpetrator-dob-day': '14', 'perpetrator-dob-month': '2', 'perpetrator-dob-year': '1987',
      'child1-givenName': 'Amelia', 'child1-familyName': 'Whitfield', 'child1-dob-day': '9', 'child1-dob-month': '4', 'child1-dob-year': '2017',
      'child1-nhsNumber': '943 476 5919', 'child1-where': 'In her bedroom', 'child1-voice': 'I hid under my bed with my brother.', 'child1-demeanour': 'Quiet and shaking',
      circumstances: 'Suspect pushed the victim against a wall during an argument about money.', injuries: 'Redness to upper arms', weapons: 'None',
    });
    await officer.locator('#perpetrator-relationship').check();
    await officer.locator('#child1-relationship').check();
    await officer.locator('#child1-present').check();
    await officer.locator('#dashCompleted-2').check();
    await officer.getByLabel('Medium').check();
    await officer.getByLabel('Arrested the alleged perpetrator').check();
    await officer.locator('#victimConsent-2').check();
    await officer.getByRole('button', { name: 'Send notification' }).click();
    await expect.poll(() => officer.locator('h1').textContent()).toContain('Notification received');
    expect(await officer.locator('main').textContent()).toContain('TP-26-4411');
    await axe(officer, 'notification received');
    await policeContext.close();
    // The notification's child is the Amelia already known: no second person was made.
    const children = await db.selectFrom('person').select('id').where('area_id', '=', area.id).where('given_name', '=', 'Amelia').execute();
    expect(children.map((c) => c.id)).toEqual([known.personId]);
    // Operation Encompass: the outbox delivers the school's notification to its lead's inbox.
    expect(await createOutboxWorker({ config: loadConfig({ LOG_LEVEL: 'silent' }), database: h.database }).runOnce()).toMatchObject({ delivered: 1 });
    const health = 'Testshire Hospital Emergency Department';
    const school = 'Meadow Lane Primary School';

    // The MASH practitioner screens the contact.
    const mashContext = await h.browser.newContext();
    const mash = await mashContext.newPage();
    await signInInBrowser(mash, h.baseUrl, practitioner.email, practitioner.password);
    await mash.getByRole('link', { name: 'Front door' }).first().click();
    await expect.poll(() => mash.locator('h1').textContent()).toBe('Front door');
    await axe(mash, 'queue');
    await mash.getByRole('link', { name: 'Amelia Whitfield' }).click();
    await expect.poll(() => mash.locator('h1').textContent()).toBe('Amelia Whitfield');
    expect(await mash.locator('main').textContent()).toContain('I hid under my bed with my brother.');
    await axe(mash, 'contact');
    await mash.getByRole('button', { name: 'Screen this contact' }).click();
    await axe(mash, 'screening form');

    await mash.getByLabel('Red', { exact: true }).check();
    await mash.getByLabel('Reason for the priority').fill('Amelia present at an assault with injuries; escalating pattern.');
    await mash.getByLabel(health, { exact: true }).check();
    await mash.getByLabel(`Question for ${health}`).fill('What do health records show about Amelia and her mother?');
    await mash.getByRole('group', { name: `Consent to share with ${health}` }).getByLabel('Consent not sought').check();
    await mash.getByLabel(school, { exact: true }).check();
    await mash.getByRole('group', { name: `Consent to share with ${school}` }).getByLabel('Consent given').check();
    await mash.getByRole('button', { name: 'Screen and send checks' }).click();
    // Without consent, the lawful basis and the justification are required, and named.
    await expect.poll(() => mash.locator('.govuk-error-summary').textContent()).toContain(`Choose the lawful basis for sharing with ${health} without consent`);
    expect(await mash.locator('.govuk-error-summary').textContent()).toContain(`Explain why sharing with ${health} without consent is justified`);
    await axe(mash, 'screening form with errors');
    await mash.getByLabel(`Lawful basis for sharing without consent with ${health}`).selectOption('Children Act 1989 s47');
    await mash.getByLabel(`Why sharing without consent is justified for ${health}`).fill('Seeking consent could alert the alleged perpetrator.');
    await mash.getByRole('button', { name: 'Screen and send checks' }).click();
    await expect.poll(() => mash.locator('.govuk-notification-banner').textContent()).toContain('Contact screened');
    expect(await mash.locator('main').textContent()).toContain('Children Act 1989 s47');
    await axe(mash, 'contact with checks out');

    // The health researcher and the school lead each answer in their own browser.
    const answer = async (user: { email: string; password: string }, known: string, fields: Record<string, string>) => {
      const context = await h.browser.newContext();
      const page = await context.newPage();
      await signInInBrowser(page, h.baseUrl, user.email, user.password);
      await page.getByRole('link', { name: 'Agency checks' }).first().click();
      await expect.poll(() => page.locator('h1').textContent()).toBe('Agency checks');
      await axe(page, 'agency queue');
      await page.getByRole('link', { name: 'Amelia Whitfield' }).click();
      const text = await page.locator('main').textContent();
      expect(text).toContain('9 April 2017');
      expect(text).not.toContain('I hid under my bed');
      expect(text).not.toContain('Children Act 1989 s47');
      await axe(page, 'answer page');
      await page.getByRole('button', { name: 'Send answer to the MASH' }).click();
      await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Say whether the child or family is known to your agency');
      await axe(page, 'answer page with errors');
      await page.getByLabel(known).check();
      for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByRole('button', { name: 'Send answer to the MASH' }).click();
      await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('Your answer has been sent to the MASH');
      await axe(page, 'answered');
      await context.close();
    };
    await answer(researcher, 'Yes, known to us', { Involvement: 'Health visiting until 2019.', Concerns: 'Mother disclosed low mood in January.', History: 'Two ED attendances, 2025.' });
    await answer(dsl, 'Yes, known to us', { Involvement: 'On roll, Year 3.', Concerns: 'Tired and withdrawn on Mondays.', History: 'Encompass notification last autumn.' });

    // The school lead acknowledges the Operation Encompass notification.
    const schoolContext = await h.browser.newContext();
    const lead = await schoolContext.newPage();
    await signInInBrowser(lead, h.baseUrl, dsl.email, dsl.password);
    await lead.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Inbox' }).click();
    await lead.getByRole('link', { name: 'Amelia Whitfield' }).click();
    await expect.poll(() => lead.locator('main').textContent()).toContain('TP-26-4411');
    expect(await lead.locator('main').textContent()).toContain('I hid under my bed with my brother.');
    await axe(lead, 'Encompass notification');
    await lead.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => lead.locator('.govuk-notification-banner').textContent()).toContain('Notification acknowledged');
    await schoolContext.close();

    // All checks in: the practitioner records the decision with reasons.
    await mash.reload();
    expect(await mash.locator('main').textContent()).toContain('Tired and withdrawn on Mondays.');
    await mash.getByRole('button', { name: 'Record the decision' }).click();
    await axe(mash, 'decision form');
    await mash.getByLabel('Strategy discussion (section 47)').check();
    await mash.getByLabel('Reasons for the decision').fill('Amelia was present and frightened; the school reports distress after weekends; escalating violence. Reasonable cause to suspect significant harm.');
    await mash.getByRole('group', { name: 'Refer the adult victim to MARAC?' }).getByLabel('Yes').check();
    await mash.getByRole('button', { name: 'Send for authorisation' }).click();
    await expect.poll(() => mash.locator('.govuk-notification-banner').textContent()).toContain('Decision recorded');
    await axe(mash, 'awaiting authorisation');
    const contactUrl = mash.url().split('?')[0]!;
    await mashContext.close();

    // The manager authorises it.
    const managerContext = await h.browser.newContext();
    const boss = await managerContext.newPage();
    await signInInBrowser(boss, h.baseUrl, manager.email, manager.password);
    await boss.goto(contactUrl);
    await boss.getByRole('button', { name: 'Authorise or return the decision' }).click();
    await axe(boss, 'authorisation form');
    await boss.getByLabel('Authorise the decision').check();
    await boss.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => boss.locator('.govuk-notification-banner').textContent()).toContain('Decision authorised');
    const closed = await boss.locator('main').textContent();
    expect(closed).toContain('Closed');
    expect(closed).toContain('Strategy discussion (section 47)');
    expect(closed).toContain('Helen Okafor');
    await axe(boss, 'closed contact');
    await boss.goto(`${h.baseUrl}/front-door`);
    expect(await boss.locator('main').textContent()).toContain('The front door is clear');
    await axe(boss, 'empty queue');
    await managerContext.close();
  }, 180_000);
});
