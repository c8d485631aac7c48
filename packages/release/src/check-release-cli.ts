#!/usr/bin/env node
// pnpm check-release: exit 1 when the pending release is a smaller bump than the spec diff requires.
import { checkRelease } from "./check-release.js";

const result = await checkRelease(process.cwd());
(result.ok ? console.log : console.error)(result.report);
process.exitCode = result.ok ? 0 : 1;
