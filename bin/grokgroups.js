#!/usr/bin/env node
// The `grokgroups` command runs in this process (no child): a signal sent to this pid reaches the command.
// Started by npm (npx, npm exec, npm start) there is an `sh -c` between npm and us that does not pass
// signals on: stopWhenLauncherExits stops the command once that launcher is gone (src/cli/launcher-watch.ts).
import { stopWhenLauncherExits } from '../dist/src/cli/launcher-watch.js';
import { main } from '../dist/src/cli/main.js';
stopWhenLauncherExits();
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
