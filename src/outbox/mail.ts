// Outgoing email through the configured SMTP server. Email leaves the area's control, so callers
// send only what may travel in the clear: that something is waiting in Hearth, never what.
import { createTransport } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createSmtpMailer(settings: { smtpUrl: string; from: string }): Mailer {
  // Short timeouts: a slow mail server must not hold the outbox worker for long.
  const transport = createTransport(
    { url: settings.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 },
    { from: settings.from },
  );
  return {
    async send(message) {
      await transport.sendMail(message);
    },
    close: () => transport.close(),
  };
}
