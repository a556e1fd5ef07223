/** What the hub keeps, behind one interface so that other stores can be added and held to one contract. */
import type { DeviceKey, Health, Location, Observation, Status } from '@wardsight/protocol';
import type { DeviceRecord } from '../inventory/profile.js';

export interface SensorRecord {
  id: string;
  location: Location | null;
  state: 'online' | 'offline' | 'unknown';
  stateChangedAt: string | null;
  /** When the hub last heard anything from the sensor. */
  lastMessageAt: string;
  version: string | null;
  health: Health | null;
  lastStatusSeq: number;
  lastHealthSeq: number;
}

export interface HubStore {
  /**
   * Applies one observation batch atomically, at most once per `(sensorId, seq)`.
   * Returns false when that batch was applied before (a resend), changing nothing.
   */
  applyObservations(sensorId: string, seq: number, observations: Observation[], receivedAt: string): Promise<boolean>;
  /** Records a sensor's online/offline status; returns false for a message already seen. */
  recordStatus(status: Status, receivedAt: string): Promise<boolean>;
  recordHealth(health: Health, receivedAt: string): Promise<boolean>;
  listDevices(): Promise<DeviceRecord[]>;
  getDevice(key: DeviceKey): Promise<DeviceRecord | undefined>;
  listSensors(): Promise<SensorRecord[]>;
  getSensor(id: string): Promise<SensorRecord | undefined>;
  getSetting(name: string): Promise<string | undefined>;
  putSetting(name: string, value: string): Promise<void>;
  close(): Promise<void>;
}
