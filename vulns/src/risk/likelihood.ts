/**
 * How likely a vulnerability is to be exploited on one device: from where its attacker has to be
 * (the CVSS attack vector), how the network exposes the affected service, and what is known of
 * exploitation (CISA KEV, EPSS, exploit maturity). A small rule set; the highest rule that applies
 * sets the level, and every rule that applies is stated in words:
 *
 *  1. Known to be exploited — listed in CISA KEV, or exploit maturity "attacked" → High.
 *  2. A network-vector flaw on a service reachable from the internet → High.
 *  3. EPSS of 0.1 or more, with a network path to the affected service → High.
 *  4. A network path to the affected service → Medium.
 *  5. No path — the vector is physical or local, or the service is never reachable → Low.
 *
 * An unknown exposure counts as a path (the worse value), and the result says so.
 */
import type { AttackVector } from '../cvss/score.js';

/** How the network exposes the affected service of a device, as Wardsight has observed it. */
export type Exposure = 'internet' | 'reachable' | 'segment-only' | 'no-path' | 'unknown';

/** Exploit maturity as CVSS 4.0 names it (E:A, E:P, E:U). */
export type ExploitMaturity = 'attacked' | 'proof-of-concept' | 'unreported';

export type LikelihoodLevel = 'Low' | 'Medium' | 'High';

export interface LikelihoodInput {
  attackVector: AttackVector;
  exposure: Exposure;
  /** Listed in the CISA Known Exploited Vulnerabilities catalog. */
  kev: boolean;
  /** The EPSS probability of exploitation activity in the next 30 days, 0 to 1. */
  epss?: number;
  exploitMaturity?: ExploitMaturity;
}

export interface Likelihood {
  level: LikelihoodLevel;
  because: string[];
}

/** EPSS from which a reachable flaw counts as likely to be exploited. */
export const EPSS_HIGH = 0.1;

const RANK: Readonly<Record<LikelihoodLevel, number>> = { Low: 0, Medium: 1, High: 2 };

const EXPOSURE_SAID: Readonly<Record<Exposure, string>> = {
  internet: 'the affected service is reachable from the internet',
  reachable: 'the affected service is reachable over the network',
  'segment-only': 'the affected service is reachable only from its own network segment',
  'no-path': 'the affected service is never reachable over the network',
  unknown: "the device's exposure is unknown, taken as reachable (the worse value)",
};

/** Whether the network gives an attacker a way to the flaw, and why. */
function networkPath(input: LikelihoodInput): { path: boolean; said: string } {
  if (input.attackVector === 'physical' || input.attackVector === 'local') {
    return { path: false, said: `the attack vector is ${input.attackVector}: the network gives no path to the flaw` };
  }
  return { path: input.exposure !== 'no-path', said: `the attack vector is ${input.attackVector} and ${EXPOSURE_SAID[input.exposure]}` };
}

/**
 * The likelihood of exploitation on one device, with every reason in words. Throws RangeError
 * when `epss` is not a probability between 0 and 1.
 */
export function likelihood(input: LikelihoodInput): Likelihood {
  const { epss } = input;
  if (epss !== undefined && !(epss >= 0 && epss <= 1)) throw new RangeError(`EPSS must be a probability from 0 to 1, not ${epss}`);
  let level: LikelihoodLevel = 'Low';
  const because: string[] = [];
  const apply = (rule: LikelihoodLevel, reason: string): void => {
    if (RANK[rule] > RANK[level]) level = rule;
    because.push(reason);
  };
  if (input.kev) apply('High', 'listed in the CISA Known Exploited Vulnerabilities catalog: exploited in the wild');
  if (input.exploitMaturity === 'attacked') apply('High', 'exploit maturity is "attacked": attacks have been reported');
  const { path, said } = networkPath(input);
  if (input.attackVector === 'network' && input.exposure === 'internet') apply('High', `${said}: anyone on the internet can attempt it`);
  else if (path) apply('Medium', `${said}: there is a network path to the flaw`);
  else apply('Low', said);
  if (epss !== undefined) {
    if (epss >= EPSS_HIGH && path) apply('High', `EPSS ${epss} is at or above ${EPSS_HIGH}, and there is a network path`);
    else because.push(epss >= EPSS_HIGH ? `EPSS ${epss} is at or above ${EPSS_HIGH}, but there is no network path` : `EPSS ${epss} is below ${EPSS_HIGH}`);
  }
  if (input.exploitMaturity === 'proof-of-concept') because.push('a proof-of-concept exploit is public');
  if (input.exploitMaturity === 'unreported') because.push('no exploit has been reported');
  return { level, because };
}
