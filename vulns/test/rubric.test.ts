/** The medical-device rubric's answers to vectors, on worked examples, and its answers checked as they arrive. */
import { describe, it, expect } from 'vitest';
import { VulnError } from '../src/errors.js';
import { scoreVector } from '../src/cvss/score.js';
import { rubricVector, rubricVectorV4, validateRubricAnswers, type ClassImpact, type RubricAnswers } from '../src/cvss/rubric.js';

const NONE: ClassImpact = { confidentiality: 'None', integrity: 'None', availability: 'None' };

/** A device with nothing affected, reachable over IP, exploitable at will by anyone. */
function answers(change: Partial<RubricAnswers> = {}, impact: Partial<RubricAnswers['impact']> = {}): RubricAnswers {
  return {
    attackVector: { throughCommunication: true, layer3or4: true },
    complexity: { atWill: true },
    privileges: { multiUser: false },
    userInteraction: { userAction: false },
    scope: { crossesComponent: false },
    ...change,
    impact: {
      phi: { disclosure: 'no', integrity: 'None', availability: 'None' },
      diagnosis: NONE, therapy: NONE, workflow: NONE, secrets: NONE, otherCritical: NONE,
      ...impact,
    },
  };
}

function because(result: { derivation: { metric: string; because: string }[] }, metric: string): string {
  return result.derivation.find((step) => step.metric === metric)?.because ?? '';
}

function rubricProblem(input: unknown): string {
  try {
    validateRubricAnswers(input);
  } catch (error) {
    if (error instanceof VulnError && error.code === 'VULN_ERR_RUBRIC') return error.message;
    throw error;
  }
  throw new Error('the answers were accepted');
}

describe('worked example: an infusion pump whose dose can be changed over the network without authentication', () => {
  const pump = answers(
    { privileges: { multiUser: true, authorised: false } },
    { therapy: { confidentiality: 'None', integrity: 'High', availability: 'High' } },
  );

  it('gives AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H, 9.1 Critical, with the reason for each value', () => {
    const result = rubricVector(pump);
    expect(result.vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H');
    expect([result.score.baseScore, result.score.severity]).toEqual([9.1, 'Critical']);
    expect(result.derivation.map((step) => `${step.metric}:${step.value}`)).toEqual(['AV:N', 'AC:L', 'PR:N', 'UI:N', 'S:U', 'C:N', 'I:H', 'A:H']);
    expect(because(result, 'AV')).toBe('exploitable through a network protocol at layer 3/4 (IP, TCP or UDP)');
    expect(because(result, 'PR')).toBe('the attacker needs no authorisation on the device');
    expect(because(result, 'I')).toBe('highest across the six classes: therapy delivery High');
    expect(because(result, 'C')).toBe('no class of data or function loses confidentiality');
  });

  it('on CVSS 4.0 carries patient harm as MSI:S, MSA:S and S:P, which raise the score', () => {
    const result = rubricVectorV4({ ...pump, patientHarm: 'yes' });
    expect(result.vector).toBe('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S/MSA:S/S:P');
    expect(result.score.overallScore).toBeGreaterThan(result.score.baseScore);
    expect(because(result, 'MSI')).toBe('patient harm is possible and therapy delivery or diagnosis loses integrity');
  });

  it('on CVSS 4.0 without patient harm sets no Safety values and S:N', () => {
    const result = rubricVectorV4({ ...pump, patientHarm: 'no' });
    expect(result.vector).toBe('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:N/SI:N/SA:N/S:N');
    expect(result.score.overallScore).toBe(result.score.baseScore);
  });

  it('takes unknown patient harm as possible', () => {
    expect(rubricVectorV4({ ...pump, patientHarm: 'unknown' }).vector).toContain('/MSI:S/MSA:S/S:P');
  });

  it('needs the patient-harm answer for CVSS 4.0', () => {
    expect(() => rubricVectorV4(pump)).toThrow('patientHarm is not answered (needed for CVSS 4.0)');
  });
});

describe('worked example: a Bluetooth flaw in a glucose monitor', () => {
  const monitor = { diagnosis: { confidentiality: 'Low', integrity: 'High', availability: 'None' } as ClassImpact };

  it('gives AV:L for a short-range wireless link (about 10 feet or less)', () => {
    const result = rubricVector(answers({ attackVector: { throughCommunication: true, layer3or4: false, wireless: true, shortRange: true } }, monitor));
    expect(result.vector).toBe('CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:L/I:H/A:N');
    // 8.22 × 0.55 × 0.77 × 0.85 × 0.85 = 2.52; 6.42 × (1 − 0.78 × 0.44) = 4.22; roundup(6.73) = 6.8
    expect(result.score.baseScore).toBe(6.8);
  });

  it('gives AV:A for a longer-range wireless link, and for a wired link that is not IP', () => {
    expect(rubricVector(answers({ attackVector: { throughCommunication: true, layer3or4: false, wireless: true, shortRange: false } }, monitor)).vector)
      .toBe('CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:L/I:H/A:N');
    expect(rubricVector(answers({ attackVector: { throughCommunication: true, layer3or4: false, wireless: false } }, monitor)).vector)
      .toContain('/AV:A/');
  });

  it('on CVSS 4.0 marks integrity of diagnosis as a safety matter', () => {
    const result = rubricVectorV4({ ...answers({ attackVector: { throughCommunication: true, layer3or4: false, wireless: true, shortRange: true } }, monitor), patientHarm: 'yes' });
    expect(result.vector).toBe('CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:N/SC:N/SI:N/SA:N/MSI:S/S:P');
  });
});

describe('worked example: disclosure of patients\' health information', () => {
  const disclosure = (patientRecords: number | 'unknown'): string =>
    rubricVector(answers({}, { phi: { disclosure: 'yes', patientRecords, integrity: 'None', availability: 'None' } })).vector;

  it('is Low below 500 patients\' records and High from 500', () => {
    expect(disclosure(120)).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N');
    expect(disclosure(499)).toContain('/C:L/');
    expect(disclosure(500)).toContain('/C:H/');
    expect(disclosure(12000)).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N');
  });

  it('gives the scores of the two cases and says why', () => {
    const few = rubricVector(answers({}, { phi: { disclosure: 'yes', patientRecords: 120, integrity: 'None', availability: 'None' } }));
    const many = rubricVector(answers({}, { phi: { disclosure: 'yes', patientRecords: 700, integrity: 'None', availability: 'None' } }));
    expect([few.score.baseScore, many.score.baseScore]).toEqual([5.3, 7.5]);
    expect(because(few, 'C')).toBe("highest across the six classes: PHI/PII Low (120 patients' records, fewer than 500)");
    expect(because(many, 'C')).toBe("highest across the six classes: PHI/PII High (700 patients' records, 500 or more)");
  });

  it('takes an unknown number of records, or an unknown disclosure, as High', () => {
    expect(disclosure('unknown')).toContain('/C:H/');
    expect(rubricVector(answers({}, { phi: { disclosure: 'unknown', integrity: 'None', availability: 'None' } })).vector).toContain('/C:H/');
  });
});

describe('the rubric rules', () => {
  it('chooses Physical where the attacker must touch the device, else Local, with no communication path', () => {
    expect(rubricVector(answers({ attackVector: { throughCommunication: false, physicalTouch: true } })).vector).toContain('/AV:P/');
    expect(rubricVector(answers({ attackVector: { throughCommunication: false, physicalTouch: false } })).vector).toContain('/AV:L/');
  });

  it('chooses AC, PR, UI and S from their questions', () => {
    const vector = (change: Partial<RubricAnswers>): string => rubricVector(answers(change)).vector;
    expect(vector({ complexity: { atWill: false } })).toContain('/AC:H/');
    expect(vector({ privileges: { multiUser: true, authorised: true, admin: true } })).toContain('/PR:H/');
    expect(vector({ privileges: { multiUser: true, authorised: true, admin: false } })).toContain('/PR:L/');
    expect(vector({ userInteraction: { userAction: true } })).toContain('/UI:R/');
    expect(vector({ scope: { crossesComponent: true } })).toContain('/S:C/');
  });

  it('takes the highest answer across classes and an Unknown answer as High', () => {
    const result = rubricVector(answers({}, {
      workflow: { confidentiality: 'Low', integrity: 'Low', availability: 'Unknown' },
      secrets: { confidentiality: 'High', integrity: 'None', availability: 'Low' },
    }));
    expect(result.vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:H');
    expect(because(result, 'C')).toBe('highest across the six classes: system secrets High; clinical workflow Low');
    expect(because(result, 'A')).toBe('highest across the six classes: clinical workflow unknown, taken as High; system secrets Low');
  });

  it('on CVSS 4.0 carries special conditions to AT, user action to UI:P and a changed scope to the subsequent system', () => {
    const result = rubricVectorV4({
      ...answers({ complexity: { atWill: false }, userInteraction: { userAction: true }, scope: { crossesComponent: true } },
        { workflow: { confidentiality: 'High', integrity: 'Low', availability: 'None' } }),
      patientHarm: 'yes',
    });
    expect(result.vector).toBe('CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:L/SA:N/S:N');
    expect(because(result, 'S')).toBe('patient harm is possible, but neither therapy delivery nor diagnosis loses integrity or availability');
  });

  it('loses nothing by carrying special conditions to AT: CVSS 4.0 scores AC:H/AT:N and AC:L/AT:P alike', () => {
    for (const rest of ['PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'PR:L/UI:P/VC:L/VI:N/VA:H/SC:L/SI:L/SA:N/MSI:S']) {
      const high = scoreVector(`CVSS:4.0/AV:N/AC:H/AT:N/${rest}`);
      const present = scoreVector(`CVSS:4.0/AV:N/AC:L/AT:P/${rest}`);
      expect([present.baseScore, present.overallScore]).toEqual([high.baseScore, high.overallScore]);
    }
  });
});

describe('validateRubricAnswers', () => {
  it('gives back complete answers, dropping follow-ups the branch taken does not ask', () => {
    const sent = { ...answers(), attackVector: { throughCommunication: true, layer3or4: true, wireless: false, physicalTouch: true } };
    expect(validateRubricAnswers(JSON.parse(JSON.stringify(sent)))).toEqual(answers());
  });

  it('names unanswered questions, and why a follow-up is asked', () => {
    const sent = { ...answers(), attackVector: { throughCommunication: true }, complexity: {} };
    expect(rubricProblem(sent)).toBe('The rubric answers are incomplete or not ones the rubric offers: '
      + 'attackVector.layer3or4 is not answered (asked because attackVector.throughCommunication is true); complexity.atWill is not answered');
    const phi = answers({}, { phi: { disclosure: 'yes', integrity: 'None', availability: 'None' } });
    expect(rubricProblem(phi)).toContain('impact.phi.patientRecords is not answered (asked because impact.phi.disclosure is yes)');
    const { scope: _scope, ...noScope } = answers();
    expect(rubricProblem(noScope)).toContain('scope is not answered');
  });

  it('names answers the rubric does not offer and questions it does not ask', () => {
    const sent = {
      ...answers(),
      attackVector: { throughCommunication: 'yes' },
      impact: { ...answers().impact, therapy: { confidentiality: 'None', integrity: 'Medium', availability: 'None' } },
      patientHarm: 'maybe',
      dosage: 3,
    };
    expect(rubricProblem(sent).split(': ').slice(1).join(': ').split('; ')).toEqual([
      'dosage is not a question of the rubric',
      'attackVector.throughCommunication must be true or false, not "yes"',
      'impact.therapy.integrity: "Medium" is not an answer (None, Low, High, Unknown)',
      'patientHarm: "maybe" is not an answer (yes, no, unknown)',
    ]);
  });

  it('refuses a record count that is not a whole number from 1', () => {
    for (const patientRecords of [0, 2.5, -3, '700']) {
      const sent = answers({}, { phi: { disclosure: 'yes', patientRecords: patientRecords as number, integrity: 'None', availability: 'None' } });
      expect(rubricProblem(sent)).toContain('impact.phi.patientRecords must be a whole number of at least 1 or "unknown"');
    }
  });

  it('refuses what is not an object of answers', () => {
    expect(rubricProblem(null)).toContain('the answers must be an object of answers, not null');
    expect(rubricProblem({ ...answers(), impact: [] })).toContain('impact must be an object of answers, not []');
  });

  it('is applied by rubricVector to answers typed but incomplete', () => {
    const incomplete = answers({ privileges: { multiUser: true } });
    expect(() => rubricVector(incomplete)).toThrow('privileges.authorised is not answered (asked because privileges.multiUser is true)');
  });
});
