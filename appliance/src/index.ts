export { startSensor, SENSOR_VERSION, type RunningSensor } from './sensor.js';
export { loadSensorConfig, parseSensorConfig, tlsFiles, sensorDefaults, ConfigError, SensorConfigSchema, type SensorConfig } from './config.js';
