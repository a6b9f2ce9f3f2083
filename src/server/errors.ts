// The one error type. Codes are stable (clients and tests rely on them); messages are plain
// English for the person reading them.

export interface FieldError {
  /** Dotted path of the field, e.g. "people.0.dateOfBirth". */
  field: string;
  message: string;
}

const statusByCode: Record<string, number> = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  stale_write: 409,
  locked: 423,
  rate_limited: 429,
};

export class HearthError extends Error {
  readonly status: number;

  constructor(
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'HearthError';
    this.status = statusByCode[code] ?? 500;
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.fields.length ? { fields: this.fields } : {}) } };
  }
}

/** What every refusal of a record outside the caller's scope looks like: the same as absence. */
export function notFound(what = 'The record'): HearthError {
  return new HearthError('not_found', `${what} was not found.`);
}

export function validationFailed(fields: FieldError[]): HearthError {
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new HearthError('validation_failed', `Some fields are not valid. ${summary}`, fields);
}

export function staleWrite(): HearthError {
  return new HearthError('stale_write', 'Someone else changed this record since you opened it. Reload it and try again.');
}
