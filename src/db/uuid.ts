// Every record's id is a uuid. An id taken from an address or a form is checked before it reaches
// a query, so that a mistyped one is "not found" rather than a database error.
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => uuidPattern.test(value);
