/** The likelihood rules, one by one, with the reasons they give. */
import { describe, it, expect } from 'vitest';
import { likelihood, type LikelihoodInput } from '../src/risk/likelihood.js';

const reachable: LikelihoodInput = { attackVector: 'network', exposure: 'reachable', kev: false };

describe('likelihood', () => {
  it('is High for a flaw in the KEV catalog, whatever the path', () => {
    const result = likelihood({ attackVector: 'physical', exposure: 'no-path', kev: true });
    expect(result.level).toBe('High');
    expect(result.because).toEqual([
      'listed in the CISA Known Exploited Vulnerabilities catalog: exploited in the wild',
      'the attack vector is physical: the network gives no path to the flaw',
    ]);
  });

  it('is High where exploit maturity says attacks are reported', () => {
    const result = likelihood({ ...reachable, exposure: 'segment-only', exploitMaturity: 'attacked' });
    expect(result.level).toBe('High');
    expect(result.because[0]).toBe('exploit maturity is "attacked": attacks have been reported');
  });

  it('is High for a network-vector flaw on a service reachable from the internet', () => {
    expect(likelihood({ ...reachable, exposure: 'internet' })).toEqual({
      level: 'High',
      because: ['the attack vector is network and the affected service is reachable from the internet: anyone on the internet can attempt it'],
    });
  });

  it('is only Medium for an adjacent-vector flaw on an internet-exposed device: the attacker must share its segment', () => {
    expect(likelihood({ attackVector: 'adjacent', exposure: 'internet', kev: false }).level).toBe('Medium');
  });

  it('is High with EPSS of 0.1 or more and a path, Medium below it', () => {
    const likely = likelihood({ ...reachable, epss: 0.1 });
    expect(likely.level).toBe('High');
    expect(likely.because).toContain('EPSS 0.1 is at or above 0.1, and there is a network path');
    const unlikely = likelihood({ ...reachable, epss: 0.0999 });
    expect(unlikely.level).toBe('Medium');
    expect(unlikely.because).toContain('EPSS 0.0999 is below 0.1');
  });

  it('is Medium for a network path to the affected service, the segment only included', () => {
    for (const exposure of ['reachable', 'segment-only'] as const) {
      const result = likelihood({ ...reachable, exposure });
      expect(result.level).toBe('Medium');
      expect(result.because[0]).toMatch(/: there is a network path to the flaw$/);
    }
  });

  it('takes an unknown exposure as a path, and says so', () => {
    expect(likelihood({ ...reachable, exposure: 'unknown' })).toEqual({
      level: 'Medium',
      because: ["the attack vector is network and the device's exposure is unknown, taken as reachable (the worse value): there is a network path to the flaw"],
    });
  });

  it('is Low with no path: a physical or local vector, or a service never reachable', () => {
    expect(likelihood({ attackVector: 'local', exposure: 'internet', kev: false })).toEqual({
      level: 'Low', because: ['the attack vector is local: the network gives no path to the flaw'],
    });
    expect(likelihood({ ...reachable, exposure: 'no-path' })).toEqual({
      level: 'Low', because: ['the attack vector is network and the affected service is never reachable over the network'],
    });
  });

  it('keeps a high EPSS without a path at Low, and says why', () => {
    const result = likelihood({ attackVector: 'physical', exposure: 'reachable', kev: false, epss: 0.6 });
    expect(result.level).toBe('Low');
    expect(result.because).toContain('EPSS 0.6 is at or above 0.1, but there is no network path');
  });

  it('states every reason that applies, exploit maturity included', () => {
    const result = likelihood({ attackVector: 'network', exposure: 'internet', kev: true, epss: 0.42, exploitMaturity: 'proof-of-concept' });
    expect(result.level).toBe('High');
    expect(result.because).toHaveLength(4);
    expect(result.because.at(-1)).toBe('a proof-of-concept exploit is public');
    expect(likelihood({ ...reachable, exploitMaturity: 'unreported' }).because).toContain('no exploit has been reported');
  });

  it('refuses an EPSS that is not a probability', () => {
    for (const epss of [-0.1, 1.5, Number.NaN]) expect(() => likelihood({ ...reachable, epss })).toThrow(RangeError);
  });
});
