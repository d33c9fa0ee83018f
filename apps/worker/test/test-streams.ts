// Test helper: a writable stream that keeps what a command prints. Used only by *.test.ts.
import { PassThrough } from 'node:stream';

export function captureStream(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}
