/**
 * The sidecar's exposition, scraped step by step into promtool input_series: one value per step
 * per series, `_` for the steps before the series was born (a counter is born at its first
 * value, never at 0). Shared by the week replay and the capture replay.
 */
export type Samples = Map<string, string[]>;

/** Adds one scrape (Prometheus text) taken at `step` (0-based); `keep` picks the sample lines. */
export function addScrape(samples: Samples, exposition: string, step: number, keep: (line: string) => boolean = (l) => l !== "" && !l.startsWith("#")): void {
  for (const l of exposition.split("\n")) {
    if (!keep(l)) continue;
    const cut = l.lastIndexOf(" ");
    const series = l.slice(0, cut);
    const values = samples.get(series) ?? new Array<string>(step).fill("_");
    values.push(l.slice(cut + 1));
    samples.set(series, values);
  }
}

export const inputSeries = (samples: Samples): Array<{ series: string; values: string }> =>
  [...samples].map(([series, values]) => ({ series, values: values.join(" ") }));
