-- The durable outbox at work, and Operation Encompass notifications: what each outbox entry is for
-- (shown to administrators, without personal data), what its lease and counters mean, and the
-- link from an escalation to the notification it escalates, unique so that escalating twice
-- adds nothing.

ALTER TABLE outbox ADD COLUMN summary text;
COMMENT ON COLUMN outbox.summary IS 'What the entry is for, in words an administrator can act on; never personal data (it is shown on the outbox page).';
COMMENT ON COLUMN outbox.attempts IS 'Attempts started, counted when a worker claims the entry, so an attempt cut short by a crash counts too.';
COMMENT ON COLUMN outbox.available_at IS 'Not before this: after a failure, the next attempt waits by exponential backoff with jitter.';
COMMENT ON COLUMN outbox.locked_until IS 'Lease of the worker that claimed the entry; once it has passed (the worker died), another worker may take it over.';
COMMENT ON COLUMN outbox.last_error IS 'Why the last attempt failed (handlers keep personal data out of their error messages).';
COMMENT ON COLUMN outbox.payload IS 'What the handler needs, as identifiers rather than personal data: the handler reads the rest when it runs.';
CREATE INDEX outbox_area_open ON outbox (area_id, status, available_at) WHERE status <> 'done';

ALTER TABLE notification ADD COLUMN escalation_of uuid UNIQUE REFERENCES notification(id);
COMMENT ON COLUMN notification.escalation_of IS 'For an escalation: the notification that was not acknowledged in time. Unique, so it is escalated once.';
COMMENT ON COLUMN notification.due_at IS 'When the recipient must have read it: for Operation Encompass, the start of the next school day.';
COMMENT ON COLUMN notification.escalated_at IS 'When it was escalated to the MASH because it was still unacknowledged at its due time.';
COMMENT ON COLUMN notification.support_note IS 'What support the recipient (the school) is giving the child, recorded after reading.';
COMMENT ON COLUMN notification.emailed_at IS 'When the email saying a notification is waiting was sent (it carries no personal data).';
