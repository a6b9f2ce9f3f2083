// Turns one generated cluster (its truth, its agency records, its people and its events) into
// table rows for the bulk loader.
import { isoDate, londonInstant, type Day } from './dates';
import type { ChronologyEvent } from './history';
import type { ChunkBuffer } from './load';
import type { PersonAssignment, ResolvedPerson } from './persons';
import type { Cluster, TruePerson } from './world';
import type { SeedRecord } from './records';

const dateOrNull = (day: Day | null) => (day === null ? null : isoDate(day));

export interface ClusterRows {
  areaId: string;
  historyStart: Day;
  cluster: Cluster;
  records: readonly SeedRecord[];
  assignment: PersonAssignment;
  events: readonly ChronologyEvent[];
  newId: () => string;
}

export function addClusterRows(buffer: ChunkBuffer, input: ClusterRows): void {
  const { areaId, cluster, records, assignment, events, newId, historyStart } = input;
  const personOf = (truth: TruePerson): ResolvedPerson => {
    const person = assignment.personOfTruth.get(truth);
    if (!person) throw new Error(`Generator error: ${truth.key} has no agency record`);
    return person;
  };
  const since = (day: Day) => londonInstant(Math.max(day, historyStart), 9 * 60);

  for (const home of cluster.homes) {
    buffer.add('address', {
      id: home.id, area_id: areaId, line1: home.line1, line2: home.line2, town: home.town, postcode: home.postcode,
      uprn: home.uprn, confidential: home.confidential, created_at: londonInstant(historyStart, 9 * 60),
    });
  }
  for (const person of assignment.persons) {
    buffer.add('person', {
      id: person.id, area_id: areaId, given_name: person.givenName, family_name: person.familyName,
      date_of_birth: person.dateOfBirth, expected_date_of_birth: person.expectedDateOfBirth, sex: person.sex,
      nhs_number: person.nhsNumber, created_at: londonInstant(person.firstSeen, 9 * 60), updated_at: londonInstant(person.lastSeen, 17 * 60),
    });
  }
  // Where each child is educated: which school (or the local authority, for a child educated at
  // home) Operation Encompass tells. Spells before the history began are not needed.
  for (const truth of cluster.people) {
    if (!assignment.personOfTruth.has(truth)) continue;
    for (const spell of truth.schools) {
      if (spell.to !== null && spell.to < historyStart) continue;
      buffer.add('education', {
        id: newId(), area_id: areaId, person_id: personOf(truth).id, school_agency_id: spell.school.id, home_educated: false,
        from_date: isoDate(spell.from), to_date: dateOrNull(spell.to),
      });
    }
    if (truth.homeEducatedFrom !== null) {
      buffer.add('education', {
        id: newId(), area_id: areaId, person_id: personOf(truth).id, school_agency_id: null, home_educated: true,
        from_date: isoDate(truth.homeEducatedFrom), to_date: null,
      });
    }
  }
  for (const record of records) {
    const person = assignment.personOfRecord.get(record) as ResolvedPerson;
    const recordedAt = londonInstant(record.firstSeen, 10 * 60);
    buffer.add('agency_record', {
      id: record.id, area_id: areaId, agency_id: record.agency.id, person_id: person.id, source_ref: record.sourceRef,
      given_name: record.givenName, middle_names: record.middleNames, family_name: record.familyName, aliases: record.aliases,
      date_of_birth: record.dateOfBirth, sex: record.sex, nhs_number: record.nhsNumber, school_agency_id: record.schoolAgencyId,
      gp_agency_id: record.gpAgencyId, email: record.email, recorded_at: recordedAt, updated_at: londonInstant(record.lastSeen, 17 * 60),
      expected_date_of_birth: record.expectedDateOfBirth,
    });
    buffer.add('person_link', {
      id: newId(), area_id: areaId, agency_record_id: record.id, person_id: person.id, method: 'imported',
      reason: assignment.linkReason, linked_at: recordedAt,
    });
    for (const address of record.addresses) {
      buffer.add('person_address', {
        id: newId(), area_id: areaId, person_id: person.id, agency_record_id: record.id, address_id: address.home.id,
        from_date: dateOrNull(address.from), to_date: dateOrNull(address.to),
      });
    }
    buffer.add('record_truth', { area_id: areaId, agency_record_id: record.id, true_person_key: record.person.key });
  }
  for (const household of cluster.households) {
    buffer.add('household', {
      id: household.id, area_id: areaId, address_id: household.home.id, from_date: isoDate(household.from),
      to_date: dateOrNull(household.to), created_at: since(household.from),
    });
    // Identity resolution may have joined two true people into one person (its rare mistakes): listed once.
    const listed = new Set<ResolvedPerson>();
    for (const member of household.members) {
      if (listed.has(personOf(member.person))) continue;
      listed.add(personOf(member.person));
      buffer.add('household_member', {
        id: newId(), area_id: areaId, household_id: household.id, person_id: personOf(member.person).id,
        from_date: isoDate(member.from), to_date: dateOrNull(member.to),
      });
    }
  }
  for (const r of cluster.relationships) {
    if (personOf(r.from) === personOf(r.to)) continue; // two true people resolved as one: nothing to relate
    buffer.add('relationship', {
      id: newId(), area_id: areaId, person_id: personOf(r.from).id, related_person_id: personOf(r.to).id, kind: r.kind,
      from_date: dateOrNull(r.fromDay), to_date: dateOrNull(r.toDay), source_event_id: r.sourceEventId,
      created_at: since(r.fromDay ?? historyStart),
    });
  }
  for (const event of events) {
    buffer.add('event', {
      id: event.id, area_id: areaId, agency_id: event.agency.id, kind: event.kind, occurred_at: event.occurredAt,
      source_ref: event.sourceRef, summary: event.summary, details: JSON.stringify(event.details), address_id: event.home?.id ?? null,
      recorded_at: event.recordedAt, recorded_by: event.recordedBy,
    });
    for (const p of event.people) {
      buffer.add('event_person', {
        id: newId(), area_id: areaId, event_id: event.id, agency_record_id: p.record.id,
        person_id: (assignment.personOfRecord.get(p.record) as ResolvedPerson).id,
        role: p.role, child_present: p.childPresent, child_voice: p.childVoice,
      });
    }
  }
}
