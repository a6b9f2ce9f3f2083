// Risk, as other domains use it: intake recomputes on arrival; the front door, the person and
// perpetrator pages show flags; the demo seed computes the demo area's risk after its history.
export { recomputeRiskForEvent, type RecomputeOutcome } from './recompute';
export { flagsAroundPerpetrator, loadPersonRisk, openFlagsOfChildren, type FlagView, type OpenFlag, type PersonRisk } from './view';
export { seedRiskDemo, type RiskDemoResult } from './demo';
export { registerRiskRoutes } from './routes';
