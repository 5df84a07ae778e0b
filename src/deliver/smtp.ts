/**
 * SMTP delivery for organizations that relay mail through their own servers instead of SES. The message
 * is the same MIME bytes (mime.ts); nodemailer only carries it, with the envelope set explicitly so the
 * recipients are exactly the configured list and never re-read from the headers.
 */
import nodemailer from 'nodemailer';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  /** Refuse to send over a connection that did not upgrade to TLS (default true: reports are confidential). */
  requireTLS: boolean;
  username?: string;
  password?: string;
}

function transportFor(settings: SmtpSettings) {
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTLS,
    ...(settings.username ? { auth: { user: settings.username, pass: settings.password ?? '' } } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
  });
}

/** Connects, upgrades to TLS where required and logs in, without sending anything. */
export async function verifySmtp(settings: SmtpSettings): Promise<void> {
  const transport = transportFor(settings);
  try {
    await transport.verify();
  } finally {
    transport.close();
  }
}

export async function sendRawSmtp(settings: SmtpSettings, envelope: { from: string; to: string[] }, raw: Uint8Array): Promise<string> {
  const transport = transportFor(settings);
  try {
    const info = await transport.sendMail({ envelope, raw: Buffer.from(raw) });
    // The relay's queue id is in its response ("250 2.0.0 Ok: queued as 4C2A1..."), the one handle a mail admin can trace.
    return info.response ?? info.messageId;
  } finally {
    transport.close();
  }
}
