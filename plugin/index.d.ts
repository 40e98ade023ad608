// Types for index.js, the plugin entry.
import type { DiagnosticsWriter } from "./writer.d.ts";

/** The SDK's onDiagnosticEvent: registers a listener, returns an unsubscribe function. */
export type Subscribe = (listener: (event: unknown) => void) => (() => void) | void;

/** The part of OpenClaw's plugin `api` object this plugin uses. */
export interface PluginApiLike {
  config?: unknown;
  pluginConfig?: Record<string, unknown>;
  logger?: { info?: (m: string) => void; warn?: (m: string) => void; debug?: (m: string) => void; error?: (m: string) => void };
  registerService?: (service: { id: string; start: (ctx?: unknown) => void | Promise<void>; stop?: (ctx?: unknown) => void | Promise<void> }) => void;
}
export interface CompanionDeps {
  /** Replaces the SDK lookup (tests). */
  subscribe?: Subscribe;
  /** Replaces dynamic import() in the SDK lookup (tests). */
  importer?: (specifier: string) => Promise<Record<string, unknown>>;
  /** Profile segment override; default from OPENCLAW_PROFILE. */
  profile?: string;
}
export interface Companion {
  dir: string;
  writer: DiagnosticsWriter;
  start(): Promise<void>;
  stop(): Promise<void>;
}
export declare const PLUGIN_ID: string;
export declare function loadSubscribe(importer?: (specifier: string) => Promise<Record<string, unknown>>): Promise<Subscribe>;
export declare function profileSegment(env?: Record<string, string | undefined>): string;
export declare function resolveLogDir(config: unknown): string;
export declare function registerCompanion(api: PluginApiLike, deps?: CompanionDeps): Companion;
declare const entry: { id: string; name: string; description: string; register(api: PluginApiLike): void };
export default entry;
export declare const EXCLUDED_TYPES: string[];
