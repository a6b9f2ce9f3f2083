// Identity resolution: what other domains use. Intake links the people of a notification together
// with resolveAgencyRecords inside its own gate transaction; people search finds candidates
// through the same features and keys.
export { agencyRecordInputSchema, formatPostcode, type AgencyRecordInput } from './features';
export { displayRank } from './display';
export { resolveAgencyRecord, resolveAgencyRecords, type Resolution, type ResolutionOutcome } from './resolve';
export { defaultIdentitySettings, identitySettingsSchema, parseIdentitySettings, type IdentitySettings } from './settings';
