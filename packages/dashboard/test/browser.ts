import fs from 'node:fs';

/** Debian's chromium (apt-get install -y chromium fonts-wqy-microhei); never playwright's own download. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM_PATH);
export const noChromiumReason = `browser tests need Debian's chromium at ${CHROMIUM_PATH} (apt-get install -y chromium fonts-wqy-microhei)`;
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
