// A child's multi-agency chronology in a real browser: a MASH practitioner opens a child known to
// the police, the hospital and the school, reads the timeline (the child present, their own words),
// filters it by agency with and without JavaScript, and every page passes axe-core.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessibilityViolations, describeInBrowser, signInInBrowser, startBrowserHarness, type BrowserHarness } from '../support/browser';
import { allocate } from '../../src/sharing/testing/factories';
import { createArea, createPerson, createUser } from '../support/factories';
import { createIncident, sampleIncidentDetails } from '../support/frontdoor';

describeInBrowser('the child’s chronology in Chromium', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(async () => h?.close());

  const axe = async (page: Page, where: string) => expect(await accessibilityViolations(page), where).toEqual([]);
  const timelineTitles = (page: Page) => page.locator('.moj-timeline__title').allTextContents();

  it('shows every agency’s events newest first, the child present and their words, and filters by agency', async () => {
    const { db } = h.database;
    const area = await createArea(db);
    const practitioner = await createUser(db, area, 'mash_practitioner', { name: 'Priya Sharma' });
    const child = await createPerson(db, area, { givenName: 'Isla', familyName: 'Fenwick', dateOfBirth: '2017-06-21' });
    const mother = await createPerson(db, area, { givenName: 'Gemma', familyName: 'Fenwick', dateOfBirth: '1991-01-30' });
    const partner = await createPerson(db, area, { givenName: 'Ryan', familyName: 'Coles', dateOfBirth: '1989-07-12', sex: 'M' });
    const adults = [{ person: mother, role: 'adult_victim' as const }, { person: partner, role: 'alleged_perpetrator' as const }];
    await createIncident(db, area, {
      occurredAt: new Date('2026-01-10T22:15:00Z'), summary: 'Domestic assault at the home address; 1 child present; medium risk.', adults,
      details: { ...sampleIncidentDetails, children: [{ personId: child.id, where: 'Under her bed', demeanour: 'Shaking, would not come out' }] },
      children: [{ person: child, present: true, voice: 'I put my hands over my ears so I couldn’t hear.' }],
    });
    await createIncident(db, area, {
      occurredAt: new Date('2025-10-03T18:30:00Z'), summary: 'Verbal domestic incident; child not present; standard risk.', adults,
      children: [{ person: child, present: false }],
    });
    const other = async (agencyId: string, kind: string, occurredAt: string, summary: string) => {
      const event = await db.insertInto('event').values({ area_id: area.id, agency_id: agencyId, kind, occurred_at: new Date(occurredAt), summary }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('event_person').values({ area_id: area.id, event_id: event.id, person_id: child.id, role: 'subject' }).execute();
    };
    await other(area.agencies.health, 'ed_attendance', '2026-01-11T02:05:00Z', 'Attended with a cut to the hand; mother said she fell.');
    await other(area.agencies.school, 'school_concern', '2026-01-12T09:20:00Z', 'Withdrawn in class; said she was tired.');
    // Isla's case is allocated to the practitioner: she needs to know.
    const manager = await createUser(db, area, 'mash_manager');
    await allocate(db, area, child.id, { teamId: area.mashTeamId, workerId: practitioner.id, by: manager.id });

    const context = await h.browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, h.baseUrl, practitioner.email, practitioner.password);
    await page.goto(`${h.baseUrl}/people/${child.id}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Isla Fenwick');
    expect(await timelineTitles(page)).toEqual([
      'Concern raised by school', 'Emergency department attendance', 'Domestic abuse incident (police)', 'Domestic abuse incident (police)',
    ]);
    const incident = page.locator('.moj-timeline__item').nth(2);
    expect(await incident.locator('.govuk-tag').first().textContent()).toContain('Child present');
    expect(await incident.locator('blockquote').textContent()).toContain('“I put my hands over my ears so I couldn’t hear.”');
    expect(await incident.textContent()).toContain('Under her bed');
    expect(await incident.locator('time').textContent()).toBe('10 January 2026 at 10:15pm');
    expect(await page.locator('main').textContent()).toContain('Showing all 4 events');
    await axe(page, 'child’s page');

    // The facts the police recorded are one click away.
    await incident.getByText('What Testshire Police recorded').click();
    await expect.poll(() => incident.locator('.govuk-details__text').isVisible()).toBe(true);
    expect(await incident.locator('.govuk-details__text').textContent()).toContain('11 of 27 questions answered yes');
    await axe(page, 'child’s page, an event’s details open');

    // Filter by an agency.
    await page.getByText('Filter by agency or type of event').click();
    await page.getByRole('group', { name: 'Agency' }).getByLabel('Testshire Police (2)').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Showing 2 of 4 events');
    expect(new URL(page.url()).searchParams.get('agency')).toBe(area.agencies.police);
    expect(await timelineTitles(page)).toEqual(['Domestic abuse incident (police)', 'Domestic abuse incident (police)']);
    await axe(page, 'filtered by agency');

    await page.getByRole('link', { name: 'Clear filters' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Showing all 4 events');
    await context.close();

    // Without JavaScript the filters are a plain form and work the same.
    const plain = await h.browser.newContext({ javaScriptEnabled: false });
    const noJs = await plain.newPage();
    await signInInBrowser(noJs, h.baseUrl, practitioner.email, practitioner.password);
    await noJs.goto(`${h.baseUrl}/people/${child.id}`);
    await noJs.getByText('Filter by agency or type of event').click();
    await noJs.getByRole('group', { name: 'Agency' }).getByLabel('Meadow Lane Primary School (1)').check();
    await noJs.getByRole('group', { name: 'Agency' }).getByLabel('Testshire Hospital Emergency Department (1)').check();
    await noJs.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => noJs.locator('main').textContent()).toContain('Showing 2 of 4 events');
    expect(await timelineTitles(noJs)).toEqual(['Concern raised by school', 'Emergency department attendance']);
    await plain.close();
  });
});
