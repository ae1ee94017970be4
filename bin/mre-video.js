#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// A closed pipe (e.g. `mre-video clips | head`) ends the run quietly, as Unix tools do.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
