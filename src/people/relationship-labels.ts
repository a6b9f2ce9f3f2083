// How a relationship reads from the point of view of the person whose page is open.
// A relationship row says "person_id is <kind> related_person_id".

const fromOwnSide: Record<string, string> = {
  parent_of: 'Child',
  carer_of: 'Cared-for child',
  partner_of: 'Partner',
  ex_partner_of: 'Ex-partner',
  sibling_of: 'Sibling',
  household_member_of: 'Household member',
  alleged_perpetrator_of: 'Alleged victim',
};

const fromOtherSide: Record<string, string> = {
  parent_of: 'Parent',
  carer_of: 'Carer',
  partner_of: 'Partner',
  ex_partner_of: 'Ex-partner',
  sibling_of: 'Sibling',
  household_member_of: 'Household member',
  alleged_perpetrator_of: 'Alleged perpetrator',
};

/** The other person's role towards the person whose page is open. */
export function relationshipLabel(kind: string, direction: 'outgoing' | 'incoming'): string {
  return (direction === 'outgoing' ? fromOwnSide : fromOtherSide)[kind] ?? kind;
}

export const sexLabels: Record<string, string> = { F: 'Female', M: 'Male', U: 'Not known' };
