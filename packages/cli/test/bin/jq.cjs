#!/usr/bin/env node
// `jq` for the README's samples, from the lockfile (jq 1.7 compiled to WebAssembly: jq-wasm), so
// that they run where jq is not installed: the flags and the filter as jq takes them, the input
// from the files named after the filter, else from stdin.
const { readFileSync } = require("node:fs");
const jq = require("jq-wasm");

// Options with values (`--arg name value`) stay with their values; the first other word is the filter.
const WITH_TWO_VALUES = new Set(["--arg", "--argjson", "--slurpfile", "--rawfile"]);
const args = process.argv.slice(2);
const flags = [];
const words = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (WITH_TWO_VALUES.has(arg)) flags.push(arg, args[++i], args[++i]);
  else if (arg.startsWith("-")) flags.push(arg);
  else words.push(arg);
}
const [filter = ".", ...files] = words;
const input =
  files.length > 0 ? files.map((file) => readFileSync(file, "utf8")).join("\n") : readFileSync(0, "utf8");
jq.raw(input, filter, flags).then(
  (output) => process.stdout.write(output === "" || output.endsWith("\n") ? output : `${output}\n`),
  (error) => {
    process.stderr.write(`jq: ${error.message}\n`);
    process.exitCode = 5;
  },
);
