/**
 * A real SMTP server on 127.0.0.1 (smtp-server) that parses what it accepts with mailparser, for
 * tests. `refuse` decides per DATA command whether to answer with an error instead of accepting.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtpServer {
  port: number;
  /** Messages the server accepted (answered 250), in order. */
  received: ParsedMail[];
  /** DATA commands seen, accepted or not. */
  dataCount: number;
  close(): Promise<void>;
}

export async function startSmtpServer(
  options: {
    /** Return an error (with responseCode) to refuse this message; called with the 1-based DATA count. */
    refuse?: (n: number) => (Error & { responseCode?: number }) | null;
    /** Called on each DATA before accepting; return false to neither accept nor refuse (the client hangs). */
    onData?: (n: number) => boolean;
  } = {},
): Promise<TestSmtpServer> {
  const state = { received: [] as ParsedMail[], dataCount: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const n = ++state.dataCount;
      simpleParser(stream).then(
        (mail) => {
          if (options.onData && options.onData(n) === false) return;
          const refusal = options.refuse?.(n);
          if (refusal) return callback(refusal);
          state.received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    get received() {
      return state.received;
    },
    get dataCount() {
      return state.dataCount;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An SMTP reply error as smtp-server sends it. */
export function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}
