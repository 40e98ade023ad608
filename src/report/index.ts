export { report } from "./command.ts";
export { REPORT_HELP } from "./args.ts";
