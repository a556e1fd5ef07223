/**
 * Whether Mosquitto's account can reach its directory. Started as root, Mosquitto switches to its
 * `user` before it opens its certificates, CRL and log (mosquitto.ts), so every directory above its
 * own must let that account search it (the `x` bit of path_resolution(7)). The hub's data
 * directory is 0700; a broker directory inside it (the default `<dataDir>/mosquitto`) needs the
 * data directory opened to the broker's group for searching only (0710): the group can then reach
 * what it is given, by name, and list nothing; the hub's keys stay in their own 0700 directories.
 */
import type { Stats } from 'node:fs';
import { chmod, chown, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { MosquittoError } from './mosquitto-errors.js';

/** The account Mosquitto runs as: its uid, primary gid and every group it is in. */
export interface BrokerAccount {
  uid: number;
  gid: number;
  groups: readonly number[];
}

const SEARCH = { owner: 0o100, group: 0o010, other: 0o001 } as const;

/** The first directory above `dir` (nearest first) that `account` may not search, by its mode bits; null when none. */
export async function blockedAncestor(dir: string, account: BrokerAccount): Promise<string | null> {
  let current = dirname(resolve(dir));
  for (;;) {
    if (!maySearch(await stat(current), account)) return current;
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

/** Throws HUB_ERR_MOSQUITTO_CONFIG, naming the directory in the way, when `account` cannot reach `dir`. */
export async function assertReachable(dir: string, account: BrokerAccount, user: string): Promise<void> {
  const blocked = await blockedAncestor(dir, account);
  if (blocked === null) return;
  const mode = ((await stat(blocked)).mode & 0o777).toString(8).padStart(4, '0');
  throw new MosquittoError(
    'HUB_ERR_MOSQUITTO_CONFIG',
    `Mosquitto runs as "${user}", which cannot pass through ${blocked} (mode ${mode}) to reach ${dir}: put the broker directory elsewhere, or let that account search ${blocked}`,
  );
}

/**
 * Lets `account`'s group search `top` and every directory between it and `dir`, so that Mosquitto
 * reaches `dir` inside the hub's data directory `top`. A directory it can search already is left as
 * it is; one whose group has no rights at all is given to the account's group, search only; one
 * whose group has rights is not taken from that group (the operator decides). Directories outside
 * `top` are left alone; `dir` itself is handed over by writeMosquittoConfig.
 */
export async function openPassage(top: string, dir: string, account: BrokerAccount): Promise<void> {
  const from = resolve(top);
  const path = relative(from, resolve(dir));
  if (path === '' || path.startsWith('..') || isAbsolute(path)) return;
  const steps = path.split(sep).slice(0, -1);
  for (const directory of [from, ...steps.map((_, i) => join(from, ...steps.slice(0, i + 1)))]) {
    const st = await stat(directory);
    if (maySearch(st, account)) continue;
    if ((st.mode & 0o070) !== 0) {
      throw new MosquittoError('HUB_ERR_MOSQUITTO_CONFIG', `${directory} belongs to group ${st.gid}, which Mosquitto's account is not in: add that account to the group, or put the broker directory elsewhere`);
    }
    try {
      await chown(directory, st.uid, account.gid);
      await chmod(directory, (st.mode & 0o707) | SEARCH.group);
    } catch (error) {
      throw new MosquittoError('HUB_ERR_MOSQUITTO_CONFIG', `${directory}: cannot let Mosquitto's group search it: ${(error as Error).message}`, { cause: error });
    }
  }
}

function maySearch(st: Stats, account: BrokerAccount): boolean {
  const bit = st.uid === account.uid ? SEARCH.owner : st.gid === account.gid || account.groups.includes(st.gid) ? SEARCH.group : SEARCH.other;
  return (st.mode & bit) !== 0;
}
