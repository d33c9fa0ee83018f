// Fault-suite helper (crash-loop.test.ts): a minimal SMTP server that records exactly which
// messages it accepted. Used only by test/faults.
//
// Written on node:net rather than smtp-server because the crash loop needs control of the one
// moment that matters: the server holds each message for `acceptDelayMs` before answering 250, and
// counts it as delivered only if the client is still connected when the 250 is written. A client
// killed while its message is held never saw a 250, so that message was not delivered.
import net from 'node:net';

export interface AcceptedMessage {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  messageId: string;
  /** The X-Signpost-Week header: the ISO week the digest is for. */
  week: string;
  at: number;
}

export interface RecordingSmtpServer {
  port: number;
  url: string;
  /** Messages answered with 250 to a connected client, in order. */
  accepted: AcceptedMessage[];
  /** Messages whose client was gone before the 250 (not delivered). */
  dropped: AcceptedMessage[];
  /** DATA commands seen. */
  dataCount(): number;
  /** Messages received in full and waiting for their 250 now. */
  held(): number;
  close(): Promise<void>;
}

function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Starts the server on 127.0.0.1, port 0. */
export async function startRecordingSmtpServer(options: { acceptDelayMs: () => number }): Promise<RecordingSmtpServer> {
  const accepted: AcceptedMessage[] = [];
  const dropped: AcceptedMessage[] = [];
  const sockets = new Set<net.Socket>();
  let dataCount = 0;
  let held = 0;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    let closed = false;
    socket.on('close', () => {
      closed = true;
      sockets.delete(socket);
    });
    socket.on('error', () => {});
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let data: string[] = [];
    let rcpt: string[] = [];
    const reply = (line: string) => {
      if (!closed) socket.write(`${line}\r\n`);
    };
    const finishMessage = (raw: string, to: string[]) => {
      const headers = parseHeaders(raw);
      const message = { to, messageId: headers.get('message-id') ?? '', week: headers.get('x-signpost-week') ?? '', at: Date.now() };
      held++;
      setTimeout(() => {
        held--;
        if (closed || socket.destroyed) {
          dropped.push(message);
          return;
        }
        accepted.push(message);
        reply('250 2.0.0 accepted');
      }, options.acceptDelayMs());
    };
    const onLine = (line: string) => {
      if (inData) {
        if (line === '.') {
          inData = false;
          finishMessage(data.join('\r\n'), rcpt);
          data = [];
          rcpt = [];
          return;
        }
        data.push(line.startsWith('..') ? line.slice(1) : line);
        return;
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') reply('250-crash-smtp\r\n250 8BITMIME');
      else if (verb === 'HELO' || verb === 'NOOP') reply('250 ok');
      else if (verb === 'MAIL') reply('250 2.1.0 ok');
      else if (verb === 'RCPT') {
        const address = /<([^>]*)>/.exec(line)?.[1] ?? line.slice(8).trim();
        rcpt.push(address.toLowerCase());
        reply('250 2.1.5 ok');
      } else if (verb === 'RSET') {
        rcpt = [];
        reply('250 ok');
      } else if (verb === 'DATA') {
        dataCount++;
        inData = true;
        reply('354 end with <CRLF>.<CRLF>');
      } else if (verb === 'QUIT') {
        reply('221 bye');
        socket.end();
      } else reply('502 5.5.2 not implemented');
    };
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let i = buffer.indexOf('\r\n'); i >= 0; i = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        onLine(line);
      }
    });
    reply('220 crash-smtp ESMTP');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    dropped,
    dataCount: () => dataCount,
    held: () => held,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
