// An area's risk settings, kept under `risk` in the area's settings: the DASH thresholds, the
// MARAC criteria, the pattern rules' thresholds and the weighing of a child's experience. Every
// field is optional and defaults as the README of this folder says.
import type { Kysely } from 'kysely';
import { areaSettings } from '../db/area-settings';
import type { Database } from '../db/schema';
import { childPriorityConfig, type ChildPriorityConfig } from './child-experience';
import { dashConfig, type DashConfig } from './dash';
import { maracConfig, type MaracConfig } from './marac';
import { patternConfig, type PatternConfig } from './patterns';

export interface RiskSettings {
  dash: DashConfig;
  marac: MaracConfig;
  patterns: PatternConfig;
  childPriority: ChildPriorityConfig;
}

const objectOr = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/**
 * The risk settings in an area's settings, e.g. `{"risk": {"dash": {"highThreshold": 15}}}`.
 * Invalid settings throw validation_failed, naming each field (`dash.highThreshold`).
 */
export function riskSettingsOf(settings: Record<string, unknown> | null | undefined): RiskSettings {
  const risk = objectOr(settings?.['risk']);
  return {
    dash: dashConfig(objectOr(risk['dash'])),
    marac: maracConfig(objectOr(risk['marac'])),
    patterns: patternConfig(objectOr(risk['patterns'])),
    childPriority: childPriorityConfig(objectOr(risk['childPriority'])),
  };
}

/** The risk settings of an area (within the gate, the current area's row is the only one visible). */
export async function loadRiskSettings(db: Kysely<Database>, areaId: string): Promise<RiskSettings> {
  return riskSettingsOf(await areaSettings(db, areaId));
}
