/**
 * The vulnerability and risk parts of a hub, opened on its store: the library, the analyst's
 * decisions and rubric answers, what each device exposes (learnt by the analysis where there is
 * one), the engine and the desk. `buildApp` offers their routes; tests open them on a test store.
 */
import { AssetRegister } from '../assets/register.js';
import type { Analysis } from '../analysis/analysis.js';
import type { Classifier } from '../inventory/classification.js';
import type { HubStore } from '../store/hub-store.js';
import { MatchDecisions } from '../vulns/decisions.js';
import { VulnLibrary } from '../vulns/library.js';
import { RiskDesk } from './desk.js';
import { RiskEngine } from './engine.js';
import { ExposureBook } from './exposure.js';
import { RubricBook } from './rubric-book.js';
import { SegmentMap, type SegmentDefinition } from './segments.js';
import type { Logger } from 'pino';

export interface RiskParts {
  library: VulnLibrary;
  decisions: MatchDecisions;
  rubric: RubricBook;
  exposure: ExposureBook;
  engine: RiskEngine;
  desk: RiskDesk;
  /** The hub's clock, where the caller gave one: the routes date decisions and rubric answers by it. */
  now?: () => Date;
}

export async function openRisk(input: { store: HubStore; classifier: Classifier; analysis?: Analysis; segments?: readonly SegmentDefinition[]; log: Logger; now?: () => Date }): Promise<RiskParts> {
  const { store, classifier, analysis } = input;
  const library = new VulnLibrary(store);
  const decisions = new MatchDecisions(store);
  const rubric = new RubricBook(store);
  const exposure = await ExposureBook.open(store, new SegmentMap(input.segments));
  analysis?.trackExposure(exposure);
  const assets = new AssetRegister(store, classifier, input.log.child({ module: 'risk-assets' }), input.now);
  const engine = new RiskEngine({ store, classifier, library, decisions, exposure, assets, rubric, ...(input.now ? { now: input.now } : {}) });
  const desk = new RiskDesk({ store, classifier, library, engine, exposure, ...(analysis ? { analysis } : {}) });
  return { library, decisions, rubric, exposure, engine, desk, ...(input.now ? { now: input.now } : {}) };
}
