// Loads every entry point of the installed package with `import`, as an ESM consumer does, runs the
// checks and prints what they saw as JSON.
import * as main from "@org/bulk-tasks-api";
import spec from "@org/bulk-tasks-api/openapi.json" with { type: "json" };
import manifest from "@org/bulk-tasks-api/package.json" with { type: "json" };
import * as validation from "@org/bulk-tasks-api/response-validation";
import * as testing from "@org/bulk-tasks-api/testing";
import checks from "./checks.cjs";

const results = await checks.runChecks({ main, validation, testing, spec, manifest });
console.log(JSON.stringify({ runtime: process.version, results }));
