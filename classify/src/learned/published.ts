/**
 * Published identification accuracy on the same labelled sets, to print beside ours. IoT Sentinel:
 * M. Miettinen et al., "IoT SENTINEL: Automated Device-Type Identification for Security
 * Enforcement in IoT", ICDCS 2017 (arXiv:1611.04880), §V-B, Fig. 4: 23 header features of the
 * first 12 packets, a random forest per type and edit distance, 10 × 10-fold cross-validation.
 */

export interface PublishedBaseline {
  citation: string;
  /** Overall share of correct identifications. */
  overall: number;
  /** The classes it was measured on. */
  classes: readonly string[];
  /** Types the paper names as look-alikes it identified only about half the time. */
  lookAlikes: readonly string[];
}

export const IOT_SENTINEL: PublishedBaseline = {
  citation: 'IoT Sentinel (Miettinen et al., ICDCS 2017)',
  overall: 0.815,
  classes: [
    'Aria', 'D-LinkCam', 'D-LinkDayCam', 'D-LinkDoorSensor', 'D-LinkHomeHub', 'D-LinkSensor', 'D-LinkSiren', 'D-LinkSwitch',
    'D-LinkWaterSensor', 'EdimaxCam', 'EdimaxPlug1101W', 'EdimaxPlug2101W', 'EdnetCam', 'EdnetGateway', 'HomeMaticPlug', 'HueBridge',
    'HueSwitch', 'iKettle2', 'Lightify', 'MAXGateway', 'SmarterCoffee', 'TP-LinkPlugHS100', 'TP-LinkPlugHS110', 'WeMoInsightSwitch',
    'WeMoLink', 'WeMoSwitch', 'Withings',
  ],
  lookAlikes: [
    'D-LinkDoorSensor', 'D-LinkSensor', 'D-LinkSiren', 'D-LinkWaterSensor', 'EdimaxPlug1101W', 'EdimaxPlug2101W', 'SmarterCoffee',
    'iKettle2', 'TP-LinkPlugHS100', 'TP-LinkPlugHS110',
  ],
};

/** The published figure measured on exactly these classes, if there is one. */
export function publishedBaseline(classes: readonly string[]): PublishedBaseline | null {
  const ours = new Set(classes.map((c) => c.toLowerCase()));
  const theirs = IOT_SENTINEL.classes.map((c) => c.toLowerCase());
  return ours.size === theirs.length && theirs.every((c) => ours.has(c)) ? IOT_SENTINEL : null;
}
