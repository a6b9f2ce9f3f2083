// What other domains use of sharing: the need-to-know decision, the name-only summary, and the
// person page's sharing section. How to wire them is in README.md.
export { accessLevel, accessLevels, involvementIn, rememberAccessDecisions, requireFullAccess, type AccessLevel, type Involvement, type InvolvementKind } from './involvement';
export { nameOnlyView, type NameOnlyView } from './name-only';
export { nameOnlyPage, sharingForPersonPage, type PersonSharing } from './present';
export { limitSearchResults, type LimitedResult } from './search-results';
export { sharesForPerson, type ShareEntry } from './shares';
export { seedSharingDemo } from './demo';
