// Form handling for server-rendered pages: zod validates, and failures come back in the shape
// the GOV.UK error summary and field error messages need.
import type { z } from 'zod';
import { HearthError } from '../server/errors';

export interface PageErrors {
  /** For govukErrorSummary: each problem linking to its field. */
  list: { text: string; href: string }[];
  /** For each field's errorMessage. */
  byField: Record<string, { text: string }>;
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: PageErrors };

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: PageErrors = { list: [], byField: {} };
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join('-') || 'form';
    if (errors.byField[field]) continue;
    errors.byField[field] = { text: issue.message };
    errors.list.push({ text: issue.message, href: `#${field}` });
  }
  return { ok: false, errors };
}

export function singleError(field: string, text: string): PageErrors {
  return { list: [{ text, href: `#${field}` }], byField: { [field]: { text } } };
}

/** Turns a HearthError's field errors into page errors (a form-level message when there are none). */
export function pageErrorsFrom(error: { message: string; fields: { field: string; message: string }[] }): PageErrors {
  if (error.fields.length === 0) return { list: [{ text: error.message, href: '#main-content' }], byField: {} };
  const errors: PageErrors = { list: [], byField: {} };
  for (const f of error.fields) {
    errors.byField[f.field] = { text: f.message };
    errors.list.push({ text: f.message, href: `#${f.field}` });
  }
  return errors;
}

const formErrorCodes = ['validation_failed', 'conflict', 'stale_write'];

/**
 * Runs a form's work; an error the person can put right (a field, a clash, someone else's change)
 * shows the form again with its messages and the error's status. Others go to the error page.
 */
export async function withFormErrors<R>(
  reply: { code(status: number): unknown },
  work: () => Promise<R>,
  showForm: (errors: PageErrors) => Promise<R>,
  options: { alsoShow?: string[] } = {},
): Promise<R> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HearthError && (formErrorCodes.includes(error.code) || options.alsoShow?.includes(error.code))) {
      reply.code(error.status);
      return showForm(pageErrorsFrom(error));
    }
    throw error;
  }
}
