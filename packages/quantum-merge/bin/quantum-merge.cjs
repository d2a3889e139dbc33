// The ncc entry of the quantum-merge single executable.
// msgpackr (under BullMQ) would look on disk for its optional native addon, which a single executable cannot
// load (Node prints a warning); its JavaScript implementation serves instead.
process.env.MSGPACKR_NATIVE_ACCELERATION_DISABLED ??= 'true';
require('../src/cli.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
