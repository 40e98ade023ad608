// Types for event-line.js.
/** The fields written per event type beyond type, ts, seq and trace. */
export declare const ALLOWED_FIELDS: Readonly<Record<string, readonly string[]>>;
/** One JSON line for the event, or null when it must not be written (log.record, no type). */
export declare function eventToLine(event: unknown): string | null;
/** Event types never written (also passed to the subscription as `exclude`). */
export declare const EXCLUDED_TYPES: string[];
