// The front door (MASH triage), as other domains use it. Intake calls createContactsForEvent
// inside its own gated transaction; the demo seed calls seedFrontDoorDemo on the owner connection.
export { createContactsForEvent, type CreatedContact, type NewContactsInput } from './contacts';
export { mashAgencyId } from './mash';
export { seedFrontDoorDemo, type FrontDoorDemoOptions, type FrontDoorDemoResult } from './demo';
export { registerFrontDoorRoutes } from './routes';
export { contactSources, sourceLabels, type ContactSource } from './labels';
export { calendarSettingsOf, loadCalendarSettings, type Clock } from './time';
