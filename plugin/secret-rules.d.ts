// Types for secret-rules.js (generated from src/redact/secret-rules.ts).
export declare const RULES: ReadonlyArray<readonly [RegExp, string]>;
export declare const HINT: RegExp;
/** The sidecar's redaction pass: secrets become `***`, their kind stays readable. */
export declare function redactSecrets(text: string): string;
