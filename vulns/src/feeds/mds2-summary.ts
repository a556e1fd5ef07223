/**
 * The few MDS2 answers a maker's device record needs, out of the form's two hundred and more:
 * how the device connects and whether it needs the internet, how it is patched and serviced
 * remotely, how people log in to it, whether it encrypts, whether an SBOM exists, and how its
 * third-party components reach end of life.
 */
import type { Mds2Record, Mds2Value } from '../model.js';

/** One fact: the question that states it, the answer (normalised and raw), and the question's words. */
export interface Mds2Fact {
  id: string;
  answer: Mds2Value;
  raw: string;
  /** The question as the form words it. */
  text: string;
  notes?: string;
}

/** The question of HN 1-2019 that states each fact. */
export const MDS2_FACT_QUESTIONS = {
  /** Does the device have hardware connectivity capabilities? */
  connectivity: 'CONN-1',
  /** Does the device support wireless connections? */
  wireless: 'CONN-1.1',
  /** Can it communicate with systems outside the customer environment (a service host)? */
  externalCommunication: 'CONN-4',
  /** Does it require an internet connection for its intended use? */
  internetRequired: 'CONN-6',
  /** Does it support TLS? */
  tls: 'CONN-7',
  /** Does it hold software or firmware that may need security updates? */
  securityUpdatesNeeded: 'CSUP-1',
  /** Can its operating system receive patches remotely? */
  remoteOsPatching: 'CSUP-2.3',
  /** Can its drivers and firmware receive patches remotely? */
  remoteFirmwarePatching: 'CSUP-3.3',
  /** Does it install software updates automatically? */
  automaticUpdates: 'CSUP-8',
  /** Does the maker assess device vulnerabilities and updates? */
  vulnerabilityProcess: 'CSUP-11',
  /** Does it permit remote service connections? */
  remoteService: 'RMOT-1',
  /** Does it require a login (or another mechanism) to keep unauthorised users out? */
  loginRequired: 'AUTH-1',
  /** Are all default accounts (service, administrator) listed in the documentation? */
  defaultAccountsDocumented: 'PAUT-4',
  /** Can all passwords be changed? */
  passwordsChangeable: 'PAUT-5',
  /** Does it support multi-factor authentication? */
  multiFactorAuthentication: 'PAUT-8',
  /** Can it encrypt data at rest? */
  encryptionAtRest: 'STCF-1',
  /** Is personal data encrypted before it is sent over a network or on removable media? */
  encryptionInTransit: 'TXCF-2',
  /** Is an SBOM available for the product? */
  sbomAvailable: 'SBOM-1',
  /** Does the maker publish software support dates and updates? */
  supportDatesPublished: 'RDMP-3',
  /** Does the maker plan for third-party component end of life? */
  componentEndOfLifePlan: 'RDMP-4',
} as const;

export type Mds2FactName = keyof typeof MDS2_FACT_QUESTIONS;

/** Each fact a maker's record needs, or null where the form does not answer its question. */
export type Mds2Summary = Record<Mds2FactName, Mds2Fact | null>;

/** The facts of `record` a maker's device record keeps, each with the answer it rests on. */
export function mds2Summary(record: Mds2Record): Mds2Summary {
  const byId = new Map(record.answers.map((answer) => [answer.id, answer]));
  const entries = (Object.keys(MDS2_FACT_QUESTIONS) as Mds2FactName[]).map((name): [Mds2FactName, Mds2Fact | null] => {
    const answer = byId.get(MDS2_FACT_QUESTIONS[name]);
    if (answer === undefined) return [name, null];
    const fact: Mds2Fact = { id: answer.id, answer: answer.value, raw: answer.raw, text: answer.question };
    if (answer.notes !== undefined) fact.notes = answer.notes;
    return [name, fact];
  });
  return Object.fromEntries(entries) as Mds2Summary;
}
