/** The parts of a V8 `.cpuprofile` (as written by `node --cpu-prof`) the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
    readonly children?: readonly number[];
  }[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The part of a profile to sum, in microseconds of the monotonic clock (`process.hrtime`). */
export interface ProfileWindow {
  readonly from: number;
  readonly to: number;
}

/** Sampled milliseconds, by function or by area. */
export type ProfileTotals = ReadonlyMap<string, number>;

/** Self time by function and by area, and inclusive (self plus callees) time by function. */
export interface ProfileSummary {
  readonly totalMs: number;
  /** Sampled time minus V8's `(idle)`: what the process spent working. */
  readonly busyMs: number;
  readonly selfByFunction: ProfileTotals;
  readonly inclusiveByFunction: ProfileTotals;
  readonly selfByArea: ProfileTotals;
}

/**
 * Names the area code belongs to: a package of node_modules, this package's build, Node.js
 * internals, or V8's pseudo-frames (GC, program, idle).
 */
export function areaOf(url: string, functionName: string): string {
  if (!url) {
    return functionName.startsWith('(') ? functionName : '(native)';
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules) {
    return modules[1];
  }
  if (url.startsWith('node:')) {
    return 'node internals';
  }
  if (/\/dist\//.test(url)) {
    return 'nestjs-falkor-webhook';
  }
  if (/\/dist-bench\//.test(url)) {
    return 'bench variant';
  }
  return url;
}

function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const file = frame.url
    .replace(/^.*node_modules\//, '')
    .replace(/^file:\/\/.*\/(dist[^/]*)\//, '$1/');
  const where = file ? ` ${file}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'}${where}`;
}

function add(totals: Map<string, number>, key: string, ms: number): void {
  totals.set(key, (totals.get(key) ?? 0) + ms);
}

/**
 * Sums a profile's samples: the self time of each function and area, and the inclusive time of
 * each function (counted once per sample even when it recurses).
 *
 * @param window - only the samples taken in this window (e.g. the measured load, without start-up)
 */
export function summariseCpuProfile(
  profile: CpuProfile,
  window: ProfileWindow = { from: -Infinity, to: Infinity },
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parentOf.set(child, node.id);
    }
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  let timestamp = profile.startTime;
  profile.samples.forEach((id, index) => {
    timestamp += profile.timeDeltas[index] ?? 0;
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node || timestamp < window.from || timestamp > window.to) {
      return;
    }
    totalMs += ms;
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms;
    }
    add(self, frameName(node.callFrame), ms);
    add(areas, areaOf(node.callFrame.url, node.callFrame.functionName), ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const name = frameName(byId.get(at)!.callFrame);
      if (!seen.has(name)) {
        seen.add(name);
        add(inclusive, name, ms);
      }
    }
  });
  return {
    totalMs,
    busyMs: totalMs - idleMs,
    selfByFunction: self,
    inclusiveByFunction: inclusive,
    selfByArea: areas,
  };
}

/** The largest totals as a Markdown table, in milliseconds and as a share of `totalMs`. */
export function profileTable(
  title: string,
  totals: ProfileTotals,
  totalMs: number,
  limit = 30,
): string {
  return [
    `| ${title} | ms | share |`,
    '| --- | ---: | ---: |',
    ...[...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(
        ([name, ms]) =>
          `| \`${name}\` | ${ms.toFixed(0)} | ${((ms / totalMs) * 100).toFixed(1)}% |`,
      ),
  ].join('\n');
}

/** Totals of one profiled server, with the responses they were spent on. */
export interface ProfiledRun {
  readonly name: string;
  readonly totals: ProfileTotals;
  readonly responses: number;
}

/**
 * Compares two profiled servers per response: microseconds of each name in each, and the
 * difference, largest differences first, as a Markdown table.
 */
export function comparisonTable(
  title: string,
  baseline: ProfiledRun,
  variant: ProfiledRun,
  limit = 30,
): string {
  const perResponse = (run: ProfiledRun, name: string) =>
    ((run.totals.get(name) ?? 0) * 1000) / run.responses;
  const rows = [...new Set([...baseline.totals.keys(), ...variant.totals.keys()])]
    .map((name) => {
      const before = perResponse(baseline, name);
      const after = perResponse(variant, name);
      return { name, before, after, difference: after - before };
    })
    .sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference))
    .slice(0, limit);
  return [
    `| ${title} | ${baseline.name} µs | ${variant.name} µs | difference µs |`,
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| \`${row.name}\` | ${row.before.toFixed(1)} | ${row.after.toFixed(1)} | ` +
        `${row.difference >= 0 ? '+' : ''}${row.difference.toFixed(1)} |`,
    ),
  ].join('\n');
}
