/** Test helpers for other packages' tests: a real SMTP server on 127.0.0.1 that parses what it accepts. */
export { smtpError, startSmtpServer, type TestSmtpServer } from './testdata/smtp-test-server.ts';
