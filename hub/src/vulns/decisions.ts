/**
 * An analyst's word on a match: confirmed (it is real), rejected (a false match), or suppressed
 * (real, but accepted for now — with an expiry). A decision is keyed by the vulnerability and the
 * device model (maker and model name, folded), never by a version or a feed revision, so it holds
 * for every unit of the model and survives new versions of the feed.
 */
import type { Collection, HubStore } from '../store/hub-store.js';

export const DECISIONS = ['confirmed', 'rejected', 'suppressed'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface MatchDecision {
  vulnerability: string;
  vendor: string;
  model: string;
  decision: Decision;
  note: string;
  by: string;
  at: string;
  /** A suppression ends at this time; the match is then shown again. */
  until?: string;
}

/** Maker and model folded for the key: case, spacing and punctuation do not make another model. */
export const foldName = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

export const decisionKey = (vulnerability: string, vendor: string, model: string): string => `${vulnerability.toUpperCase()}|${foldName(vendor)}|${foldName(model)}`;

export class MatchDecisions {
  private readonly kept: Collection;
  private cache: Map<string, MatchDecision> | null = null;
  private changes = 0;

  constructor(store: HubStore) {
    this.kept = store.collection('match-decisions');
  }

  /** A number that changes whenever a decision is made or removed (times alone may repeat). */
  get version(): number {
    return this.changes;
  }

  async put(decision: MatchDecision): Promise<MatchDecision> {
    const key = decisionKey(decision.vulnerability, decision.vendor, decision.model);
    await this.kept.put(key, JSON.stringify(decision));
    (await this.all()).set(key, decision);
    this.changes++;
    return decision;
  }

  async remove(vulnerability: string, vendor: string, model: string): Promise<boolean> {
    const key = decisionKey(vulnerability, vendor, model);
    const map = await this.all();
    if (!map.has(key)) return false;
    await this.kept.del(key);
    map.delete(key);
    this.changes++;
    return true;
  }

  /** The decision in force for this vulnerability on this model at `now` (an expired suppression is none). */
  async find(vulnerability: string, vendor: string, model: string, now: string): Promise<MatchDecision | undefined> {
    const found = (await this.all()).get(decisionKey(vulnerability, vendor, model));
    if (found?.decision === 'suppressed' && found.until !== undefined && found.until <= now) return undefined;
    return found;
  }

  async list(): Promise<MatchDecision[]> {
    return [...(await this.all()).values()];
  }

  private async all(): Promise<Map<string, MatchDecision>> {
    if (this.cache) return this.cache;
    const map = new Map<string, MatchDecision>();
    for await (const [key, value] of this.kept.entries()) map.set(key, JSON.parse(value) as MatchDecision);
    this.cache = map;
    return map;
  }
}
