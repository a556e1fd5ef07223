/**
 * What it costs if a device is compromised: from its clinical function (life-sustaining, therapy,
 * diagnosis, patient data) and the criticality the hospital's asset register gives it. The higher
 * of the two wins: the register knows the ward, the category knows the kind of device.
 */

export type ClinicalFunction = 'life-sustaining' | 'therapy' | 'diagnosis' | 'phi' | 'support';
export type ImpactLevel = 'Low' | 'Medium' | 'High' | 'Critical';

export interface Impact {
  level: ImpactLevel;
  function: ClinicalFunction;
  /** The asset register's criticality, where the device is linked to an asset. */
  criticality: string | null;
  because: string[];
}

const FUNCTION_OF: Record<string, ClinicalFunction> = {
  ventilator: 'life-sustaining',
  'anaesthesia-machine': 'life-sustaining',
  defibrillator: 'life-sustaining',
  'infusion-pump': 'therapy',
  radiotherapy: 'therapy',
  'patient-monitor': 'diagnosis',
  'central-station': 'diagnosis',
  'ecg-cardiograph': 'diagnosis',
  'lab-analyser': 'diagnosis',
  'imaging-modality': 'diagnosis',
  ct: 'diagnosis',
  mri: 'diagnosis',
  'x-ray': 'diagnosis',
  mammography: 'diagnosis',
  ultrasound: 'diagnosis',
  'nuclear-medicine': 'diagnosis',
  pet: 'diagnosis',
  angiography: 'diagnosis',
  ophthalmic: 'diagnosis',
  endoscopy: 'diagnosis',
  'medical-gateway': 'therapy',
  pacs: 'phi',
  'hl7-interface-engine': 'phi',
};

const LEVEL_OF_FUNCTION: Record<ClinicalFunction, ImpactLevel> = {
  'life-sustaining': 'Critical',
  therapy: 'High',
  diagnosis: 'High',
  phi: 'Medium',
  support: 'Low',
};

const LEVEL_OF_CRITICALITY: Record<string, ImpactLevel> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };
const RANK: Record<ImpactLevel, number> = { Low: 0, Medium: 1, High: 2, Critical: 3 };

/** Weight of each level in the risk score (0–1). */
export const IMPACT_WEIGHT: Record<ImpactLevel, number> = { Low: 0.4, Medium: 0.6, High: 0.85, Critical: 1 };

export function clinicalFunction(category: string | null): ClinicalFunction {
  return (category && FUNCTION_OF[category]) || 'support';
}

/** The device's impact from its category and its asset criticality (`critical | high | medium | low`). */
export function impactOf(category: string | null, criticality: string | null): Impact {
  const fn = clinicalFunction(category);
  const byFunction = LEVEL_OF_FUNCTION[fn];
  const because = [category ? `${category}: ${fn === 'support' ? 'no clinical function' : `${fn} function`} → ${byFunction}` : `kind of device unknown → ${byFunction}`];
  const byRegister = criticality ? LEVEL_OF_CRITICALITY[criticality] : undefined;
  if (byRegister) because.push(`asset register criticality ${criticality} → ${byRegister}`);
  const level = byRegister && RANK[byRegister] > RANK[byFunction] ? byRegister : byFunction;
  return { level, function: fn, criticality, because };
}
