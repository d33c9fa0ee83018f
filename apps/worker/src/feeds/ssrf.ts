import dns from 'node:dns';
import net from 'node:net';
import { FeedFetchError } from './errors.ts';

/**
 * SSRF guard for feed and full-text fetches.
 *
 * Every hop of a fetch (the first URL and each redirect target) is checked: a literal IP host is
 * checked before connecting, and a host name is resolved by our own `lookup` (all addresses), which
 * refuses the connection if ANY address is in a blocked range. Because the connection is made to the
 * very address our lookup returned (undici calls it from `net.connect`), a DNS answer cannot change
 * between the check and the connect: no DNS-rebinding window.
 */

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to all its addresses (the default is `dns.lookup` with `all: true`). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const resolveHostWithDns: ResolveHost = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

type Cidr = readonly [bytes: readonly number[], prefix: number];

// IPv4 ranges that must never be reached from a feed URL (RFC 6890 special-purpose and friends).
const BLOCKED_V4: readonly Cidr[] = [
  [[0, 0, 0, 0], 8], // "this network", includes the unspecified 0.0.0.0
  [[10, 0, 0, 0], 8], // private
  [[100, 64, 0, 0], 10], // CGNAT
  [[127, 0, 0, 0], 8], // loopback
  [[169, 254, 0, 0], 16], // link-local (cloud metadata lives here)
  [[172, 16, 0, 0], 12], // private
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation
  [[192, 88, 99, 0], 24], // 6to4 relay anycast
  [[192, 168, 0, 0], 16], // private
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // documentation
  [[203, 0, 113, 0], 24], // documentation
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, includes broadcast 255.255.255.255
];

const BLOCKED_V6: readonly Cidr[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 128], // unspecified ::
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128], // loopback ::1
  [[0, 0x64, 0xff, 0x9b, 0, 1], 48], // local-use NAT64
  [[1, 0, 0, 0, 0, 0, 0, 0], 64], // discard-only
  [[0x20, 0x01, 0, 0], 32], // Teredo (hides an IPv4 address)
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0xfc], 7], // unique local (ULA)
  [[0xfe, 0x80], 10], // link-local
  [[0xfe, 0xc0], 10], // deprecated site-local
  [[0xff], 8], // multicast
];

function matches(bytes: readonly number[], [net, prefix]: Cidr): boolean {
  for (let bit = 0; bit < prefix; bit += 8) {
    const take = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    const i = bit / 8;
    if (((bytes[i] ?? 0) & mask) !== ((net[i] ?? 0) & mask)) return false;
  }
  return true;
}

function parseIPv4(ip: string): number[] | null {
  if (net.isIPv4(ip) === false) return null;
  return ip.split('.').map((p) => Number(p));
}

/** Parses an IPv6 literal (with optional embedded dotted quad and zone id) into 16 bytes. */
export function parseIPv6(input: string): number[] | null {
  let ip = input.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!net.isIPv6(ip)) return null;
  const lastColon = ip.lastIndexOf(':');
  const tail = ip.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIPv4(tail);
    if (!v4) return null;
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    ip = `${ip.slice(0, lastColon + 1)}${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
  }
  const [left, right] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right ? right.split(':') : [];
  const fill = right !== undefined ? 8 - leftGroups.length - rightGroups.length : 0;
  const groups = [...leftGroups, ...Array<string>(Math.max(0, fill)).fill('0'), ...rightGroups];
  if (groups.length !== 8) return null;
  const bytes: number[] = [];
  for (const g of groups) {
    const v = parseInt(g, 16);
    bytes.push((v >> 8) & 0xff, v & 0xff);
  }
  return bytes;
}

/**
 * True when an IP address is loopback, private, link-local, CGNAT, multicast, unspecified, reserved,
 * documentation, or an IPv6 ULA/link-local address, including IPv4 addresses hidden in IPv6
 * (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`).
 * Anything that is not a valid IP literal is treated as blocked.
 */
export function isBlockedAddress(ip: string): boolean {
  const v4 = parseIPv4(ip);
  if (v4) return BLOCKED_V4.some((c) => matches(v4, c));
  const v6 = parseIPv6(ip);
  if (!v6) return true;
  const embedded = embeddedIPv4(v6);
  if (embedded) return BLOCKED_V4.some((c) => matches(embedded, c));
  return BLOCKED_V6.some((c) => matches(v6, c));
}

function embeddedIPv4(b: readonly number[]): number[] | null {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  // IPv4-mapped ::ffff:0:0/96 and the deprecated IPv4-compatible ::/96 (but not :: and ::1)
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12, 16);
  if (zeros(0, 12) && !zeros(12, 15)) return b.slice(12, 16);
  // NAT64 well-known prefix 64:ff9b::/96
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return b.slice(12, 16);
  // 6to4 2002::/16 carries the IPv4 address in bits 16..47
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6);
  return null;
}

/** The host of a URL without IPv6 brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

export interface AddressPolicy {
  allowPrivateNetworks: boolean;
  /**
   * Origins (`host:port`, from SIGNPOST_ALLOW_PRIVATE_HOSTS) that may be private or loopback while
   * every other target stays guarded: e.g. a feed server on the same machine, or the fault suite's
   * hostile server on 127.0.0.2, whose redirects to 169.254.169.254 must still be refused.
   */
  allowPrivateHosts?: readonly string[];
  /** Test seam: decides which addresses are blocked (default `isBlockedAddress`). */
  isBlockedAddress?: (ip: string) => boolean;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * Normalises one allow-list entry to `host:port` (host lower-cased, IPv6 in brackets); throws on an
 * entry without an explicit port, so that an entry never opens every port of a host.
 */
export function normalizeAllowedHost(entry: string): string {
  const trimmed = entry.trim();
  let url: URL;
  try {
    url = new URL(`http://${trimmed}`);
  } catch {
    throw new Error(`ssrf: allowed private host "${entry}" is not host:port`);
  }
  const explicitPort = /:(\d+)$/.exec(trimmed)?.[1];
  if (!explicitPort || url.pathname !== '/' || url.username || url.search || url.hash) {
    throw new Error(`ssrf: allowed private host "${entry}" must be host:port, e.g. 127.0.0.1:8080 or [::1]:8080`);
  }
  return `${url.hostname.toLowerCase()}:${Number(explicitPort)}`;
}

/** The `host:port` of a URL as the allow-list writes it (default port filled in). */
export function urlOrigin(url: URL): string {
  return `${url.hostname.toLowerCase()}:${url.port || DEFAULT_PORTS[url.protocol] || ''}`;
}

/** True when the URL's origin is in the policy's allow-list (SIGNPOST_ALLOW_PRIVATE_HOSTS). */
export function isAllowListed(url: URL, policy: Pick<AddressPolicy, 'allowPrivateHosts'>): boolean {
  const list = policy.allowPrivateHosts;
  if (!list || list.length === 0) return false;
  const origin = urlOrigin(url);
  return list.some((entry) => normalizeAllowedHost(entry) === origin);
}

/**
 * Checks a URL before any connection: scheme must be http(s); an IP-literal host must not be
 * blocked (net.connect skips `lookup` for literals, so the lookup guard alone would miss them)
 * unless its origin is allow-listed. Throws FeedFetchError kind 'ssrf'.
 */
export function assertUrlAllowed(url: URL, policy: AddressPolicy): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedFetchError('ssrf', `refusing ${url.href}: only http and https URLs can be fetched`, {
      url: url.href,
    });
  }
  if (policy.allowPrivateNetworks || isAllowListed(url, policy)) return;
  const host = urlHost(url);
  const blocked = policy.isBlockedAddress ?? isBlockedAddress;
  if (net.isIP(host) !== 0 && blocked(host)) {
    throw new FeedFetchError(
      'ssrf',
      `refusing ${url.href}: ${host} is a private, loopback or reserved address (set SIGNPOST_ALLOW_PRIVATE_NETWORKS=1 to allow)`,
      { url: url.href },
    );
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | ResolvedAddress[], family?: number) => void;

/**
 * A `net.connect` lookup function that resolves every address of the host and refuses (error kind
 * 'ssrf') when any of them is blocked. Refusing on ANY, not only the first, matters because the
 * connection may fall back to another address (happy eyeballs).
 */
export function createGuardedLookup(policy: AddressPolicy & { resolveHost?: ResolveHost }) {
  const resolve = policy.resolveHost ?? resolveHostWithDns;
  const blocked = policy.isBlockedAddress ?? isBlockedAddress;
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback) => {
    const host = hostname.replace(/^\[|\]$/g, '');
    resolve(host).then(
      (all) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : Number(options.family ?? 0);
        let addresses = family === 4 || family === 6 ? all.filter((a) => a.family === family) : all;
        if (addresses.length === 0) addresses = all;
        if (addresses.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${host}`);
          err.code = 'ENOTFOUND';
          callback(err, '');
          return;
        }
        if (!policy.allowPrivateNetworks) {
          const bad = all.find((a) => blocked(a.address));
          if (bad) {
            callback(
              new FeedFetchError(
                'ssrf',
                `refusing ${host}: it resolves to ${bad.address}, a private, loopback or reserved address (set SIGNPOST_ALLOW_PRIVATE_NETWORKS=1 to allow)`,
              ),
              '',
            );
            return;
          }
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}
