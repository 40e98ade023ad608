// Runs first, in syntax every Node release parses: on a Node too old for the sidecar, one line
// saying which version this is and how to get a new one, instead of a crash deep in an import
// (ERR_UNKNOWN_FILE_EXTENSION, a missing built-in) or a silent run (issue 24). Keep in step with
// package.json's "engines".
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`openclaw-otel needs Node >= 22.12 (24 recommended, as OpenClaw uses); this is ${process.version}. ` +
    "Install Node 24 (https://nodejs.org, or `nvm install 24`), or in a checkout run `source scripts/ensure-node.sh`.\n");
  process.exit(1);
}
