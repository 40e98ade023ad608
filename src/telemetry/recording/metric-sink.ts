/**
 * What a recorder writes to: the store itself, or the store seen through one OpenClaw profile.
 *
 * Several profiles on one host (file names openclaw-<profile>-*.log, 2026.8.2+) must not be
 * summed together. Rather than thread the profile through every recorder, countEvent hands the
 * recorders a view that adds the reserved `openclaw.profile` attribute to every point it writes;
 * export splits by it (the identity label on /metrics, one OTLP resource per profile). A sidecar
 * reading one profile gets the store itself: no view, no extra attribute, no cost.
 */
import type { MetricStore } from "../storage/metric-store.ts";
import type { RawAttrs } from "../naming/attributes.ts";
import type { MetricName } from "../naming/catalogue.ts";
import { PROFILE } from "../naming/attribute-keys.ts";

export interface MetricSink extends Pick<MetricStore, "add" | "set" | "setMax" | "addToGauge" | "observe" | "removeGauge" | "listMetrics" | "active"> {
  /** The profile this view adds; undefined for the store itself (the sidecar's default profile). */
  readonly profileTag?: string | undefined;
}

/** The store as seen by the events of profile `tag`; the store itself when tag is undefined. */
export function withProfile(store: MetricStore, tag: string | undefined): MetricSink {
  if (tag === undefined) return store;
  const t = (attrs: RawAttrs = {}): RawAttrs => ({ ...attrs, [PROFILE]: tag });
  return {
    profileTag: tag,
    active: store.active,
    add: (name: MetricName, value: number, attrs?: RawAttrs) => store.add(name, value, t(attrs)),
    set: (name: MetricName, value: number, attrs?: RawAttrs) => store.set(name, value, t(attrs)),
    setMax: (name: MetricName, value: number, attrs?: RawAttrs) => store.setMax(name, value, t(attrs)),
    addToGauge: (name: MetricName, value: number, attrs?: RawAttrs) => store.addToGauge(name, value, t(attrs)),
    observe: (name: MetricName, value: number, attrs?: RawAttrs) => store.observe(name, value, t(attrs)),
    removeGauge: (name: MetricName, attrs?: RawAttrs) => store.removeGauge(name, t(attrs)),
    listMetrics: () => store.listMetrics(),
  };
}

/**
 * Which profile tag an event gets: none when its profile is the sidecar's default (the
 * `--profile` setting, or the one profile replay reads) or when its file names none (the
 * default then stands for it), else the profile its file names.
 */
export function profileTag(eventProfile: string, defaultProfile: string | undefined): string | undefined {
  if (eventProfile === "" || eventProfile === (defaultProfile ?? "")) return undefined;
  return eventProfile;
}

/** The sink's profile as the active entries' optional field (absent for the default). */
export function ocProfile(store: MetricSink): { ocProfile?: string } {
  return store.profileTag === undefined ? {} : { ocProfile: store.profileTag };
}
