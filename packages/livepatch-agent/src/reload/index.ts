/**
 * Hot reload for the LivePatch agent: reload rules, the supervised app, signals, exec commands, and the
 * reloader that runs them after each batch and rolls back batches that crash the app.
 *
 * @module
 */
export { SYSTEM_CLOCK } from './clock.js';
export type { Clock } from './clock.js';
export {
  AppNotRunningError,
  AppStopError,
  CommandStartError,
  PidFileError,
  ReloadConfigError,
  ReloaderClosedError,
  SignalDeliveryError,
} from './errors.js';
export type { PidFileProblem } from './errors.js';
export { execCommand } from './exec.js';
export type { ExecCommandOptions, ExecResult } from './exec.js';
export { createReloader } from './reloader.js';
export type { ReloadBatch, Reloader, ReloaderOptions, ReloadReport } from './reloader.js';
export { createReloadPlanner, planReload, RELOAD_ACTIONS } from './rules.js';
export type {
  PlannedReload,
  ReloadAction,
  ReloadPlanner,
  ReloadRule,
  SignalTarget,
} from './rules.js';
export { readPidFile, sendSignal } from './signal.js';
export type { SendSignalOptions, SendSignalResult } from './signal.js';
export { AppSupervisor, describeExit, RESTART_POLICIES } from './supervisor.js';
export type {
  AppExit,
  AppExitListener,
  AppRestartResult,
  AppSupervisorOptions,
  BackoffOptions,
  RestartOptions,
  RestartPolicy,
  StopOptions,
} from './supervisor.js';
