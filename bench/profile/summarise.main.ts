import { readFileSync } from 'node:fs';
import { type CpuProfile, profileTable, summariseCpuProfile } from './cpu-profile.summary.js';

const [path, limit = '30'] = process.argv.slice(2);
if (!path) {
  throw new Error('usage: node dist-bench/profile/summarise.main.js <file.cpuprofile> [rows]');
}
const summary = summariseCpuProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile);
const rows = Number(limit);
console.log(
  `${path}: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ` +
    `${(summary.busyMs / 1000).toFixed(1)} s busy\n`,
);
console.log(`${profileTable('self time by area', summary.selfByArea, summary.totalMs, rows)}\n`);
console.log(
  `${profileTable('self time by function', summary.selfByFunction, summary.totalMs, rows)}\n`,
);
console.log(
  profileTable('inclusive time by function', summary.inclusiveByFunction, summary.totalMs, rows),
);
