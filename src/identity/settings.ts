// An area's identity resolution thresholds, kept in area.settings under "identity": above the
// automatic threshold a record joins the person it matches; between the two it gets a person of
// its own and goes to a reviewer; below the review threshold it is a new person.
import { z } from 'zod';
import { HearthError } from '../server/errors';

const probability = (field: string, fallback: number) => {
  const message = `identity.${field} must be a probability between 0 and 1 (exclusive), e.g. ${fallback}`;
  return z.number({ error: message }).gt(0, { error: message }).lt(1, { error: message }).default(fallback);
};

export const identitySettingsSchema = z
  .strictObject({
    autoLinkThreshold: probability('autoLinkThreshold', 0.95),
    reviewThreshold: probability('reviewThreshold', 0.5),
  })
  .refine((s) => s.reviewThreshold < s.autoLinkThreshold, {
    path: ['reviewThreshold'],
    error: 'identity.reviewThreshold must be lower than identity.autoLinkThreshold',
  });

export type IdentitySettings = z.output<typeof identitySettingsSchema>;

/** The identity settings of an area (the "identity" member of area.settings), checked, with defaults. */
export function parseIdentitySettings(input: unknown): IdentitySettings {
  const parsed = identitySettingsSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({ field: ['identity', ...issue.path.map(String)].join('.'), message: issue.message }));
  throw new HearthError('validation_failed', `The area's identity settings are not valid: ${fields.map((f) => f.message).join('; ')}.`, fields);
}

export const defaultIdentitySettings: IdentitySettings = parseIdentitySettings({});
