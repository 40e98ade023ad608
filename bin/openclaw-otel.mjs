#!/usr/bin/env node
// The installed command: check Node first (require-node.mjs), then load the built CLI. The
// import is dynamic so nothing of the CLI is even linked on a Node that cannot run it.
import "./require-node.mjs";

await import("../dist/src/cli.js");
