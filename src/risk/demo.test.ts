// The demo area's risk: a small generated area has households showing every kind of flag, each
// with the events that raised it, and MARAC recommendations explained, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testEngines, type TestDatabase } from '../../test/support/database';
import { seedDemoArea } from '../demo/seed';
import { patternFlagLabels, type PatternFlagKind } from './patterns';

const today = '2026-11-23';

for (const engine of testEngines()) {
  describe(`the demo area's risk [${engine}]`, () => {
    let database: TestDatabase;
    let areaId: string;
    beforeAll(async () => {
      database = await freshDatabase(engine);
      areaId = (await seedDemoArea(database, { children: 400, seed: 11, today })).areaId;
    }, 180_000);
    afterAll(async () => database?.dispose());

    it('has households showing each flag, each with the events that raised it', async () => {
      const flags = await database.db.selectFrom('risk_flag').selectAll().where('area_id', '=', areaId).where('cleared_at', 'is', null).execute();
      const households = new Set(flags.filter((f) => f.subject_kind === 'household').map((f) => f.kind));
      expect([...households].sort()).toEqual((Object.keys(patternFlagLabels) as PatternFlagKind[]).sort());
      const eventIds = flags.flatMap((f) => f.raised_by.flatMap((s) => ('eventId' in s ? [s.eventId] : [])));
      const known = await database.db.selectFrom('event').select('id').where('area_id', '=', areaId).where('id', 'in', [...new Set(eventIds)]).execute();
      expect(known.length).toBe(new Set(eventIds).size);
      expect(flags.every((f) => f.raised_by.length > 0 && f.raised_by.every((s) => s.date < today))).toBe(true);
      // The new partner's flag names the partner relationship recorded this year.
      const partner = flags.find((f) => f.kind === 'new_partner_history');
      expect(partner?.raised_by.some((s) => 'relationshipId' in s)).toBe(true);
    });

    it('stores the DASH of every police incident and a MARAC recommendation at each, explained', async () => {
      const incidents = await database.db.selectFrom('event').select('id').where('area_id', '=', areaId).where('kind', '=', 'police_da_incident').execute();
      const dash = await database.db.selectFrom('dash_assessment').select(['event_id', 'score', 'scored_level']).where('area_id', '=', areaId).execute();
      expect(dash.length).toBe(incidents.length);
      expect(dash.every((d) => (d.score >= 14) === (d.scored_level === 'high'))).toBe(true);
      const marac = await database.db.selectFrom('marac_recommendation').select(['recommended', 'criteria']).where('area_id', '=', areaId).execute();
      expect(marac.length).toBeGreaterThanOrEqual(incidents.length);
      const escalated = marac.filter((m) => m.criteria.some((c) => c.criterion === 'potential_escalation' && c.met));
      expect(escalated.length).toBeGreaterThan(0);
      expect(escalated.every((m) => m.recommended && m.criteria.find((c) => c.criterion === 'potential_escalation')!.incidentIds.length >= 3)).toBe(true);
    });
  });
}
