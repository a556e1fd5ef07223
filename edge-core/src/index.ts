export { EdgeCore, type CoreCounters } from './core.js';
export { PcapCapture, liveDefaults, type CaptureSpec, type FrameSink, type LibpcapCounters } from './capture/pcap-capture.js';
export { DeviceTable, deviceTableDefaults, type DeviceRecord, type Finding, type FactRecord } from './state/device-table.js';
export { SensorStore, type OutboxEntry } from './state/store.js';
export { Publisher, uplinkDefaults, type UplinkOptions, type UplinkCounters } from './uplink/publisher.js';
export { IdentityTracker, macKey } from './fingerprints/identity.js';
export { lookupVendor, canonicalVendor, type VendorMatch } from './fingerprints/vendor.js';
export { createDissection, dissect, type Dissection } from './dissect.js';
export { EdgeError, EDGE_ERRORS, type EdgeErrorCode } from './errors.js';
