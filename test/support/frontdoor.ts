// Factories for the front door: police domestic abuse incidents with children, contacts as
// intake makes them, and a gate for a test user to call the front door's functions directly.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Gate } from '../../src/access/gate';
import { loadActor } from '../../src/auth/actors';
import type { DatabaseHandle } from '../../src/db/database';
import type { Database } from '../../src/db/schema';
import { createContactsForEvent } from '../../src/frontdoor';
import type { TestArea, TestPerson, TestUser } from './factories';

export async function gateFor(handle: DatabaseHandle, user: TestUser | { id: string }): Promise<Gate> {
  const actor = await loadActor(handle.db, user.id);
  if (!actor) throw new Error(`No active user ${user.id}`);
  return new Gate(handle, actor, { requestId: `test-${randomBytes(3).toString('hex')}`, ip: '127.0.0.1' });
}

export interface IncidentInput {
  children: { person: TestPerson; present?: boolean | null; voice?: string | null }[];
  adults?: { person: TestPerson; role: 'adult_victim' | 'alleged_perpetrator' | 'other' }[];
  occurredAt: Date;
  recordedAt?: Date;
  summary?: string;
  details?: Record<string, unknown>;
  addressId?: string | null;
  kind?: string;
}

export const sampleIncidentDetails = {
  location: '12 Orchard Road, Testbury TE1 4AB',
  circumstances: 'Suspect pushed victim against a wall during an argument about money.',
  injuries: 'redness to upper arms',
  weapons: 'none',
  dash: Object.fromEntries(Array.from({ length: 27 }, (_, i) => [String(i + 1), i < 11 ? 'yes' : 'no'])),
  riskGrade: 'medium',
  actions: ['arrest', 'idva_referral'],
  victimConsent: false,
};

/** A police domestic abuse incident with its people on the chronology (as intake records it). */
export async function createIncident(db: Kysely<Database>, area: TestArea, input: IncidentInput): Promise<{ id: string; sourceRef: string }> {
  const sourceRef = `TP/${randomBytes(3).toString('hex')}/26`;
  const event = await db
    .insertInto('event')
    .values({
      area_id: area.id, agency_id: area.agencies.police, kind: input.kind ?? 'police_da_incident', occurred_at: input.occurredAt,
      recorded_at: input.recordedAt ?? input.occurredAt, source_ref: sourceRef,
      summary: input.summary ?? 'Domestic assault at the home address; 1 child present; medium risk.',
      details: JSON.stringify({ policeReference: sourceRef, ...(input.details ?? sampleIncidentDetails) }),
      address_id: input.addressId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('event_person').values([
    ...input.children.map((c) => ({
      area_id: area.id, event_id: event.id, person_id: c.person.id, role: 'child' as const, child_present: c.present ?? null, child_voice: c.voice ?? null,
    })),
    ...(input.adults ?? []).map((a) => ({ area_id: area.id, event_id: event.id, person_id: a.person.id, role: a.role })),
  ]).execute();
  return { id: event.id, sourceRef };
}

/** Contacts for the incident's children, as intake makes them (through the gate, as a police system would). */
export async function createContacts(
  handle: DatabaseHandle, area: TestArea, by: TestUser, eventId: string, children: TestPerson[], receivedAt: Date,
): Promise<string[]> {
  const gate = await gateFor(handle, by);
  const created = await gate.run('intake.notify_incident', (scope) =>
    createContactsForEvent(scope, { eventId, childPersonIds: children.map((c) => c.id), sourceAgencyId: area.agencies.police, source: 'police_notification', receivedAt }));
  return children.map((c) => created.find((x) => x.childPersonId === c.id)!.contactId);
}
