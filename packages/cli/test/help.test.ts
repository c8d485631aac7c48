import { describe, expect, it } from "vitest";
import { packageVersion, runCli } from "./support.js";

describe("--help and --version", () => {
  it.each([
    [
      "the general help",
      ["--help"],
      [
        "bulk-tasks list <organizationId>",
        "bulk-tasks summary <organizationId>",
        "bulk-tasks get <organizationId> <bulkTaskId>",
        "bulk-tasks wait <organizationId> <bulkTaskId>",
        "bulk-tasks serve-local",
        "Exit codes",
        "  3    wait: the task ended failed",
      ],
    ],
    ["-h", ["-h"], ["Usage"]],
    [
      "list",
      ["list", "--help"],
      ["--all", "--format <format>", "ndjson in a pipe", "Examples\n  bulk-tasks list lab --local\n"],
    ],
    ["summary", ["summary", "-h"], ["json in a pipe", "Examples\n  bulk-tasks summary lab --local\n"]],
    [
      "get",
      ["get", "--help"],
      [
        "bulk-tasks get <organizationId> <bulkTaskId> [options]",
        "json in a pipe",
        "base.bulk.management.get",
        "Examples\n  bulk-tasks get lab 6ae4ecd500000000038f41ed --local\n",
        "  3    wait: the task ended failed",
      ],
    ],
    [
      "wait",
      ["wait", "-h"],
      [
        "--wait-timeout <ms>",
        "--poll-interval <ms>",
        "--no-progress",
        "6f00d5ee00000000face0001 completes after 6 s,\n  6f00d5ee00000000face0002 fails after 4 s",
        "Examples\n  bulk-tasks wait lab 6f00d5ee00000000face0001 --local\n",
        "  3    wait: the task ended failed",
      ],
    ],
    [
      "serve-local",
      ["serve-local", "--help"],
      [
        "--fail-rate <r>",
        "--recordings <file>",
        "--live-duration <ms>",
        "Examples\n  bulk-tasks serve-local\n",
      ],
    ],
    ["help before the command", ["--help", "list"], ["bulk-tasks list <organizationId> [options]"]],
    [
      "help with other arguments, even wrong ones",
      ["list", "--limit", "zero", "--help"],
      ["bulk-tasks list <organizationId> [options]"],
    ],
  ])("%s: on stdout, exit code 0", async (_, args, texts) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    for (const text of texts) expect(stdout).toContain(text);
  });

  it.each([[["--version"]], [["list", "--version"]]])(
    "%j prints the version of package.json",
    async (args) => {
      const { code, stdout } = await runCli(args);
      expect(code).toBe(0);
      expect(stdout).toBe(`${packageVersion()}\n`);
    },
  );
});
