import { EXIT_CODES, VelocityError } from '@velocity/core';
import t from 'tap';
import {
  AppNotRunningError,
  AppStopError,
  CommandStartError,
  PidFileError,
  ReloadConfigError,
  ReloaderClosedError,
  SignalDeliveryError,
} from '../../src/reload/index.js';

t.test('every error is a VelocityError with a stable code and its class name', async (t) => {
  const errors: Array<[VelocityError, string]> = [
    [new ReloadConfigError('x'), 'LIVEPATCH_RELOAD_CONFIG_INVALID'],
    [new PidFileError('/run/app.pid', 'missing'), 'LIVEPATCH_PID_FILE_INVALID'],
    [new SignalDeliveryError('pid 1', 1, 'SIGHUP', 'ESRCH'), 'LIVEPATCH_SIGNAL_FAILED'],
    [new AppNotRunningError('SIGHUP'), 'LIVEPATCH_APP_NOT_RUNNING'],
    [new CommandStartError('npm'), 'LIVEPATCH_COMMAND_START_FAILED'],
    [new AppStopError(42, 5000), 'LIVEPATCH_APP_STOP_FAILED'],
    [new ReloaderClosedError(), 'LIVEPATCH_RELOADER_CLOSED'],
  ];
  for (const [error, code] of errors) {
    t.type(error, VelocityError);
    t.equal(error.code, code);
    t.equal(error.name, error.constructor.name);
  }
  t.equal(new ReloadConfigError('x').exitCode, EXIT_CODES.usage);
  t.equal(new AppStopError(42, 5000).exitCode, EXIT_CODES.failure);
});

t.test('messages name the value and give a remedy', async (t) => {
  t.equal(
    new AppStopError(42, 5000).message,
    'The app\'s process group "42" was still running 5000 ms after SIGKILL. Check for processes stuck in uninterruptible I/O (ps -o pid,stat,cmd -g 42).',
  );
  t.equal(
    new PidFileError('/run/app.pid', 'unreadable').message,
    'Pid file "/run/app.pid" cannot be read. Make it readable by the agent\'s user, or fix the rule\'s pidFile.',
  );
  t.match(new CommandStartError('npm'), {
    errno: 'UNKNOWN',
    message: /^Command "npm" could not be started \(UNKNOWN\)\./,
  });
  t.match(new ReloaderClosedError().message, /^The reloader is closed/);
});
