import { expect, it } from 'vitest';
import { loadConfig } from '../server/config';

it('reads the outbox and email settings, explaining mistakes by variable', () => {
  expect(loadConfig({})).toMatchObject({ mail: undefined, publicUrl: undefined, outbox: { pollSeconds: 5, maxAttempts: 8, leaseSeconds: 120 } });
  expect(() => loadConfig({ HEARTH_SMTP_URL: 'smtp://mail.example:25' })).toThrow(
    /HEARTH_MAIL_FROM: is required when HEARTH_SMTP_URL is set[\s\S]*HEARTH_PUBLIC_URL: is required/,
  );
  expect(() => loadConfig({ HEARTH_SMTP_URL: 'https://mail.example', HEARTH_MAIL_FROM: 'not an address', HEARTH_PUBLIC_URL: 'ftp://x', HEARTH_OUTBOX_MAX_ATTEMPTS: '0' })).toThrow(
    /HEARTH_SMTP_URL: must be an smtp:\/\/[\s\S]*HEARTH_MAIL_FROM: must be an email address[\s\S]*HEARTH_PUBLIC_URL: must be the http[\s\S]*HEARTH_OUTBOX_MAX_ATTEMPTS/,
  );
  const configured = loadConfig({
    HEARTH_SMTP_URL: 'smtps://hearth:secret@mail.example:465', HEARTH_MAIL_FROM: 'Hearth <hearth@council.example>', HEARTH_PUBLIC_URL: 'https://hearth.council.example/',
    HEARTH_OUTBOX_POLL_SECONDS: '2', HEARTH_OUTBOX_MAX_ATTEMPTS: '3', HEARTH_OUTBOX_LEASE_SECONDS: '30',
  });
  expect(configured).toMatchObject({
    mail: { smtpUrl: 'smtps://hearth:secret@mail.example:465', from: 'Hearth <hearth@council.example>' },
    publicUrl: 'https://hearth.council.example',
    outbox: { pollSeconds: 2, maxAttempts: 3, leaseSeconds: 30 },
  });
});
