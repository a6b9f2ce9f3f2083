// Identity resolution: what other domains use. Intake links each person of a notification with
// resolveAgencyRecord inside its own gate transaction; people search finds candidates through
// the same features and keys.
export { agencyRecordInputSchema, formatPostcode, type AgencyRecordInput } from './features';
export { displayRank } from './display';
export { resolveAgencyRecord, type Resolution, type ResolutionOutcome } from './resolve';
export { defaultIdentitySettings, identitySettingsSchema, parseIdentitySettings, type IdentitySettings } from './settings';
