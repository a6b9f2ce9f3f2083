// Zod failures as the one error type, with every problem named by its dotted field path.
import type { z } from 'zod';
import { validationFailed } from '../server/errors';

/** Parses `input`, or throws a validation_failed HearthError listing every problem under `prefix`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw validationFailed(
    parsed.error.issues.map((issue) => ({ field: [prefix, ...issue.path.map(String)].join('.'), message: issue.message })),
  );
}
