// What an Operation Encompass notification says, fixed when it is sent: the child's name and date
// of birth, the police reference, when and where the incident happened, whether the child was
// there and where, the child's voice, brief circumstances and other safeguarding information.
// Never a confidential address: where the incident happened at one, or any free text names a
// line or postcode of a confidential address of anyone involved, it is withheld.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import type { DeliverPayload, EncompassRoute } from './topics';

export const addressWithheld = 'Address withheld: confidential';
const fragmentWithheld = '[address withheld]';

export interface EncompassContent {
  route: EncompassRoute;
  recipientName: string;
  child: { name: string; dateOfBirth: string | null };
  policeReference: string | null;
  /** When the incident happened (ISO instant). */
  occurredAt: string;
  place: string | null;
  childPresent: boolean | null;
  whereChildWas: string | null;
  /** What the child said, in their words. */
  childVoice: string | null;
  /** How the child seemed to the officers. */
  childDemeanour: string | null;
  circumstances: string | null;
  injuries: string | null;
  weapons: string | null;
  policeActions: string[];
  riskGrade: string | null;
  /** Before the start of the school day (ISO instant). */
  dueAt: string;
}

/** Free text of the police details: trimmed, or null when missing or not text. */
const freeText = z
  .unknown()
  .transform((v) => (typeof v === 'string' && v.trim() ? v.trim() : null))
  .catch(null);

/** Injuries and weapons arrive as a description, a yes/no, or a list. */
const description = z
  .unknown()
  .transform((v): string | null => {
    if (typeof v === 'string') return v.trim() || null;
    if (typeof v === 'boolean') return v ? 'Yes' : 'None reported';
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').join(', ') || null;
    if (v && typeof v === 'object' && 'description' in v && typeof v.description === 'string') return v.description.trim() || null;
    return null;
  })
  .catch(null);

const actionLabels: Record<string, string> = {
  arrest: 'Arrest',
  dvpn: 'Domestic violence protection notice (DVPN)',
  dvpo: 'Domestic violence protection order (DVPO)',
  dapn: 'Domestic abuse protection notice (DAPN)',
  dapo: 'Domestic abuse protection order (DAPO)',
  idvareferral: 'Referral to an IDVA',
  idva: 'Referral to an IDVA',
  referraltoidva: 'Referral to an IDVA',
  bail: 'Bail conditions',
  nfa: 'No further police action',
};

function actionLabel(key: string): string {
  const known = actionLabels[key.toLowerCase().replace(/[^a-z]/g, '')];
  if (known) return known;
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What police did: a list of actions, or a map of action to yes/no. */
const policeActions = z
  .unknown()
  .transform((v): string[] => {
    if (Array.isArray(v)) return v.filter((a): a is string => typeof a === 'string' && a.trim() !== '').map(actionLabel);
    if (typeof v === 'string') return v.trim() ? [v.trim()] : [];
    if (v && typeof v === 'object') return Object.entries(v).filter(([, done]) => done === true).map(([key]) => actionLabel(key));
    return [];
  })
  .catch([]);

/** Per-child details of the incident: details.children = [{ personId, where, demeanour }]. */
const childDetails = z
  .array(z.object({ personId: z.string(), where: freeText, demeanour: freeText }).loose().catch({ personId: '', where: null, demeanour: null }))
  .catch([]);

const incidentDetails = z.object({
  policeReference: freeText,
  location: freeText,
  circumstances: freeText,
  injuries: description,
  weapons: description,
  riskGrade: freeText,
  actions: policeActions,
  children: childDetails,
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches any line or postcode of the sealed addresses, whatever the spacing, case or commas. */
function sealedPattern(addresses: { line1: string; line2: string | null; postcode: string | null }[]): RegExp | null {
  const fragments = addresses
    .flatMap((a) => [a.line1, a.line2, a.postcode])
    .filter((f): f is string => f !== null && f.trim().length >= 3)
    .map((f) => f.trim().split(/[\s,]+/).map(escapeRegExp).join('[\\s,]*'));
  return fragments.length ? new RegExp(fragments.join('|'), 'gi') : null;
}

/** Builds the content inside the delivering transaction (area-scoped). */
export async function buildEncompassContent(db: Kysely<Database>, payload: DeliverPayload): Promise<EncompassContent> {
  const event = await db
    .selectFrom('event')
    .select(['occurred_at', 'source_ref', 'details', 'address_id'])
    .where('id', '=', payload.eventId)
    .executeTakeFirstOrThrow();
  const child = await db
    .selectFrom('event_person as ep')
    .innerJoin('person as p', 'p.id', 'ep.person_id')
    .select(['p.given_name', 'p.family_name', 'p.date_of_birth', 'ep.child_present', 'ep.child_voice'])
    .where('ep.event_id', '=', payload.eventId)
    .where('ep.person_id', '=', payload.childPersonId)
    .executeTakeFirstOrThrow();
  const recipient = await db.selectFrom('agency').select('name').where('id', '=', payload.recipientAgencyId).executeTakeFirstOrThrow();
  const incidentAddress = event.address_id
    ? await db.selectFrom('address').select(['line1', 'line2', 'town', 'postcode', 'confidential']).where('id', '=', event.address_id).executeTakeFirst()
    : undefined;
  // Every confidential address of everyone involved, past or present, whoever recorded it: their
  // own addresses and their households'.
  const sealed = await db
    .selectFrom('event_person as ep')
    .innerJoin('person_address as pa', 'pa.person_id', 'ep.person_id')
    .innerJoin('address as a', 'a.id', 'pa.address_id')
    .select(['a.line1', 'a.line2', 'a.postcode'])
    .where('ep.event_id', '=', payload.eventId)
    .where('a.confidential', '=', true)
    .union((eb) =>
      eb
        .selectFrom('event_person as ep')
        .innerJoin('household_member as hm', 'hm.person_id', 'ep.person_id')
        .innerJoin('household as h', 'h.id', 'hm.household_id')
        .innerJoin('address as a', 'a.id', 'h.address_id')
        .select(['a.line1', 'a.line2', 'a.postcode'])
        .where('ep.event_id', '=', payload.eventId)
        .where('a.confidential', '=', true),
    )
    .execute();
  if (incidentAddress?.confidential) sealed.push(incidentAddress);
  const pattern = sealedPattern(sealed);
  const withhold = (text: string | null) => (text && pattern ? text.replace(pattern, fragmentWithheld) : text);

  const details = incidentDetails.parse(event.details);
  const childDetail = details.children.find((c) => c.personId === payload.childPersonId);
  const formattedAddress = incidentAddress ? [incidentAddress.line1, incidentAddress.line2, incidentAddress.town, incidentAddress.postcode].filter(Boolean).join(', ') : null;
  const placeText = details.location ?? formattedAddress;
  const place = incidentAddress?.confidential || (placeText && pattern && placeText.search(pattern) >= 0) ? addressWithheld : placeText;

  return {
    route: payload.route,
    recipientName: recipient.name,
    child: { name: [child.given_name, child.family_name].filter(Boolean).join(' ') || 'Name not recorded', dateOfBirth: child.date_of_birth },
    policeReference: withhold(details.policeReference ?? event.source_ref),
    occurredAt: event.occurred_at.toISOString(),
    place,
    childPresent: child.child_present,
    whereChildWas: withhold(childDetail?.where ?? null),
    childVoice: withhold(child.child_voice),
    childDemeanour: withhold(childDetail?.demeanour ?? null),
    circumstances: withhold(details.circumstances),
    injuries: withhold(details.injuries),
    weapons: withhold(details.weapons),
    policeActions: details.actions.map((a) => withhold(a) ?? a),
    riskGrade: details.riskGrade,
    dueAt: payload.dueAt,
  };
}
