/**
 * Values some attributes may take, and how they nest. A category or OS family that contains
 * another (a CT scanner is an imaging modality; Android is a Linux) does not conflict with it:
 * evidence for the wider value is consistent with the narrower one.
 */
import type { Attribute } from './profile.js';

/** Device categories, each with the wider category it belongs to (null at the top). */
export const CATEGORIES: Readonly<Record<string, string | null>> = {
  'medical-device': null,
  'infusion-pump': 'medical-device',
  'patient-monitor': 'medical-device',
  'central-station': 'medical-device',
  ventilator: 'medical-device',
  'anaesthesia-machine': 'medical-device',
  defibrillator: 'medical-device',
  'ecg-cardiograph': 'medical-device',
  'lab-analyser': 'medical-device',
  'imaging-modality': 'medical-device',
  ct: 'imaging-modality',
  mri: 'imaging-modality',
  'x-ray': 'imaging-modality',
  mammography: 'imaging-modality',
  ultrasound: 'imaging-modality',
  'nuclear-medicine': 'imaging-modality',
  pet: 'imaging-modality',
  angiography: 'imaging-modality',
  radiotherapy: 'medical-device',
  ophthalmic: 'imaging-modality',
  endoscopy: 'imaging-modality',
  'medical-gateway': 'medical-device',
  pacs: null,
  'hl7-interface-engine': null,
  workstation: null,
  server: null,
  printer: null,
  router: null,
  switch: null,
  'wireless-access-point': null,
  'ip-phone': null,
  'mobile-device': null,
};

/** OS families nested in a wider one. */
const OS_PARENTS: Readonly<Record<string, string>> = {
  Android: 'Linux',
  ChromeOS: 'Linux',
  // Apple's systems share one TCP/IP stack (XNU): a SYN can tell Darwin, not which of them.
  macOS: 'Darwin',
  iOS: 'Darwin',
  iPadOS: 'Darwin',
};

export function isCategory(value: string): boolean {
  return Object.hasOwn(CATEGORIES, value);
}

/** The wider value `value` belongs to for this attribute, or null. */
export function parentOf(attribute: Attribute, value: string): string | null {
  if (attribute === 'category') return Object.hasOwn(CATEGORIES, value) ? (CATEGORIES[value] ?? null) : null;
  if (attribute === 'os') return Object.hasOwn(OS_PARENTS, value) ? (OS_PARENTS[value] ?? null) : null;
  return null;
}

/** Whether `inner` is `outer` or nested (at any depth) within it. */
export function isWithin(attribute: Attribute, inner: string, outer: string): boolean {
  let at: string | null = inner;
  for (let depth = 0; at !== null && depth < 16; depth++) {
    if (at === outer) return true;
    at = parentOf(attribute, at);
  }
  return false;
}
