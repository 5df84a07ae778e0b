/** A real SMTP server on loopback (smtp-server) that keeps what it receives, for the SMTP delivery tests. */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface TestSmtpServer {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

export async function startSmtpServer(options: { credentials?: { user: string; pass: string }; offerStartTls?: boolean } = {}): Promise<TestSmtpServer> {
  const received: Received[] = [];
  const config: SMTPServerOptions = {
    // No certificate here: STARTTLS is offered only when a test asks, to see requireTLS refuse plaintext.
    disabledCommands: [...(options.offerStartTls ? [] : ['STARTTLS']), ...(options.credentials ? [] : ['AUTH'])],
    authOptional: !options.credentials,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.credentials?.user && auth.password === options.credentials?.pass;
      callback(ok ? null : new Error('Invalid username or password'), ok ? { user: auth.username } : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback(null);
      });
    },
  };
  const server = new SMTPServer(config);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
