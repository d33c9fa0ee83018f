import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed } from './fetch-feed.ts';
import { closeFeedConnections } from './safe-fetch.ts';
import { isAllowListed, isBlockedAddress, normalizeAllowedHost, parseIPv6, resolveHostWithDns } from './ssrf.ts';
import { failure, readFixture, serve, startTestServer, type TestServer } from '../../test/test-server.ts';

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '224.0.0.251',
    '239.255.255.250',
    '255.255.255.255',
    '240.0.0.1',
    '198.18.0.1',
    '192.0.2.10',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    'fec0::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2002:c0a8:0101::1',
    '2001:db8::1',
    'not-an-ip',
  ])('blocks %s', (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '11.0.0.1',
    '2a00:1450:4001:80b::200e',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('allows %s', (ip) => {
    expect(isBlockedAddress(ip)).toBe(false);
  });

  it('parses IPv6 forms to the same bytes', () => {
    expect(parseIPv6('::ffff:127.0.0.1')).toEqual(parseIPv6('0:0:0:0:0:ffff:7f00:0001'));
    expect(parseIPv6('[fe80::1]')).toEqual([0xfe, 0x80, ...Array(13).fill(0), 1]);
    expect(parseIPv6('1.2.3.4')).toBeNull();
  });
});

describe('SSRF guard in fetchFeed: loopback targets', () => {
  let inside: TestServer;
  beforeAll(async () => {
    inside = await startTestServer({ '/secret': serve('top secret', { 'content-type': 'text/plain' }) });
  });
  afterAll(async () => {
    await inside.close();
    await closeFeedConnections();
  });

  it('refuses non-http schemes', async () => {
    const err = await failure(fetchFeed('file:///etc/passwd'));
    expect(err.kind).toBe('ssrf');
    expect(err.message).toBe('feeds: refusing file:///etc/passwd: only http and https URLs can be fetched');
  });

  it('refuses loopback literals and names by default, and allows them with allowPrivateNetworks', async () => {
    const before = inside.requests.length;
    expect((await failure(fetchFeed(inside.url('/secret')))).kind).toBe('ssrf');
    expect((await failure(fetchFeed(inside.url('/secret').replace('127.0.0.1', 'localhost')))).kind).toBe('ssrf');
    expect((await failure(fetchFeed(`http://[::1]:${new URL(inside.origin).port}/secret`))).kind).toBe('ssrf');
    expect(inside.requests.length).toBe(before);
    const ok = await fetchFeed(inside.url('/secret'), { allowPrivateNetworks: true });
    expect(ok.kind).toBe('fetched');
    expect(inside.requests.length).toBe(before + 1);
  });

  it('refuses loopback written in other notations', async () => {
    const port = new URL(inside.origin).port;
    for (const host of ['0x7f000001', '127.1', '[::ffff:127.0.0.1]', '2130706433']) {
      const err = await failure(fetchFeed(`http://${host}:${port}/secret`));
      expect(err.kind, host).toBe('ssrf');
    }
  });
});

// The "public" server listens on 127.0.0.2, which Linux routes to loopback but macOS does not by default.
async function canListenOn(host: string): Promise<boolean> {
  try {
    const probe = await startTestServer({}, host);
    await probe.close();
    return true;
  } catch {
    return false;
  }
}
const has127002 = await canListenOn('127.0.0.2');

describe.skipIf(!has127002)('SSRF guard in fetchFeed (needs 127.0.0.2 on loopback)', () => {
  let inside: TestServer; // stands for an intranet service on loopback
  let outside: TestServer; // stands for a public host (listens on 127.0.0.2)
  const PUBLIC_HOST = 'public-news.example';
  // Treat 127.0.0.2 as if it were a public address; everything else is judged by the real rules.
  const pretendPublic = (ip: string) => (ip === '127.0.0.2' ? false : isBlockedAddress(ip));
  const resolveHost = async (host: string) => (host === PUBLIC_HOST ? [{ address: '127.0.0.2', family: 4 }] : resolveHostWithDns(host));

  beforeAll(async () => {
    inside = await startTestServer({ '/secret': serve('top secret', { 'content-type': 'text/plain' }) });
    outside = await startTestServer(
      {
        '/feed': serve(readFixture('rss2.xml'), { 'content-type': 'application/rss+xml' }),
        '/to-loopback': serve('', { location: inside.url('/secret') }, 302),
        '/to-localhost': serve('', { location: inside.url('/secret').replace('127.0.0.1', 'localhost') }, 301),
        '/to-metadata': serve('', { location: 'http://169.254.169.254/latest/meta-data/' }, 302),
        '/to-file': serve('', { location: 'file:///etc/passwd' }, 302),
      },
      '127.0.0.2',
    );
  });

  afterAll(async () => {
    await inside.close();
    await outside.close();
    await closeFeedConnections();
  });

  const publicUrl = (p: string) => `http://${PUBLIC_HOST}:${new URL(outside.origin).port}${p}`;

  it('fetches a host that resolves to an allowed address', async () => {
    const res = await fetchFeed(publicUrl('/feed'), { resolveHost, isBlockedAddress: pretendPublic });
    expect(res.kind).toBe('fetched');
  });

  it('refuses a redirect from a public-looking URL to a loopback address, before connecting', async () => {
    const before = inside.requests.length;
    const err = await failure(fetchFeed(publicUrl('/to-loopback'), { resolveHost, isBlockedAddress: pretendPublic }));
    expect(err.kind).toBe('ssrf');
    expect(err.message).toMatch(/^feeds: refusing http:\/\/127\.0\.0\.1:\d+\/secret/);
    expect(err.url).toBe(inside.url('/secret'));
    expect(inside.requests.length).toBe(before);
  });

  it('refuses a redirect to a name that resolves to loopback (checked at connect time)', async () => {
    const before = inside.requests.length;
    const err = await failure(fetchFeed(publicUrl('/to-localhost'), { resolveHost, isBlockedAddress: pretendPublic }));
    expect(err.kind).toBe('ssrf');
    expect(err.message).toContain('refusing localhost');
    expect(inside.requests.length).toBe(before);
  });

  it('refuses redirects to link-local metadata and to non-http schemes', async () => {
    const meta = await failure(fetchFeed(publicUrl('/to-metadata'), { resolveHost, isBlockedAddress: pretendPublic }));
    expect(meta.kind).toBe('ssrf');
    const file = await failure(fetchFeed(publicUrl('/to-file'), { resolveHost, isBlockedAddress: pretendPublic }));
    expect(file.kind).toBe('ssrf');
    expect(file.message).toContain('only http and https');
  });

  it('connects to the address it checked: a DNS answer that changes later is never used (no rebinding)', async () => {
    let calls = 0;
    // First answer passes the check; any later answer would point at the intranet service.
    const rebinding = async () => (calls++ === 0 ? [{ address: '127.0.0.2', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    const before = inside.requests.length;
    const res = await fetchFeed(publicUrl('/feed'), { resolveHost: rebinding, isBlockedAddress: pretendPublic });
    expect(res.kind).toBe('fetched');
    expect(calls).toBe(1);
    expect(inside.requests.length).toBe(before);
  });

  it('refuses a host when any of its addresses is private', async () => {
    const err = await failure(
      // If the guard failed, the connection would go to 127.0.0.2 (local), never off this machine.
      fetchFeed(`http://mixed.example:${new URL(outside.origin).port}/feed`, {
        isBlockedAddress: pretendPublic,
        resolveHost: async () => [
          { address: '127.0.0.2', family: 4 },
          { address: '10.0.0.7', family: 4 },
        ],
      }),
    );
    expect(err.kind).toBe('ssrf');
    expect(err.message).toContain('10.0.0.7');
  });
});

describe('allow-listed private origins (SIGNPOST_ALLOW_PRIVATE_HOSTS)', () => {
  let trusted: TestServer;
  let other: TestServer;
  beforeAll(async () => {
    other = await startTestServer({ '/secret': serve('top secret', { 'content-type': 'text/plain' }) });
    const otherPort = new URL(other.origin).port;
    trusted = await startTestServer(
      {
        '/feed': serve(readFixture('rss2.xml'), { 'content-type': 'application/rss+xml' }),
        '/to-metadata': serve('', { location: 'http://169.254.169.254/latest/meta-data/' }, 302),
        '/to-private': serve('', { location: 'http://10.0.0.1/' }, 302),
        '/to-other-port': serve('', { location: `http://127.0.0.2:${otherPort}/secret` }, 302),
        '/to-other-name': serve('', { location: `http://localhost:${otherPort}/secret` }, 302),
      },
      '127.0.0.2',
    );
  });
  afterAll(async () => {
    await trusted.close();
    await other.close();
    await closeFeedConnections();
  });
  const allow = () => ({ allowPrivateHosts: [new URL(trusted.origin).host] });

  it('normalises entries to host:port and refuses entries without a port', () => {
    expect(normalizeAllowedHost(' LocalHost:8080 ')).toBe('localhost:8080');
    expect(normalizeAllowedHost('[::1]:80')).toBe('[::1]:80');
    expect(() => normalizeAllowedHost('127.0.0.1')).toThrow(/must be host:port/);
    expect(() => normalizeAllowedHost('127.0.0.1:80/path')).toThrow(/must be host:port/);
    expect(isAllowListed(new URL('http://localhost/'), { allowPrivateHosts: ['localhost:80'] })).toBe(true);
    expect(isAllowListed(new URL('https://localhost/'), { allowPrivateHosts: ['localhost:80'] })).toBe(false);
  });

  it('fetches from the listed origin only: the same host on another port stays refused', async () => {
    expect((await fetchFeed(trusted.url('/feed'), allow())).kind).toBe('fetched');
    const before = other.requests.length;
    expect((await failure(fetchFeed(`http://127.0.0.2:${new URL(other.origin).port}/secret`, allow()))).kind).toBe('ssrf');
    expect(other.requests.length).toBe(before);
  });

  it('re-checks every redirect out of the listed origin: metadata, private, loopback literal and name', async () => {
    const before = other.requests.length;
    const meta = await failure(fetchFeed(trusted.url('/to-metadata'), allow()));
    expect(meta.kind).toBe('ssrf');
    expect(meta.message).toContain('refusing http://169.254.169.254/latest/meta-data/');
    expect((await failure(fetchFeed(trusted.url('/to-private'), allow()))).message).toContain('refusing http://10.0.0.1/');
    expect((await failure(fetchFeed(trusted.url('/to-other-port'), allow()))).kind).toBe('ssrf');
    const byName = await failure(fetchFeed(trusted.url('/to-other-name'), allow()));
    expect(byName.kind).toBe('ssrf');
    expect(byName.message).toContain('refusing localhost');
    expect(other.requests.length).toBe(before);
  });
});
