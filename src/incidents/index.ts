export { IncidentBuilder } from "./builder.ts";
export { headline, verdictOf } from "./verdict.ts";
export { describeIncident, formatDuration, type TimeFormat } from "./describe.ts";
export { profileName } from "./words.ts";
export type { IncidentState } from "./state.ts";
export type * from "./types.ts";
