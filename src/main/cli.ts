#!/usr/bin/env node
/** The `align` command (`npm run cli -- …`): see cli/program.ts. */
import { runCli } from './cli/program';

await runCli(process.argv);
