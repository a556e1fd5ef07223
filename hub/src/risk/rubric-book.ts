/**
 * The MITRE medical-device rubric answers an analyst recorded for one vulnerability on one model,
 * with the CVSS vector they yield and how each metric was derived. Where answers exist, risk scores
 * the model's units with that vector rather than the feed's generic one. Keyed like match decisions:
 * by vulnerability and model, never by version.
 */
import { rubricVector, validateRubricAnswers, VulnError, type RubricAnswers } from '@wardsight/vulns';
import { HubError } from '../errors.js';
import type { Collection, HubStore } from '../store/hub-store.js';
import { decisionKey } from '../vulns/decisions.js';

export interface RubricRecord {
  vulnerability: string;
  vendor: string;
  model: string;
  answers: RubricAnswers;
  vector: string;
  score: number;
  severity: string;
  derivation: { metric: string; value: string; because: string }[];
  by: string;
  at: string;
}

export class RubricBook {
  private readonly kept: Collection;
  private cache: Map<string, RubricRecord> | null = null;
  private changes = 0;

  constructor(store: HubStore) {
    this.kept = store.collection('rubric');
  }

  get version(): number {
    return this.changes;
  }

  /** Records the answers (checked first) and the vector they yield. */
  async record(input: { vulnerability: string; vendor: string; model: string; answers: unknown; by: string; at: string }): Promise<RubricRecord> {
    let answers: RubricAnswers;
    try {
      answers = validateRubricAnswers(input.answers);
    } catch (err) {
      if (err instanceof VulnError) throw new HubError('HUB_ERR_RUBRIC', err.message);
      throw err;
    }
    const derived = rubricVector(answers);
    const record: RubricRecord = {
      vulnerability: input.vulnerability.toUpperCase(),
      vendor: input.vendor,
      model: input.model,
      answers,
      vector: derived.vector,
      score: derived.score.baseScore,
      severity: derived.score.severity,
      derivation: derived.derivation,
      by: input.by,
      at: input.at,
    };
    const key = decisionKey(record.vulnerability, record.vendor, record.model);
    await this.kept.put(key, JSON.stringify(record));
    (await this.all()).set(key, record);
    this.changes++;
    return record;
  }

  async find(vulnerability: string, vendor: string, model: string): Promise<RubricRecord | undefined> {
    return (await this.all()).get(decisionKey(vulnerability, vendor, model));
  }

  async list(): Promise<RubricRecord[]> {
    return [...(await this.all()).values()];
  }

  private async all(): Promise<Map<string, RubricRecord>> {
    if (this.cache) return this.cache;
    const map = new Map<string, RubricRecord>();
    for await (const [key, value] of this.kept.entries()) map.set(key, JSON.parse(value) as RubricRecord);
    this.cache = map;
    return map;
  }
}
