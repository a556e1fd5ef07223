/**
 * The MITRE "Rubric for Applying CVSS to Medical Devices" (FDA-qualified tool, 2020) as a recorded
 * set of answers: the rubric does not change the CVSS formula, its questions choose the CVSS 3.x
 * Base metric values for a medical device. The answers are stored with the vector they produce and
 * with the reason for every value, so an analyst can see and revisit each choice.
 *
 * The rules follow Wardsight's risk notes on the rubric. Two Attack Vector branches could not be
 * read in the rubric itself and are marked "unverified" where they are applied, as is the whole
 * mapping onto CVSS 4.0 (the rubric was written for CVSS 3.x).
 */
import { VulnError } from '../errors.js';
import { scoreVector, type CvssScore } from './score.js';
import { canonicalVector } from './vector.js';

/** How much one class of data or function loses; Unknown counts as the worse value, High. */
export type ImpactAnswer = 'None' | 'Low' | 'High' | 'Unknown';
/** A yes/no question where not knowing is an answer too; unknown counts as the worse case. */
export type YesNoUnknown = 'yes' | 'no' | 'unknown';

/** Attack Vector. Follow-up questions are asked only on the branch the previous answer opens. */
export interface AttackVectorAnswers {
  /** Can the vulnerability be exploited through a network or a communication protocol? */
  throughCommunication: boolean;
  /** (when it can) Through layer 3 or 4 — IP, TCP, UDP? */
  layer3or4?: boolean;
  /** (when not at layer 3/4) Over a wireless link? */
  wireless?: boolean;
  /** (when wireless) Is the link's range short, about 10 feet (3 m) or less? */
  shortRange?: boolean;
  /** (when there is no communication path) Must the attacker physically touch the device? */
  physicalTouch?: boolean;
}

/** Privileges Required. */
export interface PrivilegeAnswers {
  /** Does the device have a multi-user or role model? */
  multiUser: boolean;
  /** (when it has) Must the attacker be authorised — hold an account or a role? */
  authorised?: boolean;
  /** (when authorised) Must that account hold administrator or system-level privileges? */
  admin?: boolean;
}

/** What one class of data or function loses in confidentiality, integrity and availability. */
export interface ClassImpact {
  confidentiality: ImpactAnswer;
  integrity: ImpactAnswer;
  availability: ImpactAnswer;
}

/** PHI/PII: confidentiality is decided by how many patients' records are exposed. */
export interface PhiImpact {
  /** Can the attacker read patients' health or personal information? */
  disclosure: YesNoUnknown;
  /** (when yes) How many patients' records are exposed: 500 or more is High, fewer Low. */
  patientRecords?: number | 'unknown';
  integrity: ImpactAnswer;
  availability: ImpactAnswer;
}

/** The rubric's six classes of data and function, asked for C, I and A each. */
export interface ImpactAnswers {
  phi: PhiImpact;
  diagnosis: ClassImpact;
  therapy: ClassImpact;
  workflow: ClassImpact;
  /** Private system or user data: passwords, private keys. */
  secrets: ClassImpact;
  otherCritical: ClassImpact;
}

/** A complete set of answers to the rubric for one vulnerability of one device. */
export interface RubricAnswers {
  attackVector: AttackVectorAnswers;
  /** Can the attacker exploit it at will, with no special conditions? */
  complexity: { atWill: boolean };
  privileges: PrivilegeAnswers;
  /** Does exploitation need an action by a user other than the attacker? */
  userInteraction: { userAction: boolean };
  /** Does the exploit reach beyond the vulnerable component into another one? */
  scope: { crossesComponent: boolean };
  impact: ImpactAnswers;
  /** (CVSS 4.0) Could a loss of therapy delivery or of diagnosis and monitoring harm a patient? */
  patientHarm?: YesNoUnknown;
}

/** One metric value and the answers that chose it. */
export interface RubricStep {
  metric: string;
  value: string;
  because: string;
}

/** The vector the answers produce, its score, and the reason for every value. */
export interface RubricResult {
  vector: string;
  score: CvssScore;
  derivation: RubricStep[];
}

const CLASS_NAMES: Readonly<Record<keyof ImpactAnswers, string>> = {
  phi: 'PHI/PII', diagnosis: 'diagnosis and monitoring', therapy: 'therapy delivery',
  workflow: 'clinical workflow', secrets: 'system secrets', otherCritical: 'other critical data',
};
const CLASSES = Object.keys(CLASS_NAMES) as (keyof ImpactAnswers)[];
const IMPACT_ANSWERS: readonly ImpactAnswer[] = ['None', 'Low', 'High', 'Unknown'];
const YES_NO_UNKNOWN: readonly YesNoUnknown[] = ['yes', 'no', 'unknown'];
/** PHI confidentiality is High from this many patients' records: the breach-notification scale. */
export const PHI_HIGH_RECORDS = 500;

type Level = 'N' | 'L' | 'H';
const RANK: Readonly<Record<Level, number>> = { N: 0, L: 1, H: 2 };

function attackVectorStep(a: AttackVectorAnswers): RubricStep {
  const step = (value: string, because: string): RubricStep => ({ metric: 'AV', value, because });
  if (a.throughCommunication) {
    if (a.layer3or4 === true) return step('N', 'exploitable through a network protocol at layer 3/4 (IP, TCP or UDP)');
    // Unverified branch: short-range wireless → Local, as the risk notes give it.
    if (a.wireless === true) {
      return a.shortRange === true
        ? step('L', 'exploitable only over a short-range wireless link (about 10 feet or less)')
        : step('A', 'exploitable over a wireless link of more than short range, not at layer 3/4');
    }
    // Unverified branch: a wired link that is not IP → Adjacent.
    return step('A', 'exploitable over a wired communication link that is not IP, TCP or UDP');
  }
  return a.physicalTouch === true
    ? step('P', 'no communication path: the attacker must physically touch the device')
    : step('L', 'no communication path, and no physical touch of the device is needed');
}

function privilegeStep(p: PrivilegeAnswers): RubricStep {
  const step = (value: string, because: string): RubricStep => ({ metric: 'PR', value, because });
  if (!p.multiUser) return step('N', 'the device has no multi-user or role model');
  if (p.authorised !== true) return step('N', 'the attacker needs no authorisation on the device');
  return p.admin === true
    ? step('H', 'the attacker must hold administrator or system-level privileges')
    : step('L', "the attacker needs an ordinary user's authorisation");
}

function answerLevel(answer: ImpactAnswer): { level: Level; said: string } {
  return answer === 'Unknown' ? { level: 'H', said: 'unknown, taken as High' } : { level: answer === 'None' ? 'N' : answer === 'Low' ? 'L' : 'H', said: answer };
}

function phiConfidentiality(phi: PhiImpact): { level: Level; said: string } {
  if (phi.disclosure === 'no') return { level: 'N', said: 'None' };
  if (phi.disclosure === 'unknown') return { level: 'H', said: 'disclosure unknown, taken as High' };
  const records = phi.patientRecords;
  if (records === undefined || records === 'unknown') return { level: 'H', said: 'number of records unknown, taken as High' };
  return records >= PHI_HIGH_RECORDS
    ? { level: 'H', said: `High (${records} patients' records, ${PHI_HIGH_RECORDS} or more)` }
    : { level: 'L', said: `Low (${records} patients' records, fewer than ${PHI_HIGH_RECORDS})` };
}

/** C, I or A: the highest level across the six classes, with each class that contributes named. */
function impactStep(metric: 'C' | 'I' | 'A', impact: ImpactAnswers): RubricStep {
  const key = metric === 'C' ? 'confidentiality' : metric === 'I' ? 'integrity' : 'availability';
  const levels = CLASSES.map((name) => {
    if (name !== 'phi') return { name, ...answerLevel(impact[name][key]) };
    return { name, ...(key === 'confidentiality' ? phiConfidentiality(impact.phi) : answerLevel(impact.phi[key])) };
  });
  const top = levels.reduce((best, entry) => (RANK[entry.level] > RANK[best.level] ? entry : best));
  const affected = levels.filter((entry) => entry.level !== 'N').sort((x, y) => RANK[y.level] - RANK[x.level]);
  const because = affected.length === 0
    ? `no class of data or function loses ${key}`
    : `highest across the six classes: ${affected.map((entry) => `${CLASS_NAMES[entry.name]} ${entry.said}`).join('; ')}`;
  return { metric, value: top.level, because };
}

/** The CVSS 3.1 Base metric values the answers choose, each with its reason. */
function baseSteps(answers: RubricAnswers): RubricStep[] {
  const { complexity, userInteraction, scope, impact } = answers;
  return [
    attackVectorStep(answers.attackVector),
    complexity.atWill
      ? { metric: 'AC', value: 'L', because: 'exploitable at will, with no special conditions' }
      : { metric: 'AC', value: 'H', because: 'exploitable only under special conditions' },
    privilegeStep(answers.privileges),
    userInteraction.userAction
      ? { metric: 'UI', value: 'R', because: 'exploitation needs an action by a user' }
      : { metric: 'UI', value: 'N', because: 'exploitation needs no user action' },
    scope.crossesComponent
      ? { metric: 'S', value: 'C', because: 'the exploit reaches into another component' }
      : { metric: 'S', value: 'U', because: 'the exploit stays within the vulnerable component' },
    impactStep('C', impact), impactStep('I', impact), impactStep('A', impact),
  ];
}

function stepOf(steps: readonly RubricStep[], metric: string): RubricStep {
  const found = steps.find((step) => step.metric === metric);
  if (found === undefined) throw new Error(`the rubric derived no value for ${metric}`);
  return found;
}
const valueOf = (steps: readonly RubricStep[], metric: string): string => stepOf(steps, metric).value;

function resultOf(version: '3.1' | '4.0', steps: RubricStep[]): RubricResult {
  const vector = canonicalVector(version, Object.fromEntries(steps.map((step) => [step.metric, step.value])));
  return { vector, score: scoreVector(vector), derivation: steps };
}

/**
 * The CVSS 3.1 vector the rubric's answers produce, its score and the reason for every metric.
 * Throws VulnError VULN_ERR_RUBRIC when the answers are incomplete or not ones the rubric offers.
 */
export function rubricVector(answers: RubricAnswers): RubricResult {
  return resultOf('3.1', baseSteps(validateRubricAnswers(answers)));
}

/**
 * The same answers on CVSS 4.0, with patient harm carried by the Safety values. Needs `patientHarm`.
 * Unverified mapping (the rubric is written for 3.x): AC:H becomes AC:L with AT:P (CVSS 4.0's EQ2
 * scores AC:H/AT:N and AC:L/AT:P alike); UI:R becomes UI:P, the worse of Passive and Active; a
 * changed scope repeats C/I/A on the subsequent system (SC/SI/SA), an unchanged one gives N there.
 * Where harm is possible (or unknown), MSI:S follows when therapy delivery or diagnosis loses
 * integrity, MSA:S when either loses availability, and the supplemental Safety is S:P.
 */
export function rubricVectorV4(answers: RubricAnswers): RubricResult {
  const checked = validateRubricAnswers(answers);
  if (checked.patientHarm === undefined) throw new VulnError('VULN_ERR_RUBRIC', 'patientHarm is not answered (needed for CVSS 4.0)');
  const v3 = baseSteps(checked);
  const carried = (metric: string, from: string): RubricStep => ({ ...stepOf(v3, from), metric });
  const special = valueOf(v3, 'AC') === 'H';
  const changed = valueOf(v3, 'S') === 'C';
  const userAction = valueOf(v3, 'UI') === 'R';
  const steps: RubricStep[] = [
    carried('AV', 'AV'),
    { metric: 'AC', value: 'L', because: special ? 'the special conditions are carried by AT' : 'exploitable at will, with no special conditions' },
    { metric: 'AT', value: special ? 'P' : 'N', because: special ? 'exploitable only under special conditions' : 'no special conditions' },
    carried('PR', 'PR'),
    { metric: 'UI', value: userAction ? 'P' : 'N', because: userAction ? 'exploitation needs an action by a user (taken as Passive, the worse)' : 'exploitation needs no user action' },
    carried('VC', 'C'), carried('VI', 'I'), carried('VA', 'A'),
    ...(['C', 'I', 'A'] as const).map((m) => changed
      ? { metric: `S${m}`, value: valueOf(v3, m), because: `the exploit reaches into another component: ${m} carried to the subsequent system` }
      : { metric: `S${m}`, value: 'N', because: 'the exploit stays within the vulnerable component' }),
  ];
  const { therapy, diagnosis } = checked.impact;
  const harm = checked.patientHarm !== 'no';
  const harmSaid = checked.patientHarm === 'yes' ? 'patient harm is possible' : 'patient harm is unknown, taken as possible';
  const loses = (key: 'integrity' | 'availability'): boolean => therapy[key] !== 'None' || diagnosis[key] !== 'None';
  for (const [metric, key] of [['MSI', 'integrity'], ['MSA', 'availability']] as const) {
    if (harm && loses(key)) steps.push({ metric, value: 'S', because: `${harmSaid} and therapy delivery or diagnosis loses ${key}` });
  }
  const safety = steps.some((step) => step.metric === 'MSI' || step.metric === 'MSA');
  steps.push({
    metric: 'S',
    value: safety ? 'P' : 'N',
    because: safety ? 'a patient could be harmed' : harm ? `${harmSaid}, but neither therapy delivery nor diagnosis loses integrity or availability` : 'no patient harm is possible',
  });
  return resultOf('4.0', steps);
}

// ---------------------------------------------------------------------------------------------
// Answers arriving from outside (an API body): every problem is collected and named by its path.

const describe = (value: unknown): string => JSON.stringify(value) ?? String(value);
/** The answers given, without the follow-up questions left unasked. */
const given = (answers: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(answers).filter(([, value]) => value !== undefined));
const at = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** Reads untrusted answers, collecting each problem in words. */
class AnswerReader {
  readonly problems: string[] = [];

  /** The object of answers at `path`; any key that is not one of `questions` is a problem. */
  section(value: unknown, path: string, questions: readonly string[]): Record<string, unknown> {
    if (value === undefined) {
      this.problems.push(`${path} is not answered`);
      return {};
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problems.push(`${path === '' ? 'the answers' : path} must be an object of answers, not ${describe(value)}`);
      return {};
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) if (!questions.includes(key)) this.problems.push(`${at(path, key)} is not a question of the rubric`);
    return record;
  }

  /**
   * A yes/no answer. A follow-up question not `asked` on the branch taken is not needed (and is
   * dropped), but must still be true or false where given; `because` says why one is asked.
   */
  flag(section: Record<string, unknown>, path: string, key: string, asked = true, because?: string): boolean | undefined {
    const value = section[key];
    if (value === undefined) {
      if (asked) this.problems.push(`${at(path, key)} is not answered${because === undefined ? '' : ` (asked because ${because})`}`);
      return undefined;
    }
    if (typeof value !== 'boolean') {
      this.problems.push(`${at(path, key)} must be true or false, not ${describe(value)}`);
      return undefined;
    }
    return asked ? value : undefined;
  }

  /** One of the rubric's named answers. */
  choice<T extends string>(section: Record<string, unknown>, path: string, key: string, choices: readonly T[]): T | undefined {
    const value = section[key];
    if (value === undefined) this.problems.push(`${at(path, key)} is not answered`);
    else if (!choices.includes(value as T)) this.problems.push(`${at(path, key)}: ${describe(value)} is not an answer (${choices.join(', ')})`);
    else return value as T;
    return undefined;
  }

  /** The number of patients' records exposed: a whole number from 1, or "unknown"; asked when PHI can be read. */
  records(section: Record<string, unknown>, path: string, asked: boolean): number | 'unknown' | undefined {
    const value = section.patientRecords;
    const readable = value === 'unknown' || (typeof value === 'number' && Number.isInteger(value) && value >= 1);
    if (value === undefined) {
      if (asked) this.problems.push(`${at(path, 'patientRecords')} is not answered (asked because ${at(path, 'disclosure')} is yes)`);
    } else if (!readable) {
      this.problems.push(`${at(path, 'patientRecords')} must be a whole number of at least 1 or "unknown", not ${describe(value)}`);
    } else if (asked) {
      return value;
    }
    return undefined;
  }
}

const CIA_KEYS = ['confidentiality', 'integrity', 'availability'] as const;

function readClass(reader: AnswerReader, value: unknown, path: string): Partial<ClassImpact> {
  const section = reader.section(value, path, CIA_KEYS);
  return Object.fromEntries(CIA_KEYS.map((key) => [key, reader.choice(section, path, key, IMPACT_ANSWERS)]));
}

function readImpact(reader: AnswerReader, value: unknown): Record<string, unknown> {
  const impact = reader.section(value, 'impact', CLASSES);
  const path = 'impact.phi';
  const phi = reader.section(impact.phi, path, ['disclosure', 'patientRecords', 'integrity', 'availability']);
  const disclosure = reader.choice(phi, path, 'disclosure', YES_NO_UNKNOWN);
  const patientRecords = reader.records(phi, path, disclosure === 'yes');
  const integrity = reader.choice(phi, path, 'integrity', IMPACT_ANSWERS);
  const availability = reader.choice(phi, path, 'availability', IMPACT_ANSWERS);
  const classes = CLASSES.filter((name) => name !== 'phi').map((name) => [name, readClass(reader, impact[name], `impact.${name}`)]);
  return { phi: given({ disclosure, patientRecords, integrity, availability }), ...Object.fromEntries(classes) };
}

/**
 * Checks answers that arrive from outside and gives them back as RubricAnswers, keeping only the
 * answers on the branches taken. Throws VulnError VULN_ERR_RUBRIC naming every problem — a
 * question not answered, an answer the rubric does not offer, a question it does not ask.
 */
export function validateRubricAnswers(input: unknown): RubricAnswers {
  const r = new AnswerReader();
  const top = r.section(input, '', ['attackVector', 'complexity', 'privileges', 'userInteraction', 'scope', 'impact', 'patientHarm']);
  const av = r.section(top.attackVector, 'attackVector', ['throughCommunication', 'layer3or4', 'wireless', 'shortRange', 'physicalTouch']);
  const through = r.flag(av, 'attackVector', 'throughCommunication');
  const layer3or4 = r.flag(av, 'attackVector', 'layer3or4', through === true, 'attackVector.throughCommunication is true');
  const wireless = r.flag(av, 'attackVector', 'wireless', layer3or4 === false, 'attackVector.layer3or4 is false');
  const shortRange = r.flag(av, 'attackVector', 'shortRange', wireless === true, 'attackVector.wireless is true');
  const physicalTouch = r.flag(av, 'attackVector', 'physicalTouch', through === false, 'attackVector.throughCommunication is false');
  const pr = r.section(top.privileges, 'privileges', ['multiUser', 'authorised', 'admin']);
  const multiUser = r.flag(pr, 'privileges', 'multiUser');
  const authorised = r.flag(pr, 'privileges', 'authorised', multiUser === true, 'privileges.multiUser is true');
  const admin = r.flag(pr, 'privileges', 'admin', authorised === true, 'privileges.authorised is true');
  const single = (name: string, question: string): Record<string, unknown> => ({ [question]: r.flag(r.section(top[name], name, [question]), name, question) });
  const answers = {
    attackVector: given({ throughCommunication: through, layer3or4, wireless, shortRange, physicalTouch }),
    complexity: single('complexity', 'atWill'),
    privileges: given({ multiUser, authorised, admin }),
    userInteraction: single('userInteraction', 'userAction'),
    scope: single('scope', 'crossesComponent'),
    impact: readImpact(r, top.impact),
    ...(top.patientHarm === undefined ? {} : { patientHarm: r.choice(top, '', 'patientHarm', YES_NO_UNKNOWN) }),
  };
  if (r.problems.length > 0) throw new VulnError('VULN_ERR_RUBRIC', r.problems.join('; '));
  return answers as unknown as RubricAnswers;
}
