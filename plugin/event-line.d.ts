// Types for event-line.js.
/** One JSON line for the event, or null when it must not be written (log.record, no type). */
export declare function eventToLine(event: unknown): string | null;
