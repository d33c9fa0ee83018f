import nodemailer from 'nodemailer';
import type { DigestTransport } from './send-digests.ts';

/**
 * A nodemailer SMTP transport for `SMTP_URL` (smtp://user:pass@host:587, smtps://… for TLS from the
 * start). Apps use this rather than importing nodemailer themselves.
 */
export function createSmtpTransport(smtpUrl: string): DigestTransport & { close(): void } {
  const transport = nodemailer.createTransport(smtpUrl);
  return { sendMail: (mail) => transport.sendMail(mail), close: () => transport.close() };
}
