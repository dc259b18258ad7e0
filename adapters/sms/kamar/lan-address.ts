import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

/** The machine's names on the network, as KAMAR (on the school's server) would reach it. */
export interface LanNames {
  hostname: string;
  /** Non-internal IPv4 addresses, in interface order (IPv6 link-local ones are useless to type in). */
  ipv4: string[];
}

/** Reads this machine's names (os.hostname, os.networkInterfaces). */
export function readLanNames(): LanNames {
  const ipv4: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) ipv4.push(a.address);
  }
  return { hostname: hostname(), ipv4 };
}

/** 0.0.0.0 / :: listen on every network: an address to bind, never one to type into KAMAR. */
export function isWildcardHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === '0.0.0.0' || bare === '::' || bare === '0:0:0:0:0:0:0:0';
}

/**
 * The hosts to show the admin for a receiver bound to `host`: itself when it is one address, else the
 * machine's LAN addresses first (they work without DNS, which a school's KAMAR server may not have
 * for a laptop) and then its name. Never the wildcard: "0.0.0.0" typed into KAMAR reaches nothing.
 * Falls back to 127.0.0.1 only when the machine has no network address at all.
 */
export function shownHosts(host: string, names: LanNames): string[] {
  if (!isWildcardHost(host)) return [host];
  const hosts = [...names.ipv4];
  if (names.hostname && !isIP(names.hostname) && names.hostname !== 'localhost') hosts.push(names.hostname);
  return hosts.length > 0 ? hosts : ['127.0.0.1'];
}

/** A host as it goes in a URL (IPv6 in brackets). */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
