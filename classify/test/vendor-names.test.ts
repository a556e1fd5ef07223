import { describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../src/rules/load.js';
import { withoutLegalForm } from '../src/vendor-names.js';

const vendors = defaultRuleSet().vendors;

describe('vendor names fold to one maker', () => {
  it.each([
    ['Philips Medical Systems Nederland B.V.', 'Philips'],
    ['Philips Healthcare', 'Philips'],
    ['Koninklijke Philips Electronics N.V.', 'Philips'],
    ['Philips Patient Monitoring', 'Philips'],
    ['GE Healthcare', 'GE Healthcare'],
    ['GE Medical Systems', 'GE Healthcare'],
    ['General Electric Medical Systems', 'GE Healthcare'],
    ['GEHC', 'GE Healthcare'],
    ['Hewlett Packard', 'HP'],
    ['HP Inc.', 'HP'],
    ['Hewlett-Packard Company', 'HP'],
    ['Hewlett Packard Enterprise', 'HPE'],
    ['Siemens Healthineers AG', 'Siemens Healthineers'],
    ['Siemens AG', 'Siemens'],
    ['Becton, Dickinson and Company', 'Becton Dickinson'],
    ['Carefusion', 'Becton Dickinson'],
    ['Hospira, Inc.', 'ICU Medical'],
    ['Smiths Medical ASD, Inc.', 'ICU Medical'],
    ['Welch Allyn, Inc.', 'Baxter'],
    ['Hill-Rom', 'Baxter'],
    ['Toshiba Medical Systems Corporation', 'Canon Medical'],
    ['Drägerwerk AG & Co. KG aA', 'Draeger'],
    ['FRESENIUS-VIAL', 'Fresenius Kabi'],
    ['B.Braun Melsungen AG', 'B. Braun'],
    ['Covidien LP', 'Medtronic'],
    ['Cisco Systems, Inc', 'Cisco'],
    ['Dell Inc.', 'Dell'],
    ['LCFC(Hefei) Electronics Technology co., ltd', 'Lenovo'],
    ['Zebra Technologies Corp.', 'Zebra Technologies'],
    ['Raspberry Pi Trading Ltd', 'Raspberry Pi'],
    ['  philips   patient monitoring ', 'Philips'],
  ])('%s → %s', (name, maker) => {
    expect(vendors.normalise(name)).toBe(maker);
  });

  it('keeps businesses that are not the medical maker apart', () => {
    expect(vendors.normalise('Philips Lighting BV')).toBe('Signify');
    expect(vendors.normalise('GE Appliances')).toBe('GE Appliances');
    expect(vendors.normalise('Fresenius Medical Care Deutschland GmbH')).toBe('Fresenius Medical Care');
    expect(vendors.normalise('Fujitsu Siemens Computers')).toBe('Fujitsu Siemens Computers');
    expect(vendors.normalise('Cisco-Linksys, LLC')).toBe('Cisco-Linksys');
  });

  it('names no maker for module and chipset makers, hidden assignees, or blanks', () => {
    for (const name of ['Intel Corporate', 'Murata Manufacturing Co., Ltd.', 'Espressif Inc.', 'Texas Instruments', 'SAMSUNG ELECTRO-MECHANICS(THAILAND)', 'Private', ' ']) {
      expect(vendors.normalise(name), name).toBeNull();
    }
    expect(vendors.normalise('Samsung Electronics Co.,Ltd')).toBe('Samsung');
  });

  it('drops the legal form of makers it does not know, so their spellings still group', () => {
    expect(vendors.normalise('Acme Infusion Devices Co., Ltd.')).toBe('Acme Infusion Devices');
    expect(withoutLegalForm('Nonin Medical, Inc.')).toBe('Nonin Medical');
    expect(withoutLegalForm('Shenzhen Example Technology Co.,LTD')).toBe('Shenzhen Example Technology');
    expect(withoutLegalForm('Example & Co. KG')).toBe('Example');
    expect(withoutLegalForm('AG')).toBe('AG');
  });

  it('knows which names are canonical', () => {
    expect(vendors.isCanonical('Becton Dickinson')).toBe(true);
    expect(vendors.isCanonical('becton dickinson')).toBe(false);
    expect(vendors.isCanonical('Intel')).toBe(false);
  });
});
