/**
 * The hub's own identities in `<dataDir>/tls/`: the TLS server certificate of its broker and API,
 * and the client certificate its MQTT ingest connects with. Both are signed by the hub's CA,
 * which is created on first use.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isDnsName } from './alt-names.js';
import { ensureCa } from './ca.js';
import type { IssueRequest } from './issue.js';
import { ensureStoredIdentity, issueAndStore } from './stored-identity.js';
import type { StoredIdentity } from './stored-identity.js';

export const HUB_TLS_DIR = 'tls';
export const HUB_SERVER_IDENTITY = 'hub-server';
export const HUB_CLIENT_IDENTITY = 'hub-client';
export const HUB_COMMON_NAME = 'hub';

/** Names every hub server certificate carries, so that local clients and tests can always connect. */
const LOCAL_DNS_NAMES = ['localhost'];
const LOCAL_IP_ADDRESSES = ['127.0.0.1', '::1'];

export interface HubServerIdentityOptions {
  /** DNS names sensors use to reach the hub, beyond localhost and this machine's host name. */
  hostnames?: string[];
  /** IP addresses sensors use to reach the hub, beyond the loopback addresses. */
  ips?: string[];
  validDays?: number;
}

export interface HubClientIdentityOptions {
  validDays?: number;
  /**
   * One of several hub instances sharing a broker: its ingest gets a name of its own (CN
   * `hub-<instance>`), because a broker that takes the certificate's subject as the client id
   * would otherwise let one instance's connection end the other's.
   */
  instance?: string;
}

/**
 * The hub's TLS server identity, issued once and kept while it is valid and its names cover
 * `hostnames` and `ips` (plus localhost, 127.0.0.1, ::1 and the machine's host name); issued
 * again otherwise.
 */
export async function ensureHubServerIdentity(dataDir: string, opts: HubServerIdentityOptions = {}): Promise<StoredIdentity> {
  const ca = await ensureCa(dataDir);
  return ensureStoredIdentity(ca, join(dataDir, HUB_TLS_DIR), HUB_SERVER_IDENTITY, {
    commonName: HUB_COMMON_NAME,
    role: 'hub',
    dnsNames: [...LOCAL_DNS_NAMES, ...machineHostName(), ...(opts.hostnames ?? [])],
    ipAddresses: [...LOCAL_IP_ADDRESSES, ...(opts.ips ?? [])],
    usage: 'server',
    validDays: opts.validDays,
  });
}

/** Issues a new client identity for the hub's MQTT ingest (CN `hub`, role hub), replacing any before it. */
export async function issueHubClientIdentity(dataDir: string, opts: HubClientIdentityOptions = {}): Promise<StoredIdentity> {
  const ca = await ensureCa(dataDir);
  return issueAndStore(ca, join(dataDir, HUB_TLS_DIR), hubClientIdentityName(opts), hubClientRequest(opts));
}

/** The hub's ingest client identity, kept while it is valid and issued otherwise. */
export async function ensureHubClientIdentity(dataDir: string, opts: HubClientIdentityOptions = {}): Promise<StoredIdentity> {
  const ca = await ensureCa(dataDir);
  return ensureStoredIdentity(ca, join(dataDir, HUB_TLS_DIR), hubClientIdentityName(opts), hubClientRequest(opts));
}

/** The common name of a hub instance's ingest: `hub`, or `hub-<instance>`. */
export function hubClientCommonName(instance?: string): string {
  return instance ? `${HUB_COMMON_NAME}-${instance}` : HUB_COMMON_NAME;
}

function hubClientIdentityName(opts: HubClientIdentityOptions): string {
  return opts.instance ? `${HUB_CLIENT_IDENTITY}-${opts.instance}` : HUB_CLIENT_IDENTITY;
}

function hubClientRequest(opts: HubClientIdentityOptions): IssueRequest {
  return {
    commonName: hubClientCommonName(opts.instance),
    role: 'hub',
    usage: 'client',
    validDays: opts.validDays,
  };
}

/** This machine's host name, when it can be a DNS name at all (`my_box` cannot). */
function machineHostName(): string[] {
  const name = hostname().toLowerCase();
  return isDnsName(name) ? [name] : [];
}
