/**
 * Maker and product name folding, and holding devices against product statements, on names and
 * versions as the CISA ICS medical advisories publish them (advisory named beside each).
 */
import { describe, it, expect } from 'vitest';
import type { DeviceDescription, ProductStatement, VulnerabilityRecord } from '../src/model.js';
import { productMatches, repairEncoding, sameVendor, vendorKeys } from '../src/names.js';
import { matchStatement, matchVulnerability } from '../src/match/product.js';
import { parseConstraint } from '../src/version/constraint.js';

function device(vendor: string, model: string, version?: string): DeviceDescription {
  return { vendor, model, version, cpes: [], software: [] };
}

function statement(vendor: string, product: string, versions: string, status: ProductStatement['status'] = 'affected'): ProductStatement {
  return { vendor, product, versions: parseConstraint(versions), status };
}

function vulnerability(id: string, products: ProductStatement[]): VulnerabilityRecord {
  return {
    id, cwes: [], cvss: [], products, configurations: [], remediations: [], advisories: ['ICSMA-00-000-00'], references: [],
    source: { feed: 'csaf', file: 'fixture.json', document: 'ICSMA-00-000-00' },
  };
}

describe('maker names', () => {
  it('takes the spellings of one maker for the same maker', () => {
    expect(sameVendor('Becton, Dickinson and Company (BD)', 'BD')).toBe(true);
    expect(sameVendor('GE Healthcare', 'General Electric (GE)')).toBe(true);
    expect(sameVendor('GE HealthCare', 'GE Healthcare')).toBe(true);
    expect(sameVendor('Philips', 'Philips Healthcare')).toBe(true);
    expect(sameVendor('Phillips', 'Philips')).toBe(true); // ICSMA-18-025-01 misspelling
    expect(sameVendor('Medtronic ', 'Medtronic')).toBe(true); // ICSMA-23-061-01 trailing space
    expect(sameVendor('Hillrom', 'Baxter')).toBe(true); // Hill-Rom is part of Baxter
    expect(sameVendor('B. Braun Melsungen AG', 'B. Braun Medical')).toBe(true);
    expect(sameVendor('Natus Medical, Inc. (Natus)', 'Natus')).toBe(true);
    expect(sameVendor('Siemens', 'Siemens Healthineers')).toBe(true); // ICSMA-17-215-01
    expect(sameVendor('Medtronic Diabetes', 'Medtronic')).toBe(true);
  });

  it('keeps different makers apart, module makers included', () => {
    expect(sameVendor('Philips', 'GE Healthcare')).toBe(false);
    expect(sameVendor('Qualcomm Life', 'Broadcom')).toBe(false);
    expect(sameVendor('Abbott', 'Baxter')).toBe(false);
    expect(sameVendor('Johnson & Johnson', 'Johnson Controls')).toBe(false);
    expect(sameVendor('Philips', 'Philips Lighting')).toBe(false); // Signify since 2018
  });

  it('splits joint makers and repairs mis-encoded names (ICSMA-18-128-01, ICSMA-21-007-01)', () => {
    expect(sameVendor('Silex Technology and GE Healthcare', 'GE Healthcare')).toBe(true);
    expect(sameVendor('Silex Technology and GE Healthcare', 'Silex Technology')).toBe(true);
    expect(sameVendor('ENEA, Green Hills Software, ITRON, IP Infusion, and Wind River', 'Wind River')).toBe(true);
    expect(repairEncoding('Innokas YhtymÃ¤ Oy')).toBe('Innokas Yhtymä Oy');
    expect(vendorKeys('Innokas YhtymÃ¤ Oy')).toEqual(vendorKeys('Innokas Yhtymä Oy'));
    expect(sameVendor('Innokas YhtymÃ¤ Oy', 'Innokas Yhtyma')).toBe(true);
  });
});

describe('productMatches', () => {
  it('matches the same name through case, punctuation, ™ and the maker repeated in front', () => {
    expect(productMatches('BD Pyxis™ ES', 'Pyxis ES', 'Becton, Dickinson and Company (BD)')?.kind).toBe('exact');
    expect(productMatches('pyxis es', 'BD Pyxis ES', 'BD')?.kind).toBe('exact');
    expect(productMatches('Welch Allyn Connex Spot Monitor', 'Connex Spot Monitor', 'Hillrom')?.kind).toBe('exact');
  });

  it('matches a parenthesised other name (ICSMA-20-049-01 `(XTR)`, ICSMA-21-152-01 `(Spot 4400)`)', () => {
    expect(productMatches('XTR', 'Xhibit Telemetry Receiver (XTR) Model number 96280')?.kind).toBe('alias');
    expect(productMatches('Spot 4400', 'Welch Allyn Spot Vital Signs 4400 Device (Spot 4400)')?.kind).toBe('alias');
  });

  it('matches a model named inside a longer product name (ICSMA-17-255-01, ICSMA-20-317-01)', () => {
    expect(productMatches('MX40', 'IntelliVue MX40 Patient Worn Monitor (WLAN only)')?.kind).toBe('model-in-product');
    expect(productMatches('Alaris 8015', 'Alaris PC Unit Model 8015')?.kind).toBe('model-in-product');
    expect(productMatches('IntelliVue X2', 'IntelliVue MP monitors MP2/X2 (M8102A/M3002A) WLAN')?.kind).toBe('model-in-product');
    expect(productMatches('IntelliVue MX40 Patient Worn Monitor WLAN', 'IntelliVue MX40')?.kind).toBe('product-in-model');
  });

  it('never matches a sibling model', () => {
    expect(productMatches('MX40', 'IntelliVue MX400')).toBeNull();
    expect(productMatches('MX40', 'IntelliVue Patient Monitors MX (MX400-550)')).toBeNull();
    expect(productMatches('Spot 4800', 'Welch Allyn Spot Vital Signs 4400 Device (Spot 4400)')).toBeNull();
    expect(productMatches('Discovery XR656', 'Discovery XR656 Plus')).toBeNull(); // ICSMA-20-343-01
    expect(productMatches('Discovery XR656+', 'Discovery XR656')).toBeNull(); // ICSMA-18-037-02
    expect(productMatches('BD Pyxis MedStation 4000', 'BD Pyxis MedStation 4000 T2')).toBeNull(); // ICSMA-18-114-01
    expect(productMatches('GEH-SD-320AN', 'SD-320AN')).toBeNull(); // ICSMA-18-128-01
    expect(productMatches('IntelliVue', 'IntelliVue MX40 Patient Worn Monitor')).toBeNull();
    expect(productMatches('Pyxis', 'Pyxis ES')).toBeNull();
  });

  it('reads a hyphenated code written without its hyphen', () => {
    expect(productMatches('SD320AN', 'SD-320AN')?.kind).toBe('exact');
    expect(productMatches('Battery pack SP with WiFi', 'Battery Pack SP with Wi-Fi')?.kind).toBe('exact'); // ICSMA-21-294-01
    expect(productMatches('Data module SD320AN', 'Data module SD-320AN Plus')).toBeNull();
    expect(productMatches('Discovery XR656+', 'Discovery XR656 Plus')?.kind).toBe('exact');
  });
});

describe('matchStatement', () => {
  const mx40 = statement('Philips', 'IntelliVue MX40 Patient Worn Monitor (WLAN only)', '< B.06.18');
  const context = { cve: 'CVE-2017-9657', advisory: 'ICSMA-17-255-01' };

  it('matches an affected version and says why in a sentence', () => {
    const reason = matchStatement(device('Philips Healthcare', 'IntelliVue MX40', 'B.06.17'), mx40, context);
    expect(reason).toMatchObject({ basis: 'csaf', verdict: 'affected', versions: '< B.06.18', deviceProduct: 'IntelliVue MX40', deviceVersion: 'B.06.17' });
    expect(reason?.text).toBe(
      'Philips Healthcare IntelliVue MX40 version B.06.17 is Philips IntelliVue MX40 Patient Worn Monitor (WLAN only), ' +
      'which CVE-2017-9657 affects in versions "< B.06.18" (ICSMA-17-255-01); B.06.17 lies in that range.',
    );
  });

  it('does not match a version outside, another maker or another model', () => {
    expect(matchStatement(device('Philips', 'IntelliVue MX40', 'B.06.18'), mx40, context)).toBeNull();
    expect(matchStatement(device('GE Healthcare', 'IntelliVue MX40', 'B.06.17'), mx40, context)).toBeNull();
    expect(matchStatement(device('Philips', 'IntelliVue MX400', 'B.06.17'), mx40, context)).toBeNull();
    expect(matchStatement({ ...device('', 'IntelliVue MX40', 'B.06.17'), vendor: undefined }, mx40, context)).toBeNull();
  });

  it('says when the version is unknown or cannot be compared', () => {
    expect(matchStatement(device('Philips', 'MX40'), mx40, context)?.verdict).toBe('version-unknown');
    const dated = statement('Abbott Laboratories', 'Accent MRI', '< august 28'); // ICSMA-17-241-01
    expect(matchStatement(device('Abbott', 'Accent MRI', '2.1'), dated, context)?.verdict).toBe('not-comparable');
    const series = statement('B. Braun Medical', 'SpaceCom', '<= L81'); // ICSMA-21-294-01
    expect(matchStatement(device('B. Braun', 'SpaceCom', 'U12'), series, context)?.verdict).toBe('not-comparable');
    expect(matchStatement(device('B. Braun', 'SpaceCom', 'L82'), series, context)).toBeNull();
  });

  it('matches every version for `vers:all/*`, and only affected statements', () => {
    const all = statement('Becton, Dickinson and Company (BD)', 'Alaris 8000 PC unit', 'vers:all/*'); // ICSMA-17-017-01
    expect(matchStatement(device('BD', 'Alaris 8000 PC unit', '9.1'), all, context)?.verdict).toBe('affected');
    expect(matchStatement(device('BD', 'Alaris 8000 PC unit'), all, context)?.verdict).toBe('affected');
    const fixed = statement('Philips', 'IntelliVue MX40', 'B.06.18', 'fixed');
    expect(matchStatement(device('Philips', 'IntelliVue MX40', 'B.06.18'), fixed, context)).toBeNull();
  });

  it('matches a piece of software the device runs', () => {
    const viewer = statement('MicroDicom', 'DICOM Viewer', '<2024.2'); // ICSMA-24-163-01
    const workstation: DeviceDescription = {
      vendor: 'Dell', model: 'OptiPlex 7080', cpes: [],
      software: [{ vendor: 'MicroDicom', product: 'MicroDicom DICOM Viewer', version: '2023.3', from: 'inventory' }],
    };
    expect(matchStatement(workstation, viewer, context)).toMatchObject({ verdict: 'affected', deviceProduct: 'MicroDicom DICOM Viewer', deviceVersion: '2023.3' });
  });
});

describe('matchVulnerability', () => {
  it('weighs fixed and not-affected statements against an affected one', () => {
    const vuln = vulnerability('CVE-2020-0001', [
      statement('Philips', 'IntelliBridge EC 40 Hub', '<= C.00.04'),
      statement('Philips', 'IntelliBridge EC 40 Hub', 'C.00.03', 'not_affected'),
      statement('Philips', 'IntelliBridge EC 40 Hub', 'C.00.05', 'fixed'),
    ]);
    expect(matchVulnerability(device('Philips', 'IntelliBridge EC 40 Hub', 'C.00.04'), vuln)).toMatchObject({ verdict: 'affected', basis: 'csaf' });
    expect(matchVulnerability(device('Philips', 'IntelliBridge EC 40 Hub', 'C.00.03'), vuln)).toBeNull();
    expect(matchVulnerability(device('Philips', 'IntelliBridge EC 40 Hub', 'C.00.05'), vuln)).toBeNull();
    expect(matchVulnerability(device('Philips', 'IntelliBridge EC 40 Hub'), vuln)?.verdict).toBe('version-unknown');
  });

  it('prefers an affected verdict over a weaker one', () => {
    const vuln = vulnerability('CVE-2020-0002', [
      statement('B. Braun Medical', 'SpaceStation with SpaceCom 2', '<= 012U000061'),
      statement('B. Braun Medical', 'SpaceStation with SpaceCom 2', '<= L81'),
    ]);
    expect(matchVulnerability(device('B. Braun', 'SpaceStation with SpaceCom 2', 'L80'), vuln)?.verdict).toBe('affected');
    expect(matchVulnerability(device('B. Braun', 'SpaceStation with SpaceCom 2', 'L82'), vuln)?.verdict).toBe('not-comparable');
  });
});
