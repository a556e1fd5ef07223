/** Synthetic hospital traffic with ground truth: packet builders, capture files, the hospital, injection. */
export { SIM_ERRORS, SimError, type SimErrorCode } from './errors.js';
export { PcapWriter, pcapBytes, pcapFileHeader, pcapRecord, PCAP_SNAPLEN, LINKTYPE_ETHERNET, type CapturedFrame } from './pcap-writer.js';
export { SeededRandom } from './prng.js';
export type { DeviceCategory, DhcpProfile, Gateway, Host, HospitalDevice, TruthDevice } from './devices.js';
export {
  buildHospital,
  hospitalTruth,
  writeHospital,
  HOSPITAL_DEFAULTS,
  HOSPITAL_START_MICROS,
  type FloorCapture,
  type Hospital,
  type HospitalFiles,
  type HospitalOptions,
  type HospitalTruth,
} from './hospital.js';
export { dhcpExchangeFrames, joinFrames, type JoinFrame } from './traffic/join.js';
export { injectFrames, INJECT_DEFAULTS, type InjectOptions } from './inject.js';
export * as packets from './packets/index.js';
export { writeMix, type MixOptions, type MixSummary } from './mix/write-mix.js';
export { buildMixRoster, type MixRoster } from './mix/roster.js';
export * from './scenario/index.js';
