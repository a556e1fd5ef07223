export { startSensor, type RunningSensor, type StartOptions } from './sensor.js';
export {
  loadSensorConfig,
  parseSensorConfig,
  parseSensorConfigText,
  runtimeSettings,
  tlsFiles,
  sensorDefaults,
  ConfigError,
  SensorConfigSchema,
  DEFAULT_CONFIG_FILE,
  DEFAULT_CONFIG_PATH,
  type SensorConfig,
  type ConfigProblem,
} from './config.js';
export { exampleConfig, exampleDefaults, type ExampleConfigValues } from './config-example.js';
export { APPLIANCE_ERRORS, ApplianceError, isApplianceError, type ApplianceErrorCode } from './errors.js';
export { SystemdNotifier, notifySocketFrom, notifyDefaults, statusLine, type NotifierState } from './systemd-notify.js';
export { Watchdog, watchdogDefaults, watchdogRequest, type WatchdogOptions, type WatchdogRequest } from './watchdog.js';
export { Supervisor, supervisorDefaults, supervisorBounds, type RestartableComponent, type RunningComponent, type SupervisorEvents, type SupervisorOptions, type SupervisorState } from './supervisor.js';
export { install, planInstall, chooseUpdateRoot, installDefaults, installBounds, installPaths, sensorUnit, UNIT_NAME, UPDATE_ROOT_VARIABLE, type InstallOptions, type InstallPlan, type InstallStep } from './install.js';
export { sensorExitStatus, startStoppedBy } from './install-exit-status.js';
export { sensorVersion, sensorTreeVersion, readTreeVersion, versionDefaults, type TreeVersion } from './version.js';
export { findUpdateRoot, runTrial, sensorHealthCheck, trialRunDefaults, trialRunBounds, type TrialRunOptions, type TrialSubject } from './trial-run.js';
export { enrol, enrolmentDefaults, discardToken, EnrolmentRefused, EnrolmentUnavailable, type EnrolmentRequest, type EnrolmentResult } from './enrolment.js';
export { ensureSensorIdentity, firstBootDefaults, type FirstBootOptions } from './first-boot.js';
export * from './update/index.js';
