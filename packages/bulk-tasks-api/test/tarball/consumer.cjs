// Loads every entry point of the installed package with `require()`, as a CommonJS consumer does
// (Node.js requires ES modules from 20.19 and 22.12 on), runs the checks and prints what they saw
// as JSON.
"use strict";
const main = require("@org/bulk-tasks-api");
const spec = require("@org/bulk-tasks-api/openapi.json");
const manifest = require("@org/bulk-tasks-api/package.json");
const validation = require("@org/bulk-tasks-api/response-validation");
const testing = require("@org/bulk-tasks-api/testing");
const { runChecks } = require("./checks.cjs");

runChecks({ main, validation, testing, spec, manifest }).then((results) => {
  console.log(JSON.stringify({ runtime: process.version, results }));
});
