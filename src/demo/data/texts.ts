// Short free text for the demo chronology, written for Hearth in the style practitioners use.
// Placeholders: {street}, {town}, {sibling} ("my sister" or "my brother").

/** Brief circumstances of a domestic abuse incident, by severity (low, medium, high). */
export const incidentCircumstances: readonly (readonly string[])[] = [
  [
    'Verbal argument over money; neighbours called police about shouting.',
    'Argument after suspect returned home drunk; items thrown, no assault.',
    'Victim called police after suspect refused to leave the address.',
    'Ongoing dispute about child contact; abusive messages sent.',
    'Argument about suspect checking victim\u2019s phone; door slammed and damaged.',
    'Suspect shouted at victim in front of the children and smashed a mug.',
  ],
  [
    'Argument escalated; suspect pushed victim against a wall.',
    'Suspect grabbed victim by the arms and would not let her leave the room.',
    'Suspect took victim\u2019s phone and keys to stop her calling for help.',
    'Suspect slapped victim during an argument about money.',
    'Suspect attended the address after separation and kicked the front door.',
    'Victim reports months of controlling behaviour; assaulted tonight after an argument.',
  ],
  [
    'Suspect put his hands round victim\u2019s neck until she could not breathe.',
    'Suspect threatened victim with a kitchen knife and said he would kill her.',
    'Serious assault: victim punched repeatedly and kicked while on the floor.',
    'Suspect held victim down and threatened to kill her if she called police.',
    'Suspect forced entry after separation and assaulted victim in front of the children.',
    'Victim strangled and hit with an object; suspect left before police arrived.',
  ],
];

export const injuriesBySeverity: readonly (readonly string[])[] = [
  ['none'],
  ['redness to upper arms', 'bruising to forearm', 'scratch to neck', 'cut to lip', 'none visible'],
  ['red marks to the neck', 'black eye and swollen cheek', 'bruising to face and ribs', 'laceration to head', 'suspected broken wrist'],
];

export const weapons = ['kitchen knife', 'hammer', 'belt', 'glass bottle', 'baseball bat', 'screwdriver'];

/** The child's own words, by age band (4–7, 8–12, 13–17). */
export const childVoices: readonly (readonly string[])[] = [
  [
    'I hid under my bed.',
    'Mummy was crying.',
    'Daddy was shouting really loud.',
    'I covered my ears.',
    'I was scared.',
    'I hid upstairs with {sibling}.',
    'I want Mummy to be happy.',
    'The man shouted at Mummy and I cried.',
  ],
  [
    'I hid upstairs with {sibling}.',
    'I heard them shouting and then a bang.',
    'I took {sibling} into my room and put the telly on loud.',
    'I didn\u2019t go to sleep because I was listening.',
    'I worry about Mum when I\u2019m at school.',
    'I don\u2019t want him to come back.',
    'I tried to tell him to stop.',
    'It happens a lot when he has been drinking.',
    'I rang my nan.',
  ],
  [
    'I\u2019m sick of it, it happens every weekend.',
    'I stood between them.',
    'I called the police because I thought he was going to really hurt her.',
    'I don\u2019t want to talk about it.',
    'I stay out so I don\u2019t have to be there.',
    'It\u2019s not as bad as it sounds.',
    'I just want it to stop.',
    'I look after {sibling} when it kicks off.',
  ],
];

/** Emergency department presentations, by age band (under 1, 1–4, 5–12, 13–17, adult). */
export const edPresentations: readonly (readonly string[])[] = [
  ['Bronchiolitis, difficulty feeding', 'Fever and rash', 'Vomiting and poor feeding', 'Head injury: fell from a bed', 'Bruise to cheek, no explanation given'],
  ['Fall from sofa, head injury', 'Burn to hand from hot drink', 'Pulled elbow', 'Swallowed medication found at home', 'Croup', 'Cut to forehead after fall'],
  ['Fractured wrist after fall from bike', 'Asthma attack', 'Sprained ankle playing football', 'Laceration to knee', 'Abdominal pain', 'Dog bite to hand'],
  ['Alcohol intoxication', 'Self-harm: superficial cuts to forearm', 'Sports injury to shoulder', 'Overdose of paracetamol', 'Assaulted in the park', 'Chest pain, anxiety'],
  ['Chest pain', 'Back pain', 'Laceration to hand at work', 'Fall on ice', 'Alcohol intoxication', 'Migraine', 'Kidney stones'],
];

/** What a victim of domestic abuse says at the emergency department, by severity (medium, high). */
export const edAfterAbuse: readonly (readonly string[])[] = [
  ['Bruising to arm; said she walked into a door', 'Cut to lip; disclosed partner pushed her', 'Wrist pain; said she fell down the stairs'],
  ['Red marks to neck; disclosed partner strangled her', 'Head injury following assault at home', 'Facial fractures after assault by partner', 'Fractured ribs; disclosed partner kicked her'],
];

export const schoolAbsences = [
  'Unauthorised absence: {days} days, no contact from parent.',
  'Absent {days} days; parent reported illness by text.',
  'Persistent lateness and {days} days\u2019 absence this half term.',
  'Not in school for {days} days; home visit made, no answer.',
];

export const schoolAbsenceAfterIncident = 'Absent {days} days after police attended the home.';

export const schoolConcerns = [
  'Child arrived tired and hungry; said there was shouting at home.',
  'Child withdrawn in class and tearful; asked to stay late.',
  'Child disclosed that the police came to the house last night.',
  'Unexplained bruise to the arm; child said they fell.',
  'Child\u2019s behaviour has deteriorated; aggressive to peers.',
  'Child said they are worried about leaving mum at home.',
];

export const missingEpisodes = [
  'Reported missing by mother; found next day at a friend\u2019s house.',
  'Missing overnight; returned home, would not say where.',
  'Missing after an argument at home; found in {town} town centre.',
  'Failed to return from school; located by police at 23:00.',
  'Missing for two days; found with older peers, return interview offered.',
];

export const midwiferyDisclosures = [
  'Disclosed partner is controlling and checks her phone.',
  'Disclosed partner pushed her during the pregnancy.',
  'Bruising to arms seen at appointment; disclosed abuse, referral made.',
  'Disclosed she is frightened of her partner; partner attended and would not leave the room.',
];

export const healthVisitorNotes = [
  'New birth visit: mother and baby well, feeding established.',
  'Routine enquiry about domestic abuse: no disclosure.',
  'Visit after police notification: mother low in mood, support offered.',
  'Mother disclosed arguments at home; safety advice given.',
  'Developmental review: progress within normal range.',
];

export const gpConsultations = [
  'Low mood and poor sleep; disclosed stress at home.',
  'Anxiety; signposted to the domestic abuse service.',
  'Review of injuries; patient disclosed assault by partner.',
  'Repeated requests for sleeping tablets; routine enquiry made.',
];

export const probationContacts = [
  'Supervision appointment attended; discussed relationship and compliance.',
  'Attended Building Better Relationships session.',
  'Failed to attend appointment; warning letter issued.',
  'Home visit completed; new partner present.',
  'Risk review: contact with ex-partner discussed.',
];

export const idvaContacts = [
  'Initial contact; risk assessed as high, safety plan agreed.',
  'MARAC referral made; victim informed.',
  'Support with non-molestation order application.',
  'Safety plan reviewed; target hardening requested.',
  'Victim did not answer; safe message left.',
];

export const policeOtherIncidents = [
  'Drunk and disorderly in {town} town centre.',
  'Criminal damage to a parked car on {street}.',
  'Public order offence outside a public house.',
  'Shoplifting from a supermarket in {town}.',
  'Possession of cannabis, street warning given.',
];

export const adultSocialCareContacts = [
  'Care Act assessment requested after a fall at home.',
  'Safeguarding adults concern raised; referred to the MASH.',
  'Carer\u2019s assessment offered.',
];
