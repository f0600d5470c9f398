import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { reject, type Rejection } from '@chat/contracts';

/**
 * Where a push or webhook may never go: this network and the operator's (private, loopback,
 * carrier-grade NAT, link-local — the cloud metadata services among them —, multicast, reserved,
 * documentation), in IPv4 and IPv6, the IPv6 forms that embed an IPv4 address included (a
 * `BlockList` matches IPv4-mapped addresses, `::ffff:127.0.0.1`, against the IPv4 ranges).
 */
const FORBIDDEN_RANGES: [address: string, prefix: number, family: 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 96, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001::', 23, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const forbidden = new BlockList();
for (const [address, prefix, family] of FORBIDDEN_RANGES) forbidden.addSubnet(address, prefix, family);

const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** True when an IP address is in none of the forbidden ranges. */
export const isPublicAddress = (address: string): boolean =>
  isIP(address) !== 0 && !forbidden.check(address, familyOf(address));

/** `[::1]` as a URL writes it, `::1` as an address. */
const bareHost = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

export class DestinationRefusedError extends Error {
  override readonly name = 'DestinationRefusedError';
}

/**
 * Which hosts notifications may be sent to: public addresses only, unless the operator allows
 * more. `allowed` lists, comma-separated, host names (any address they resolve to is allowed),
 * IP addresses and CIDR ranges (`10.1.0.0/16`, `fd00::/8`).
 */
export interface DestinationPolicy {
  /** Why a URL may not be registered (not http(s), or a host resolving to a forbidden address); null when it may. */
  refusalOf(url: string): Promise<Rejection | null>;
  /** True when a connection to `address`, resolved from `hostname`, may be made. */
  permits(hostname: string, address: string): boolean;
  /**
   * The DNS lookup for a delivery's connection: it resolves, then refuses when any address is
   * forbidden, so the connection goes to the very address checked (a rebinding DNS answer that
   * was public at registration and is private now fails here).
   */
  lookup: LookupFunction;
}

export const destinationPolicy = (allowed: string): DestinationPolicy => {
  const entries = allowed
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  const allowedHosts = new Set(entries.filter((entry) => !entry.includes('/') && isIP(entry) === 0));
  const allowedAddresses = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    if (isIP(address) === 0) continue;
    const family = familyOf(address);
    allowedAddresses.addSubnet(address, prefix ? Number(prefix) : family === 'ipv4' ? 32 : 128, family);
  }

  const permits = (hostname: string, address: string) =>
    allowedHosts.has(bareHost(hostname)) ||
    isPublicAddress(address) ||
    (isIP(address) !== 0 && allowedAddresses.check(address, familyOf(address)));

  const resolveAll = (hostname: string): Promise<LookupAddress[]> =>
    new Promise((resolve, rejectWith) =>
      dnsLookup(hostname, { all: true }, (error, addresses) =>
        error ? rejectWith(error) : resolve(addresses),
      ),
    );

  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find(({ address }) => !permits(hostname, address));
      if (refused || addresses.length === 0) {
        return callback(new DestinationRefusedError(`${hostname} resolves to a refused address`), '', 0);
      }
      if (options.all)
        return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

  return {
    permits,
    lookup,
    async refusalOf(text) {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return reject('invalid_request', 'Not a URL.');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        return reject('invalid_request', 'Must be an http(s) URL.');
      }
      const host = bareHost(url.hostname);
      const addresses =
        isIP(host) !== 0
          ? [host]
          : await resolveAll(host).then(
              (found) => found.map(({ address }) => address),
              () => [],
            );
      if (addresses.length === 0) return reject('invalid_request', `${host} does not resolve.`);
      if (addresses.every((address) => permits(host, address))) return null;
      return reject(
        'invalid_request',
        `${host} is not a public address: private, loopback, link-local, multicast and reserved ` +
          'addresses are refused.',
      );
    },
  };
};
