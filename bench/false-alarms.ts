/**
 * The false-alarm rate and detection delay of the default drift thresholds, by simulation
 * (see packages/server/src/monitors/simulation.ts): many weeks of hourly windows drawn like the
 * reference, then injected drift; the same for the performance monitor with labels. Prints
 * Markdown tables for docs/alerting.md.
 *
 *   npm run bench:false-alarms [-- --weeks 26]
 */
import { simulate } from '../packages/server/src/monitors/simulation.js';
import { simulatePerformance } from '../packages/server/src/monitors/simulation-performance.js';

const argWeeks = process.argv.indexOf('--weeks');
const weeks = argWeeks > 0 ? Number(process.argv[argWeeks + 1]) : 26;
const base = { referenceRows: 5000, numericFeatures: 40, categoricalFeatures: 10, budgetPerWeek: 0.25 };

console.log(
  `## Stationary data: ${weeks} weeks of hourly windows, 50 features (40 numeric, 10 categorical)\n`,
);
console.log(
  '| rows per window | per-test alpha | tests | windows with a breach | false alarms per week (budget 0.25) |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const windowRows of [250, 1000]) {
  const r = simulate({ ...base, windowRows, seed: 101, weeks });
  console.log(
    `| ${windowRows} | ${r.alpha.toExponential(2)} | ${r.tests} | ${r.alarmWindows} | ${r.falseAlarmsPerWeek.toFixed(3)} |`,
  );
}

console.log(
  '\n## Detection delay (windows after the onset until the first alert on a drifted feature; 20 trials)\n',
);
console.log('| drift | rows per window | median | max | never detected (of 20) |');
console.log('| --- | --- | --- | --- | --- |');
const cases = [
  { name: '0.2σ mean shift on 3 numeric features', drift: { meanShift: { features: 3, sigma: 0.2 } } },
  { name: '0.1σ mean shift on 3 numeric features', drift: { meanShift: { features: 3, sigma: 0.1 } } },
  { name: 'new category in 10% of rows', drift: { newCategoryShare: 0.1 } },
  { name: 'new category in 2% of rows', drift: { newCategoryShare: 0.02 } },
];
for (const c of cases) {
  for (const windowRows of [250, 1000]) {
    const delays: number[] = [];
    let missed = 0;
    for (let trial = 0; trial < 20; trial++) {
      const r = simulate({
        ...base,
        windowRows,
        seed: 1000 + trial,
        weeks: 0.25,
        drift: { onsetWindow: 2, ...c.drift },
      });
      if (r.detectionDelayWindows === null) missed++;
      else delays.push(r.detectionDelayWindows);
    }
    delays.sort((a, b) => a - b);
    const median = delays.length ? delays[Math.floor(delays.length / 2)] : '–';
    const max = delays.length ? delays.at(-1) : '–';
    console.log(`| ${c.name} | ${windowRows} | ${median} | ${max} | ${missed} |`);
  }
}

// The performance monitor of a binary classifier with labels (accuracy, precision, recall, F1).
const performanceBase = {
  referenceRows: 5000,
  prevalence: 0.3,
  accuracy: 0.85,
  // Its share of the default budget: one false alarm per model per week over six budgeted monitors.
  budgetPerWeek: 1 / 6,
};
const performanceSeeds = [101, 102, 103, 104, 105, 106];
console.log(
  `\n## Performance with labels, stationary: ${weeks} weeks of hourly windows × ${performanceSeeds.length} seeds, accuracy 0.85, 30% positives\n`,
);
console.log(
  '| labelled rows per window | per-test alpha | tests | windows with a breach | false alarms per week (budget 0.167) |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const windowRows of [250, 1000]) {
  let alarms = 0;
  let tests = 0;
  let alpha = 0;
  for (const seed of performanceSeeds) {
    const r = simulatePerformance({ ...performanceBase, windowRows, seed, weeks });
    alarms += r.alarmWindows;
    tests += r.tests;
    alpha = r.alpha;
  }
  const perWeek = alarms / (weeks * performanceSeeds.length);
  console.log(`| ${windowRows} | ${alpha.toExponential(2)} | ${tests} | ${alarms} | ${perWeek.toFixed(3)} |`);
}

console.log('\n## Performance: detection delay of a 5-point accuracy drop (0.85 to 0.80; 20 trials)\n');
console.log('| labelled rows per window | median | max | never detected (of 20) |');
console.log('| --- | --- | --- | --- |');
for (const windowRows of [250, 1000]) {
  const delays: number[] = [];
  let missed = 0;
  for (let trial = 0; trial < 20; trial++) {
    const r = simulatePerformance({
      ...performanceBase,
      windowRows,
      seed: 1000 + trial,
      weeks: 0.25,
      drift: { onsetWindow: 2, accuracyDrop: 0.05 },
    });
    if (r.detectionDelayWindows === null) missed++;
    else delays.push(r.detectionDelayWindows);
  }
  delays.sort((a, b) => a - b);
  const median = delays.length ? delays[Math.floor(delays.length / 2)] : '–';
  const max = delays.length ? delays.at(-1) : '–';
  console.log(`| ${windowRows} | ${median} | ${max} | ${missed} |`);
}
