/** Which fingerprint handler reads which application's payloads (kinds from the decoder registry). */
import { APP_DICOM, APP_HL7 } from '../decoders/registry.js';
import type { AppFacts } from './app-facts.js';
import { dicomHandler, hl7Handler } from './medical.js';
import { StreamMessages } from './stream-messages.js';

/** `refreshMs`: how often a fact already reported is confirmed (the device table's interval). */
export function registerHandlers(apps: AppFacts, refreshMs: number): void {
  // One reassembler for every stream protocol, so its memory bound is one bound.
  const streams = new StreamMessages();
  apps.handle(APP_DICOM, dicomHandler(streams)).handle(APP_HL7, hl7Handler(streams, refreshMs));
}
