// dep-ci's parse worker threads run this same entry (the bundle); there it parses instead of running the CLI.
if (!require('../src/parsers/parse-worker.ts').runIfParseWorker()) {
  require('../src/cli.ts')
    .main(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    });
}
