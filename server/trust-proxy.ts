/**
 * TRUST_PROXY: which peers' X-Forwarded-For/-Proto/-Host headers are believed. One function, given
 * to Fastify as `trustProxy` (so `req.ip`, `req.protocol` and `req.host` follow it) and used by the
 * console socket's upgrade, which sees the raw request.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { KefuError } from '../core';

/** Fastify's trust function: is the peer at `hop` (0: the one connected to us) a proxy we trust? */
export type TrustProxy = (address: string, hop: number) => boolean;

/** "false" (default) | "true" | a hop count | a comma list of IP addresses, CIDRs and "loopback". */
export function parseTrustProxy(value: string): TrustProxy | false {
  const v = value.trim();
  if (v === 'false' || v === '' || v === '0') return false;
  if (v === 'true') return () => true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return (_address, hop) => hop < hops;
  }
  const list = new BlockList();
  for (const entry of v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean))
    addEntry(list, entry);
  return (address) => matches(list, address);
}

function addEntry(list: BlockList, entry: string): void {
  if (entry === 'loopback') {
    list.addSubnet('127.0.0.0', 8, 'ipv4');
    list.addAddress('::1', 'ipv6');
    return;
  }
  const [address = '', bits] = entry.split('/');
  const family = isIP(address);
  const prefix = bits === undefined ? undefined : Number(bits);
  if (!family || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128)))) {
    throw new KefuError('KEFU_ERR_CONFIG_INVALID', `TRUST_PROXY: "${entry}" is not an IP address, a CIDR or "loopback".`, { details: [`TRUST_PROXY: bad entry "${entry}"`] });
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefix === undefined) list.addAddress(address, type);
  else list.addSubnet(address, prefix, type);
}

function matches(list: BlockList, address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  const family = isIP(v4);
  return family !== 0 && list.check(v4, family === 4 ? 'ipv4' : 'ipv6');
}

/** The last value of a possibly repeated, comma-joined header (the one the nearest proxy added). */
function lastValue(header: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(header) ? header.join(',') : header;
  const last = joined?.split(',').pop()?.trim();
  return last || undefined;
}

/** Host and scheme of a raw request as Fastify would see them under the same trust function. */
export function rawRequestOrigin(req: IncomingMessage, trust: TrustProxy | false): { host: string; protocol: 'http' | 'https' } {
  const peer = req.socket?.remoteAddress ?? '';
  const trusted = trust !== false && trust(peer, 0);
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const proto = trusted ? lastValue(req.headers['x-forwarded-proto']) : undefined;
  const host = (trusted ? lastValue(req.headers['x-forwarded-host']) : undefined) ?? req.headers.host ?? '';
  return { host, protocol: proto ? (proto === 'https' ? 'https' : 'http') : encrypted ? 'https' : 'http' };
}
